import Link from 'next/link';
import { ThemeToggle } from './ThemeToggle';
import styles from './SiteHeader.module.css';

export interface SiteHeaderProps {
  courseTitle: string;
  /** "Page 1/2": the page's position in the whole course, when on a lesson page. */
  position?: { page: number; of: number };
}

export function SiteHeader({ courseTitle, position }: SiteHeaderProps) {
  return (
    <header className={styles.header}>
      <Link href="/" className={styles.brand}>
        {courseTitle}
      </Link>
      <div className={styles.right}>
        {position && (
          <span className={styles.position} aria-label={`Page ${position.page} of ${position.of} in the course`}>
            Page {position.page}/{position.of}
          </span>
        )}
        <ThemeToggle />
      </div>
    </header>
  );
}
