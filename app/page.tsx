import { LessonPageLink } from '@/components/lesson/LessonPageLink';
import { LessonProgress } from '@/components/lesson/ExerciseProgress';
import { SiteHeader } from '@/components/site/SiteHeader';
import styles from '@/components/lesson/CourseIndex.module.css';
import { getCourse } from '@/lib/course';

export default async function CourseIndex() {
  const { course } = await getCourse();
  return (
    <>
      <SiteHeader courseTitle={course.title} />
      <main id="main" className={styles.main}>
        <h1 className={styles.title}>{course.title}</h1>
        {course.description && <p className={styles.lede}>{course.description}</p>}
        <h2 className={styles.sectionTitle}>Lessons</h2>
        <ol className={styles.lessons}>
          {course.lessons.map((lesson, i) => (
            <li key={lesson.slug} className={styles.lesson}>
              <span className={styles.number} aria-hidden="true">
                {i + 1}
              </span>
              <div>
                <h3 className={styles.lessonTitle}>
                  <LessonPageLink href={lesson.pages[0]!.href}>{lesson.title}</LessonPageLink>
                </h3>
                {lesson.summary && <p className={styles.summary}>{lesson.summary}</p>}
                <LessonProgress lesson={lesson.slug} exercises={lesson.pages.flatMap((page) => page.exercises.map((e) => e.id))} />
                <ol className={styles.pages}>
                  {lesson.pages.map((page) => (
                    <li key={page.slug}>
                      <LessonPageLink href={page.href}>{page.title}</LessonPageLink>
                      <span className={styles.pageMeta}>
                        {' '}
                        · page {page.pageInLesson} of {page.pagesInLesson}
                      </span>
                    </li>
                  ))}
                </ol>
              </div>
            </li>
          ))}
        </ol>
      </main>
    </>
  );
}
