'use client';

import styles from './CodeCell.module.css';

export interface CodeCellProps {
  /** Unique within the lesson; keys the student's saved edits. */
  id: string;
  /** Starter code, inlined at build time from the cell's `src` file or fenced block. */
  code: string;
  /** Fingerprint of the starter code, to notice when the lesson changed under a saved edit. */
  codeHash: string;
}

/**
 * A runnable `main.ts` cell. This is the page's reserved place for the runner: the editor, compiler
 * and sandbox plug in here (see runtime/).
 */
export function CodeCell({ id, code }: CodeCellProps) {
  return (
    <section className={styles.cell} aria-label={`Code cell ${id}`} data-cell-id={id}>
      <div className={styles.toolbar}>
        <div role="tablist" className={styles.tabs}>
          <span role="tab" aria-selected="true" className={styles.tab}>
            main.ts
          </span>
        </div>
        <button type="button" className={styles.run} disabled title="The runner is loading">
          Run Code
        </button>
      </div>
      <div className={styles.editor}>
        <pre className={styles.placeholder}>{code}</pre>
        <p className={styles.loading} role="status">
          Loading...
        </p>
      </div>
      <div className={styles.output} aria-label="Output">
        <div className={styles.outputHeader}>OUTPUT</div>
        <p className={styles.empty}>Click &quot;Run Code&quot; to execute…</p>
      </div>
    </section>
  );
}
