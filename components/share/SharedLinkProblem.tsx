'use client';

import { useEffect, useState } from 'react';
import { endSharedLink, useSharedLink } from './sharedLink';
import styles from './Share.module.css';

/**
 * Page-level message for a share link that cannot open: damaged, too long, from a newer version,
 * or for a cell that is not on this page. (A link that works is shown by its cell.)
 */
export function SharedLinkProblem() {
  const shared = useSharedLink();
  const [missingCell, setMissingCell] = useState<string | null>(null);

  useEffect(() => {
    // Cells are rendered on the server, so by now every cell of the page is in the document.
    const found = shared.kind === 'cell' && document.querySelector(`[data-cell-id="${CSS.escape(shared.cell)}"]`);
    setMissingCell(shared.kind === 'cell' && !found ? shared.cell : null);
  }, [shared]);

  const message =
    shared.kind === 'problem'
      ? shared.message
      : missingCell
        ? `This link shares code for the cell "${missingCell}", which is not on this page (the lesson may have changed since the link was made). Nothing was opened and your own code is unchanged.`
        : null;
  if (!message) return null;
  return (
    <div className={styles.pageProblem} role="alert">
      <span>{message}</span>
      <button type="button" onClick={endSharedLink}>
        Dismiss
      </button>
    </div>
  );
}
