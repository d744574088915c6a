'use client';

import { useEffect, useId, useRef } from 'react';
import type { Drawings } from '../lesson/drawingStore';
import { plural, type RestorePlan } from './lessonWork';
import type { LessonWork } from './workFile';
import styles from './Work.module.css';

export interface RestoreDialogProps {
  fileName: string;
  work: LessonWork;
  plan: RestorePlan;
  onConfirm(): void;
  onCancel(): void;
}

const STATUS_TEXT = { 'not-started': 'not started', attempted: 'attempted', passed: 'passed' } as const;

function drawingsText({ classes, examples }: Drawings): string {
  return examples.length === 0 ? `no drawings (${plural(classes.length, 'class', 'classes')})` : `${plural(examples.length, 'drawing')} in ${plural(classes.length, 'class', 'classes')}`;
}

/** Asks before a restore: what the file replaces, adds and leaves alone. A modal <dialog>, so focus stays in it and Escape cancels. */
export function RestoreDialog({ fileName, work, plan, onConfirm, onCancel }: RestoreDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    // The safe choice has focus, as in the cells' own confirmations (showModal would pick the first button).
    cancel.current?.focus();
    return () => element?.close();
  }, []);

  const made = new Date(work.createdAt).toLocaleString('en-GB', { dateStyle: 'long', timeStyle: 'short' });
  return (
    <dialog ref={dialog} className={styles.dialog} aria-labelledby={titleId} onCancel={onCancel}>
      <h2 id={titleId} className={styles.dialogTitle}>
        Restore your work from “{fileName}”?
      </h2>
      <p>The file was made on {made}. Restoring it changes this in this browser:</p>
      <ul className={styles.changes}>
        {plan.cells.map((cell) => (
          <li key={cell.id}>
            <strong>{cell.label}</strong>: {cell.change === 'replaces-edit' ? 'your edit is replaced by the one in the file' : 'gets the edit from the file (it has the starter code now)'}
          </li>
        ))}
        {plan.progress.map((exercise) => (
          <li key={exercise.id}>
            Exercise <strong>{exercise.title}</strong>: {STATUS_TEXT[exercise.from]} becomes {STATUS_TEXT[exercise.to]}
          </li>
        ))}
        {plan.drawings && (
          <li>
            <strong>Drawings</strong>:{' '}
            {plan.drawings.from.classes.length === 0
              ? `the file's ${drawingsText(plan.drawings.to)} (this browser has none)`
              : `your ${drawingsText(plan.drawings.from)} are replaced by the file's ${drawingsText(plan.drawings.to)}`}
          </li>
        )}
      </ul>
      {plan.keptEdits.length > 0 && (
        <p>
          Kept as they are: your edits of {plan.keptEdits.map((cell) => cell.label).join(', ')}, which the file does not have.
        </p>
      )}
      {plan.skippedCells.length > 0 && (
        <p>
          Not restored: {plural(plan.skippedCells.length, 'cell')} this lesson no longer has ({plan.skippedCells.join(', ')}).
        </p>
      )}
      <p className={styles.dialogNote}>Exercises never go backwards: one passed here stays passed. You can undo the restore afterwards.</p>
      <div className={styles.dialogActions}>
        <button type="button" className={styles.primary} onClick={onConfirm}>
          Replace my work
        </button>
        <button ref={cancel} type="button" className={styles.button} onClick={onCancel}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}
