import { Children, isValidElement, type ReactElement, type ReactNode } from 'react';
import styles from './Flow.module.css';

const STEP_KINDS = {
  frozen: 'frozen',
  remove: 'removed',
  new: 'new',
  train: 'trained',
  plain: '',
} as const;

export type StepKind = keyof typeof STEP_KINDS;

export interface StepProps {
  /** Colours the box and adds a small badge: frozen, remove, new, train. */
  kind?: StepKind;
  children: ReactNode;
}

/** One box of a <Flow>. Rendered by Flow, so on its own it is only a plain list item. */
export function Step({ kind = 'plain', children }: StepProps) {
  const badge = STEP_KINDS[kind] ?? '';
  return (
    <li className={styles.step} data-kind={kind}>
      <span className={styles.label}>{children}</span>
      {badge && <span className={styles.badge}>{badge}</span>}
    </li>
  );
}

export interface FlowProps {
  /** What the chain shows; used as the diagram's caption and accessible name. */
  label: string;
  children: ReactNode;
}

/**
 * A step-by-step chain drawn as a diagram: boxes joined by arrows, left to right on wide screens and
 * top to bottom on narrow ones. The steps stay an ordered list for screen readers.
 */
export function Flow({ label, children }: FlowProps) {
  const steps = Children.toArray(children).filter(
    (child): child is ReactElement<StepProps> => isValidElement(child) && child.type === Step,
  );
  return (
    <figure className={styles.flow} aria-label={label}>
      <ol className={styles.steps}>
        {steps.map((step, i) => (
          <FlowItem key={i} step={step} last={i === steps.length - 1} />
        ))}
      </ol>
      <figcaption className={styles.caption}>{label}</figcaption>
    </figure>
  );
}

function FlowItem({ step, last }: { step: ReactElement<StepProps>; last: boolean }) {
  return (
    <>
      {step}
      {!last && (
        <li className={styles.arrow} aria-hidden="true" role="presentation">
          <svg viewBox="0 0 40 16" width="40" height="16" focusable="false">
            <line x1="2" y1="8" x2="32" y2="8" />
            <polygon points="30,2 39,8 30,14" />
          </svg>
        </li>
      )}
    </>
  );
}
