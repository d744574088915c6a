import { Children, isValidElement, type ReactNode } from 'react';
import { CodeCell } from '../cell/CodeCell';
import { ExerciseHints } from './ExerciseHints';
import { ExerciseHeaderBadge } from './ExerciseHeaderBadge';
import styles from './Exercise.module.css';

/** A hint of an <Exercise>, revealed one at a time. Only meaningful inside an Exercise. */
export function Hint({ children }: { children: ReactNode }) {
  return <>{children}</>;
}

export interface ExerciseProps {
  id: string;
  title: string;
  /** Starter, solution and check code, inlined at build time from the files named in the MDX. */
  code: string;
  codeHash: string;
  solutionCode: string;
  checkCode: string;
  /** Seconds a run may take (default 300). */
  timeBudget?: number;
  /** The task, in prose, and its <Hint>s. */
  children?: ReactNode;
}

/**
 * An auto-checked exercise: the task, hints revealed one at a time, a code cell whose every run is
 * followed by the exercise's check (which says specifically what is still wrong), and a solution
 * the student can reveal.
 */
export function Exercise({ id, title, code, codeHash, solutionCode, checkCode, timeBudget, children }: ExerciseProps) {
  const parts = Children.toArray(children);
  const hints = parts.filter((child) => isValidElement(child) && child.type === Hint);
  const task = parts.filter((child) => !(isValidElement(child) && child.type === Hint));
  return (
    <section className={styles.exercise} id={`exercise-${id}`} aria-labelledby={`exercise-${id}-title`} data-exercise-id={id}>
      <header className={styles.header}>
        <h3 id={`exercise-${id}-title`} className={styles.title}>
          <span className={styles.kicker}>Exercise</span> {title}
        </h3>
        <ExerciseHeaderBadge exercise={id} />
      </header>
      <div className={styles.task}>{task}</div>
      {hints.length > 0 && <ExerciseHints hints={hints} />}
      <CodeCell id={id} code={code} codeHash={codeHash} timeBudget={timeBudget} exercise={{ checkCode, solutionCode }} />
    </section>
  );
}
