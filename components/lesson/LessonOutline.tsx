import { LessonPageLink } from './LessonPageLink';
import type { CourseLesson, CoursePage, Heading } from '@/lib/lessons/types';
import { ExerciseBadge } from './ExerciseProgress';
import styles from './Lesson.module.css';

export interface LessonOutlineProps {
  lesson: CourseLesson;
  current: CoursePage;
  headings: readonly Heading[];
}

/** The lesson's pages, with the current page's sections underneath it. */
export function LessonOutline({ lesson, current, headings }: LessonOutlineProps) {
  return (
    <nav className={styles.outline} aria-label="Lesson outline">
      <details className={styles.outlineDetails} open>
        <summary className={styles.outlineSummary}>{lesson.title}</summary>
        <ol className={styles.outlinePages}>
          {lesson.pages.map((page) => (
            <li key={page.slug}>
              <LessonPageLink href={page.href} aria-current={page === current ? 'page' : undefined} className={styles.outlinePage}>
                <span className={styles.outlineNumber}>{page.pageInLesson}</span>
                {page.title}
              </LessonPageLink>
              {page === current && headings.length > 0 && (
                <ul className={styles.outlineSections}>
                  {headings.map((h) => (
                    <li key={h.id} data-depth={h.depth}>
                      <a href={`#${h.id}`}>{h.text}</a>
                    </li>
                  ))}
                </ul>
              )}
              {page.exercises.length > 0 && (
                <ul className={styles.outlineExercises} aria-label={`Exercises on page ${page.pageInLesson}`}>
                  {page.exercises.map((exercise) => (
                    <li key={exercise.id}>
                      <ExerciseBadge lesson={lesson.slug} exercise={exercise.id} />
                      {page === current ? <a href={`#exercise-${exercise.id}`}>{exercise.title}</a> : <LessonPageLink href={`${page.href}#exercise-${exercise.id}`}>{exercise.title}</LessonPageLink>}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ol>
      </details>
    </nav>
  );
}
