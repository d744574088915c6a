import { browserStorage, clearDraft, draftKey, loadDraft, saveDraft, type Draft } from '@/runtime';
import { loadDrawings, saveDrawings, type Drawings } from '../lesson/drawingStore';
import { exerciseStatus, setExerciseStatus, type ExerciseStatus } from '../lesson/progressStore';
import { announceWorkReplaced } from './workEvents';
import type { LessonWork } from './workFile';

/** What a lesson holds, as the build saw it: every cell of every page, and its exercises. */
export interface LessonContents {
  lesson: string;
  /** `label` says where the cell is, for people: "first-tensor (page 1)". */
  cells: readonly { id: string; label: string }[];
  exercises: readonly { id: string; title: string }[];
}

/** The student's work in a lesson as this browser holds it. */
export function collectWork(contents: LessonContents, now: Date = new Date()): LessonWork {
  const storage = browserStorage();
  const cells: LessonWork['cells'] = [];
  for (const { id } of contents.cells) {
    const draft = loadDraft(storage, draftKey(contents.lesson, id));
    if (draft) cells.push({ id, code: draft.code, starterHash: draft.starterHash, savedAt: draft.savedAt });
  }
  const progress: LessonWork['progress'] = [];
  for (const { id } of contents.exercises) {
    const status = exerciseStatus(contents.lesson, id);
    if (status !== 'not-started') progress.push({ exercise: id, status });
  }
  return { lesson: contents.lesson, createdAt: now.toISOString(), cells, progress, drawings: loadDrawings(contents.lesson) };
}

/** "3 edited cells, 2 exercises passed, 6 drawings" */
export function describeWork(work: LessonWork): string {
  const { cells, progress, drawings } = work;
  const passed = progress.filter((p) => p.status === 'passed').length;
  return `${plural(cells.length, 'edited cell')}, ${plural(passed, 'exercise')} passed, ${plural(drawings.examples.length, 'drawing')}`;
}

export type CellChange = 'replaces-edit' | 'adds-edit';

/** What restoring a file would change in this browser, for the student to confirm first. */
export interface RestorePlan {
  cells: { id: string; label: string; change: CellChange }[];
  /** Edits in this browser that the file does not have: left as they are. */
  keptEdits: { id: string; label: string }[];
  /** Cells in the file that this lesson no longer has: not restored. */
  skippedCells: string[];
  /** Only ever upwards: a passed exercise stays passed. */
  progress: { id: string; title: string; from: ExerciseStatus; to: ExerciseStatus }[];
  /** Null when the drawings stay as they are. */
  drawings: { from: Drawings; to: Drawings } | null;
}

const RANK: Record<ExerciseStatus, number> = { 'not-started': 0, attempted: 1, passed: 2 };

export function planRestore(contents: LessonContents, work: LessonWork): RestorePlan {
  const storage = browserStorage();
  const known = new Map(contents.cells.map((cell) => [cell.id, cell.label]));
  const inFile = new Set(work.cells.map((cell) => cell.id));
  const cells: RestorePlan['cells'] = [];
  for (const cell of work.cells) {
    const label = known.get(cell.id);
    if (label === undefined) continue;
    const draft = loadDraft(storage, draftKey(contents.lesson, cell.id));
    if (draft?.code === cell.code) continue;
    cells.push({ id: cell.id, label, change: draft ? 'replaces-edit' : 'adds-edit' });
  }
  const keptEdits = contents.cells.filter((cell) => !inFile.has(cell.id) && loadDraft(storage, draftKey(contents.lesson, cell.id)) !== null);
  const skippedCells = work.cells.filter((cell) => !known.has(cell.id)).map((cell) => cell.id);

  const titles = new Map(contents.exercises.map((e) => [e.id, e.title]));
  const progress: RestorePlan['progress'] = [];
  for (const { exercise, status } of work.progress) {
    const title = titles.get(exercise);
    if (title === undefined) continue;
    const from = exerciseStatus(contents.lesson, exercise);
    if (RANK[status] > RANK[from]) progress.push({ id: exercise, title, from, to: status });
  }

  const current = loadDrawings(contents.lesson);
  const drawings = work.drawings.classes.length > 0 && JSON.stringify(current) !== JSON.stringify(work.drawings) ? { from: current, to: work.drawings } : null;
  return { cells, keptEdits, skippedCells, progress, drawings };
}

export function planChangesNothing(plan: RestorePlan): boolean {
  return plan.cells.length === 0 && plan.progress.length === 0 && plan.drawings === null;
}

/** Everything a restore touches, as it was before, so Undo can put it back exactly. */
export interface WorkSnapshot {
  lesson: string;
  drafts: { id: string; draft: Draft | null }[];
  progress: { id: string; status: ExerciseStatus }[];
  drawings: Drawings | null;
}

export type RestoreResult = { ok: true; undo: WorkSnapshot } | { ok: false; message: string };

/**
 * Applies the plan's changes with the file's contents. When the browser refuses any write, what was
 * already written is put back, so a restore happens entirely or not at all.
 */
export function applyRestore(lesson: string, work: LessonWork, plan: RestorePlan): RestoreResult {
  const storage = browserStorage();
  const byId = new Map(work.cells.map((cell) => [cell.id, cell]));
  const snapshot: WorkSnapshot = {
    lesson,
    drafts: plan.cells.map(({ id }) => ({ id, draft: loadDraft(storage, draftKey(lesson, id)) })),
    progress: plan.progress.map(({ id, from }) => ({ id, status: from })),
    drawings: plan.drawings ? plan.drawings.from : null,
  };
  const failure = writeAll(() => {
    for (const { id } of plan.cells) {
      const cell = byId.get(id)!;
      const problem = saveDraft(storage, draftKey(lesson, id), { code: cell.code, starterHash: cell.starterHash, savedAt: cell.savedAt });
      if (problem) return problem;
    }
    for (const { id, to } of plan.progress) {
      const problem = setExerciseStatus(lesson, id, to);
      if (problem) return problem;
    }
    return plan.drawings ? saveDrawings(lesson, plan.drawings.to) : null;
  });
  if (failure) {
    putBack(snapshot);
    return { ok: false, message: `The browser refused to save the restored work (${failure.replace(/\.$/, '')}). Nothing was changed.` };
  }
  announceWorkReplaced(lesson, plan.cells.map((c) => c.id));
  return { ok: true, undo: snapshot };
}

/** Puts back what a restore replaced. Returns an error message when the browser refuses. */
export function undoRestore(snapshot: WorkSnapshot): string | null {
  const failure = putBack(snapshot);
  announceWorkReplaced(snapshot.lesson, snapshot.drafts.map((d) => d.id));
  return failure;
}

function putBack({ lesson, drafts, progress, drawings }: WorkSnapshot): string | null {
  const storage = browserStorage();
  let failure: string | null = null;
  for (const { id, draft } of drafts) {
    if (draft) failure ??= saveDraft(storage, draftKey(lesson, id), draft);
    else clearDraft(storage, draftKey(lesson, id));
  }
  for (const { id, status } of progress) failure ??= setExerciseStatus(lesson, id, status);
  if (drawings) failure ??= saveDrawings(lesson, drawings);
  return failure;
}

/** Runs the writes, turning anything thrown into a message like the stores' own. */
function writeAll(steps: () => string | null): string | null {
  try {
    return steps();
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
