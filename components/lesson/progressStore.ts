import { browserStorage } from '@/runtime';

export type ExerciseStatus = 'not-started' | 'attempted' | 'passed';

const keyOf = (lesson: string, exercise: string) => `course:v1:progress:${lesson}:${exercise}`;
const listeners = new Set<() => void>();

export function exerciseStatus(lesson: string, exercise: string): ExerciseStatus {
  try {
    const value = browserStorage()?.getItem(keyOf(lesson, exercise));
    return value === 'attempted' || value === 'passed' ? value : 'not-started';
  } catch {
    return 'not-started';
  }
}

/** Records progress; a passed exercise stays passed when a later attempt fails. */
export function recordAttempt(lesson: string, exercise: string, passed: boolean): void {
  const next: ExerciseStatus = passed ? 'passed' : exerciseStatus(lesson, exercise) === 'passed' ? 'passed' : 'attempted';
  try {
    browserStorage()?.setItem(keyOf(lesson, exercise), next);
  } catch {
    // Progress is a convenience; a browser that refuses storage simply does not remember it.
  }
  notify();
}

/**
 * Sets an exercise's status as it is, for restoring saved work and undoing a restore. Returns an
 * error message when the browser refuses.
 */
export function setExerciseStatus(lesson: string, exercise: string, status: ExerciseStatus): string | null {
  try {
    const storage = browserStorage();
    if (!storage) return 'This browser does not allow saving.';
    if (status === 'not-started') storage.removeItem(keyOf(lesson, exercise));
    else storage.setItem(keyOf(lesson, exercise), status);
  } catch {
    return 'Exercise progress could not be saved in this browser (storage is full or disabled).';
  }
  notify();
  return null;
}

function notify(): void {
  for (const listener of [...listeners]) listener();
}

export function subscribeProgress(listener: () => void): () => void {
  listeners.add(listener);
  // Another tab of the course updated progress.
  const onStorage = (event: StorageEvent) => {
    if (event.key?.startsWith('course:v1:progress:')) listener();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}
