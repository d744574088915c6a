'use client';

import { useEffect, useRef } from 'react';
import type { CopyResult } from './copyCellLink';
import styles from './Share.module.css';

/** What "Copy link" did: copied, a link to copy by hand, or why the code cannot go in a link. */
export function ShareFeedback({ result, onClose }: { result: CopyResult; onClose(): void }) {
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (result.kind === 'copy-by-hand') field.current?.select();
  }, [result]);

  switch (result.kind) {
    case 'copied':
      return (
        <div className={styles.banner} role="status">
          <span>Link copied. It opens this cell with your code as it is now; whoever opens it still keeps their own version.</span>
          <button type="button" onClick={onClose}>
            Dismiss
          </button>
        </div>
      );
    case 'copy-by-hand':
      return (
        <div className={styles.banner} role="status">
          <label className={styles.manual}>
            <span>This browser did not allow copying. Copy the link yourself:</span>
            <input ref={field} readOnly value={result.url} onFocus={(event) => event.currentTarget.select()} />
          </label>
          <button type="button" onClick={onClose}>
            Dismiss
          </button>
        </div>
      );
    case 'too-long':
      return (
        <div className={styles.banner} role="alert" data-tone="error">
          <span>{result.message}</span>
          <button type="button" onClick={onClose}>
            Dismiss
          </button>
        </div>
      );
  }
}
