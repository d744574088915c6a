type Listener = (lesson: string, cells: readonly string[]) => void;

const listeners = new Set<Listener>();

/**
 * Tells the cells on this page that their saved edits were replaced from outside (a restore, or
 * its undo), so they show what is saved now. Drafts have no change events of their own: a cell
 * otherwise reads its draft only when it mounts.
 */
export function announceWorkReplaced(lesson: string, cells: readonly string[]): void {
  for (const listener of [...listeners]) listener(lesson, cells);
}

/** Returns the unsubscribe function. */
export function onWorkReplaced(listener: Listener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}
