import styles from './Measured.module.css';

export interface MeasuredProps {
  /** The figure, formatted at build time from the lesson's measured.json. */
  value: string;
  /** Where it comes from, shown on hover. */
  source: string;
}

/** A number the lesson's own cells produced; the lesson tests check it still holds. */
export function Measured({ value, source }: MeasuredProps) {
  return (
    <span className={styles.measured} title={source}>
      {value}
    </span>
  );
}
