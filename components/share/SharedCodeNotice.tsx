'use client';

import { useEffect, useId, useRef } from 'react';
import styles from './Share.module.css';

export interface SharedCodeNoticeProps {
  /** The student has a saved version of this cell that "Keep" would replace. */
  hasOwnVersion: boolean;
  onKeep(): void;
  onBack(): void;
}

/**
 * Says that the cell shows code from a link, not the student's own. Shown once per link: it scrolls
 * into view and takes focus, so a screen reader reads it and the keyboard starts from here.
 */
export function SharedCodeNotice({ hasOwnVersion, onKeep, onBack }: SharedCodeNoticeProps) {
  const box = useRef<HTMLDivElement>(null);
  const textId = useId();
  useEffect(() => {
    box.current?.scrollIntoView({ block: 'center' });
    box.current?.focus({ preventScroll: true });
  }, []);
  return (
    <div ref={box} className={styles.banner} data-tone="shared" role="region" aria-label="Shared code" aria-describedby={textId} tabIndex={-1}>
      <span id={textId}>
        <strong>Shared code.</strong> This cell shows code someone shared with a link. {hasOwnVersion ? 'Your own version is saved and unchanged; ' : ''}
        edits here are not saved unless you keep this code{hasOwnVersion ? ', which replaces your version' : ''}.
      </span>
      <button type="button" onClick={onKeep}>
        Keep this code
      </button>
      <button type="button" onClick={onBack}>
        {hasOwnVersion ? 'Back to my code' : 'Back to the starter code'}
      </button>
    </div>
  );
}
