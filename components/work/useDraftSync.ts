'use client';

import { useEffect, useRef } from 'react';
import { onDraftFlushRequested, onWorkReplaced } from './workEvents';

/**
 * Keeps a cell in step with its saved draft when the lesson's work changes from outside: `reload`
 * when a restore (or its undo) replaced this cell's draft, `flush` when the work is about to be read.
 */
export function useDraftSync(lesson: string, cell: string, handlers: { reload(): void; flush(): void }): void {
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(() => {
    const stopReplaced = onWorkReplaced((replacedLesson, cells) => {
      if (replacedLesson === lesson && cells.includes(cell)) latest.current.reload();
    });
    const stopFlush = onDraftFlushRequested(() => latest.current.flush());
    return () => {
      stopReplaced();
      stopFlush();
    };
  }, [lesson, cell]);
}
