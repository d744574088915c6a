type ReplacedListener = (lesson: string, cells: readonly string[]) => void;

const replacedListeners = new Set<ReplacedListener>();
const flushListeners = new Set<() => void>();

/**
 * Tells the cells on this page that their saved edits were replaced from outside (a restore, or
 * its undo), so they show what is saved now. Drafts have no change events of their own: a cell
 * otherwise reads its draft only when it mounts.
 */
export function announceWorkReplaced(lesson: string, cells: readonly string[]): void {
  for (const listener of [...replacedListeners]) listener(lesson, cells);
}

/** Returns the unsubscribe function. */
export function onWorkReplaced(listener: ReplacedListener): () => void {
  replacedListeners.add(listener);
  return () => {
    replacedListeners.delete(listener);
  };
}

/** Asks every cell to save an edit it is still holding back (cells save shortly after typing stops), before the work is read. */
export function requestDraftFlush(): void {
  for (const listener of [...flushListeners]) listener();
}

/** Returns the unsubscribe function. */
export function onDraftFlushRequested(listener: () => void): () => void {
  flushListeners.add(listener);
  return () => {
    flushListeners.delete(listener);
  };
}
