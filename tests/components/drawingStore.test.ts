import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DRAWING_SIDE } from '@/components/lesson/drawingPreprocess';
import { currentDrawings, loadDrawings, saveDrawings, subscribeDrawings, updateDrawings, type Drawings } from '@/components/lesson/drawingStore';
import { parseImageSet } from '@/runtime/data/imageSet';

const LESSON = 'transfer-learning';
const KEY = `course:v1:drawings:${LESSON}`;
const pixels = (value: number) => Array.from({ length: DRAWING_SIDE * DRAWING_SIDE }, (_, i) => (i === 0 ? value : (i * 7) % 256));

class MemoryStorage {
  items = new Map<string, string>();
  full = false;
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    if (this.full) throw new DOMException('quota', 'QuotaExceededError');
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
}

let storage: MemoryStorage;
const windowListeners = new Map<string, (event: unknown) => void>();

beforeEach(() => {
  storage = new MemoryStorage();
  windowListeners.clear();
  vi.stubGlobal('window', {
    localStorage: storage,
    addEventListener: (type: string, listener: (event: unknown) => void) => windowListeners.set(type, listener),
    removeEventListener: (type: string) => windowListeners.delete(type),
  });
});
afterEach(() => {
  vi.unstubAllGlobals();
});

const two: Drawings = {
  classes: ['circle', 'cross'],
  examples: [
    { label: 0, pixels: pixels(1) },
    { label: 1, pixels: pixels(2) },
    { label: 1, pixels: pixels(3) },
  ],
};

describe('drawingStore', () => {
  it('saves and loads drawings per lesson, storing pixels compactly', () => {
    expect(saveDrawings(LESSON, two)).toBeNull();
    expect(loadDrawings(LESSON)).toEqual(two);
    expect(loadDrawings('another-lesson')).toEqual({ classes: [], examples: [] });
    const stored = storage.getItem(KEY)!;
    expect(stored.length).toBeLessThan(3 * 1200); // base64, not a JSON array of 784 numbers
  });

  it('still reads drawings saved with pixels as arrays of numbers', () => {
    storage.setItem(KEY, JSON.stringify(two));
    expect(loadDrawings(LESSON)).toEqual(two);
  });

  it('treats malformed storage as no drawings and drops malformed examples', () => {
    storage.setItem(KEY, '{not json');
    expect(loadDrawings(LESSON)).toEqual({ classes: [], examples: [] });
    storage.setItem(KEY, JSON.stringify({ classes: 'circle', examples: [] }));
    expect(loadDrawings(LESSON)).toEqual({ classes: [], examples: [] });
    storage.setItem(
      KEY,
      JSON.stringify({
        classes: ['a', 'b'],
        examples: [{ label: 2, pixels: pixels(0) }, { label: 0, pixels: [1, 2, 3] }, { label: 1, pixels: 'not base64!' }, null, { label: 1, pixels: pixels(9) }],
      }),
    );
    expect(loadDrawings(LESSON)).toEqual({ classes: ['a', 'b'], examples: [{ label: 1, pixels: pixels(9) }] });
  });

  it('returns a message instead of throwing when storage is full, and tells no one of a change', () => {
    const listener = vi.fn();
    const unsubscribe = subscribeDrawings(listener);
    storage.full = true;
    expect(saveDrawings(LESSON, two)).toMatch(/could not be saved.*storage is full/);
    expect(listener).not.toHaveBeenCalled();
    unsubscribe();
  });

  it('tells subscribers about saves on this page and in other tabs, until they unsubscribe', () => {
    const listener = vi.fn();
    const unsubscribe = subscribeDrawings(listener);
    saveDrawings(LESSON, two);
    expect(listener).toHaveBeenCalledTimes(1);
    windowListeners.get('storage')!({ key: KEY });
    windowListeners.get('storage')!({ key: 'course:v1:draft:other' });
    expect(listener).toHaveBeenCalledTimes(2);
    unsubscribe();
    expect(windowListeners.has('storage')).toBe(false);
    saveDrawings(LESSON, two);
    expect(listener).toHaveBeenCalledTimes(2);
  });

  it('updates the drawings as they are saved now, not as a caller last saw them', () => {
    saveDrawings(LESSON, two);
    updateDrawings(LESSON, (d) => ({ ...d, examples: [...d.examples, { label: 0, pixels: pixels(4) }] }));
    updateDrawings(LESSON, (d) => ({ ...d, classes: [...d.classes, 'square'] }));
    const now = loadDrawings(LESSON);
    expect(now.classes).toEqual(['circle', 'cross', 'square']);
    expect(now.examples).toHaveLength(4);
  });

  it('hands code cells an image set of the drawings, or nothing when there are none', () => {
    expect(currentDrawings(LESSON)).toBeUndefined();
    saveDrawings(LESSON, { classes: ['circle'], examples: [] });
    expect(currentDrawings(LESSON)).toBeUndefined();
    saveDrawings(LESSON, two);
    const set = parseImageSet(currentDrawings(LESSON)!);
    expect(set).toMatchObject({ name: 'drawings', classes: ['circle', 'cross'], count: 3, width: 28, height: 28, channels: 1 });
    expect([...set.labels]).toEqual([0, 1, 1]);
    expect([...set.pixels.subarray(784, 784 * 2)]).toEqual(pixels(2));
  });

  it('gives the image set distinct class names even when stored ones repeat or are blank', () => {
    storage.setItem(KEY, JSON.stringify({ classes: ['a', 'a', ' '], examples: [{ label: 2, pixels: pixels(1) }] }));
    expect(parseImageSet(currentDrawings(LESSON)!).classes).toEqual(['a', 'a (2)', 'class 3']);
  });
});
