/** A student's edit of a cell, saved in the browser. */
export interface Draft {
  code: string;
  /** Hash of the starter code the edit was based on. */
  starterHash: string;
  savedAt: number;
}

const PREFIX = 'course:v1:draft:';

export function draftKey(lesson: string, cell: string): string {
  return `${PREFIX}${lesson}:${cell}`;
}

/** Reads a saved draft; anything missing, unreadable or malformed counts as no draft. */
export function loadDraft(storage: Storage | undefined, key: string): Draft | null {
  try {
    const raw = storage?.getItem(key);
    if (!raw) return null;
    const value = JSON.parse(raw) as Partial<Draft>;
    if (typeof value.code !== 'string' || typeof value.starterHash !== 'string' || typeof value.savedAt !== 'number') return null;
    return { code: value.code, starterHash: value.starterHash, savedAt: value.savedAt };
  } catch {
    return null;
  }
}

/** Saves a draft. Returns an error message when the browser refuses (storage full or disabled). */
export function saveDraft(storage: Storage | undefined, key: string, draft: Draft): string | null {
  if (!storage) return 'This browser does not allow saving, so edits last only until you leave the page.';
  try {
    storage.setItem(key, JSON.stringify(draft));
    return null;
  } catch {
    return 'Your edit could not be saved in this browser (storage is full or disabled). Copy it somewhere safe before leaving.';
  }
}

export function clearDraft(storage: Storage | undefined, key: string): void {
  try {
    storage?.removeItem(key);
  } catch {
    // Nothing to lose: the draft is being discarded anyway.
  }
}

export function browserStorage(): Storage | undefined {
  try {
    return typeof window === 'undefined' ? undefined : window.localStorage;
  } catch {
    return undefined;
  }
}
