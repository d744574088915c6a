'use client';

import { useEffect, useRef, useState } from 'react';
import { endSharedLink, useSharedLink } from './sharedLink';
import styles from './Share.module.css';

/**
 * Page-level message for a share link that cannot open: damaged, too long, from a newer version,
 * or for a cell that is not on this page. (A link that works is shown by its cell.)
 */
export function SharedLinkProblem() {
  const shared = useSharedLink();
  const [missingCell, setMissingCell] = useState<string | null>(null);
  const box = useRef<HTMLDivElement>(null);

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
  useEffect(() => {
    // On a phone the lesson's sidebar comes first; the message must not sit below it unseen.
    if (message) box.current?.scrollIntoView({ block: 'center' });
  }, [message]);
  if (!message) return null;
  return (
    <div ref={box} className={styles.pageProblem} role="alert">
      <span>{message}</span>
      <button type="button" onClick={endSharedLink}>
        Dismiss
      </button>
    </div>
  );
}
