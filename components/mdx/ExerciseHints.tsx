'use client';

import { useState, type ReactNode } from 'react';
import styles from './Exercise.module.css';

/** Hints shown one at a time, so a student takes only as much help as they need. */
export function ExerciseHints({ hints }: { hints: ReactNode[] }) {
  const [shown, setShown] = useState(0);
  return (
    <div className={styles.hints}>
      {shown > 0 && (
        <ol className={styles.hintList}>
          {hints.slice(0, shown).map((hint, i) => (
            <li key={i}>{hint}</li>
          ))}
        </ol>
      )}
      {shown < hints.length && (
        <button type="button" className={styles.hintButton} onClick={() => setShown(shown + 1)}>
          {shown === 0 ? 'Show a hint' : 'Show another hint'} ({shown + 1} of {hints.length})
        </button>
      )}
    </div>
  );
}
