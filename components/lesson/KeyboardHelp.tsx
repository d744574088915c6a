import styles from './Lesson.module.css';

/** The lesson's keyboard shortcuts, where every page shows them (the sidebar). */
export function KeyboardHelp() {
  return (
    <details className={styles.keyboard}>
      <summary className={styles.keyboardSummary}>Keyboard shortcuts</summary>
      <dl className={styles.keys}>
        <dt>
          <kbd>Ctrl</kbd>+<kbd>Enter</kbd>
        </dt>
        <dd>
          Run the code cell you are in (<kbd>⌘</kbd>+<kbd>Enter</kbd> on a Mac).
        </dd>
        <dt>
          <kbd>Esc</kbd>
        </dt>
        <dd>Stop the cell&apos;s run. While a model trains, the first press stops after the current batch and a second one stops at once.</dd>
        <dt>
          <kbd>Ctrl</kbd>+<kbd>M</kbd>
        </dt>
        <dd>
          In the editor, <kbd>Tab</kbd> indents. This switches it to moving focus out of the editor, and back (<kbd>Ctrl</kbd>+<kbd>Shift</kbd>+<kbd>M</kbd> on a Mac).
        </dd>
      </dl>
    </details>
  );
}
