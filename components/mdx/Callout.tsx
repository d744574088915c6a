import type { ReactNode } from 'react';
import styles from './Callout.module.css';

const KINDS = {
  note: { title: 'Note', icon: 'i' },
  tip: { title: 'Tip', icon: '★' },
  warning: { title: 'Watch out', icon: '!' },
  'use-when': { title: 'Use when', icon: '✓' },
} as const;

export type CalloutKind = keyof typeof KINDS;

export interface CalloutProps {
  kind?: CalloutKind;
  /** Overrides the kind's default title. */
  title?: string;
  children: ReactNode;
}

/** A boxed aside in lesson prose. `kind="use-when"` reads as "Use when: ..." and is meant for advice. */
export function Callout({ kind = 'note', title, children }: CalloutProps) {
  const meta = KINDS[kind] ?? KINDS.note;
  return (
    <aside className={styles.callout} data-kind={kind} aria-label={title ?? meta.title}>
      <span className={styles.icon} aria-hidden="true">
        {meta.icon}
      </span>
      <div className={styles.body}>
        <strong className={styles.title}>{title ?? meta.title}:</strong> {children}
      </div>
    </aside>
  );
}
