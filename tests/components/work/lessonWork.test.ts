import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadDrawings, saveDrawings, type Drawings } from '@/components/lesson/drawingStore';
import { exerciseStatus, recordAttempt } from '@/components/lesson/progressStore';
import { applyRestore, collectWork, describeWork, planChangesNothing, planRestore, undoRestore, type LessonContents } from '@/components/work/lessonWork';
import { onWorkReplaced } from '@/components/work/workEvents';
import type { LessonWork } from '@/components/work/workFile';
import { draftKey, loadDraft, saveDraft } from '@/runtime/host/drafts';

const LESSON = 'transfer-learning';
const contents: LessonContents = {
  lesson: LESSON,
  cells: [
    { id: 'first-tensor', label: 'first-tensor (page 1)' },
    { id: 'odd-or-even', label: 'A head for a new question (page 1)' },
    { id: 'latency', label: 'latency (page 2)' },
  ],
  exercises: [
    { id: 'odd-or-even', title: 'A head for a new question' },
    { id: 'save-reload', title: 'Save and reload at half precision' },
  ],
};
const pixels = (value: number) => Array.from({ length: 784 }, () => value);
const circles: Drawings = { classes: ['circle'], examples: [{ label: 0, pixels: pixels(9) }] };

class MemoryStorage {
  items = new Map<string, string>();
  /** Keys the storage refuses to write, as a full one does for whatever does not fit. */
  refuse: RegExp | null = null;
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    if (this.refuse?.test(key)) throw new DOMException('quota', 'QuotaExceededError');
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
}

let storage: MemoryStorage;
beforeEach(() => {
  storage = new MemoryStorage();
  vi.stubGlobal('window', { localStorage: storage, addEventListener() {}, removeEventListener() {} });
});
afterEach(() => {
  vi.unstubAllGlobals();
});

const edit = (cell: string, code: string, starterHash = 'h1') => saveDraft(storage as unknown as Storage, draftKey(LESSON, cell), { code, starterHash, savedAt: 1000 });
const draftOf = (cell: string) => loadDraft(storage as unknown as Storage, draftKey(LESSON, cell));

function fileWork(): LessonWork {
  return {
    lesson: LESSON,
    createdAt: '2026-12-03T09:30:00.000Z',
    cells: [
      { id: 'first-tensor', code: 'from the file', starterHash: 'h0', savedAt: 5 },
      { id: 'latency', code: 'latency from the file', starterHash: 'h2', savedAt: 6 },
      { id: 'removed-cell', code: 'gone from the lesson', starterHash: 'h3', savedAt: 7 },
    ],
    progress: [
      { exercise: 'odd-or-even', status: 'attempted' },
      { exercise: 'save-reload', status: 'passed' },
      { exercise: 'not-in-this-lesson', status: 'passed' },
    ],
    drawings: { classes: ['square', 'line'], examples: [{ label: 1, pixels: pixels(200) }] },
  };
}

describe('collecting a lesson\'s work', () => {
  it('takes the edits of the lesson\'s cells, started exercises and the drawings', () => {
    edit('first-tensor', 'my tensor code');
    saveDraft(storage as unknown as Storage, draftKey('another-lesson', 'latency'), { code: 'other lesson', starterHash: 'x', savedAt: 1 });
    recordAttempt(LESSON, 'odd-or-even', true);
    saveDrawings(LESSON, circles);
    const work = collectWork(contents, new Date('2026-12-03T10:00:00Z'));
    expect(work).toEqual({
      lesson: LESSON,
      createdAt: '2026-12-03T10:00:00.000Z',
      cells: [{ id: 'first-tensor', code: 'my tensor code', starterHash: 'h1', savedAt: 1000 }],
      progress: [{ exercise: 'odd-or-even', status: 'passed' }],
      drawings: circles,
    });
    expect(describeWork(work)).toBe('1 edited cell, 1 exercise passed, 1 drawing');
  });
});

describe('restoring a lesson\'s work', () => {
  it('plans what would change: replaced and added edits, edits kept, cells skipped, progress only upwards, drawings', () => {
    edit('first-tensor', 'my own version');
    edit('odd-or-even', 'my exercise attempt');
    recordAttempt(LESSON, 'odd-or-even', true);
    saveDrawings(LESSON, circles);
    const plan = planRestore(contents, fileWork());
    expect(plan.cells).toEqual([
      { id: 'first-tensor', label: 'first-tensor (page 1)', change: 'replaces-edit' },
      { id: 'latency', label: 'latency (page 2)', change: 'adds-edit' },
    ]);
    expect(plan.keptEdits).toEqual([{ id: 'odd-or-even', label: 'A head for a new question (page 1)' }]);
    expect(plan.skippedCells).toEqual(['removed-cell']);
    // odd-or-even is passed here and only attempted in the file: it stays passed.
    expect(plan.progress).toEqual([{ id: 'save-reload', title: 'Save and reload at half precision', from: 'not-started', to: 'passed' }]);
    expect(plan.drawings).toEqual({ from: circles, to: fileWork().drawings });
    expect(planChangesNothing(plan)).toBe(false);
  });

  it('leaves out what is already the same, and keeps drawings when the file has none', () => {
    edit('first-tensor', 'from the file');
    saveDrawings(LESSON, circles);
    const plan = planRestore(contents, { ...fileWork(), cells: [fileWork().cells[0]!], progress: [], drawings: { classes: [], examples: [] } });
    expect(plan.cells).toEqual([]);
    expect(plan.drawings).toBeNull();
    expect(planChangesNothing(plan)).toBe(true);
  });

  it('writes the file\'s work, tells the page, and Undo puts back exactly what was there', () => {
    edit('first-tensor', 'my own version');
    recordAttempt(LESSON, 'save-reload', false);
    saveDrawings(LESSON, circles);
    const told = vi.fn();
    const unsubscribe = onWorkReplaced(told);
    const work = fileWork();
    const result = applyRestore(LESSON, work, planRestore(contents, work));
    expect(result.ok).toBe(true);
    expect(draftOf('first-tensor')).toEqual({ code: 'from the file', starterHash: 'h0', savedAt: 5 });
    expect(draftOf('latency')).toEqual({ code: 'latency from the file', starterHash: 'h2', savedAt: 6 });
    expect(draftOf('removed-cell')).toBeNull();
    expect(exerciseStatus(LESSON, 'save-reload')).toBe('passed');
    expect(exerciseStatus(LESSON, 'odd-or-even')).toBe('attempted');
    expect(loadDrawings(LESSON)).toEqual(work.drawings);
    expect(told).toHaveBeenCalledWith(LESSON, ['first-tensor', 'latency']);

    expect(undoRestore(result.ok ? result.undo : (undefined as never))).toBeNull();
    expect(draftOf('first-tensor')).toEqual({ code: 'my own version', starterHash: 'h1', savedAt: 1000 });
    expect(draftOf('latency')).toBeNull();
    expect(exerciseStatus(LESSON, 'save-reload')).toBe('attempted');
    expect(exerciseStatus(LESSON, 'odd-or-even')).toBe('not-started');
    expect(loadDrawings(LESSON)).toEqual(circles);
    expect(told).toHaveBeenCalledTimes(2);
    unsubscribe();
  });

  it('changes nothing when the browser refuses a write halfway', () => {
    edit('first-tensor', 'my own version');
    saveDrawings(LESSON, circles);
    const before = new Map(storage.items);
    const work = fileWork();
    const plan = planRestore(contents, work);
    for (const refused of [/:progress:/, /:drawings:/]) {
      storage.refuse = refused; // the drafts are written before the browser refuses this
      const result = applyRestore(LESSON, work, plan);
      expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/refused to save.*Nothing was changed/) });
      expect(storage.items).toEqual(before);
    }
  });
});
