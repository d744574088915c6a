import Link from 'next/link';
import { LessonPageLink } from './LessonPageLink';
import type { CoursePage } from '@/lib/lessons/types';
import styles from './Lesson.module.css';

export interface PageNavProps {
  current: CoursePage;
  previous?: CoursePage;
  next?: CoursePage;
}

/** Previous / next page in course order; crossing into another lesson names that lesson. */
export function PageNav({ current, previous, next }: PageNavProps) {
  const label = (page: CoursePage) => (page.lessonSlug === current.lessonSlug ? page.title : `${page.lessonTitle}: ${page.title}`);
  return (
    <nav className={styles.pageNav} aria-label="Pages">
      {previous ? (
        <LessonPageLink href={previous.href} rel="prev" className={styles.pageLink}>
          <span className={styles.pageLinkHint}>← Previous</span>
          <span>{label(previous)}</span>
        </LessonPageLink>
      ) : (
        <Link href="/" className={styles.pageLink}>
          <span className={styles.pageLinkHint}>← Course</span>
          <span>All lessons</span>
        </Link>
      )}
      {next ? (
        <LessonPageLink href={next.href} rel="next" className={`${styles.pageLink} ${styles.pageLinkNext}`}>
          <span className={styles.pageLinkHint}>Next →</span>
          <span>{label(next)}</span>
        </LessonPageLink>
      ) : (
        <Link href="/" className={`${styles.pageLink} ${styles.pageLinkNext}`}>
          <span className={styles.pageLinkHint}>Done →</span>
          <span>Back to the course</span>
        </Link>
      )}
    </nav>
  );
}
