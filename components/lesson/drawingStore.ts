import { encodeImageSet } from '@/runtime/data/imageSet';
import { browserStorage } from '@/runtime';
import { MAX_CLASSES, distinctClassNames } from './drawingClasses';
import { DRAWING_SIDE } from './drawingPreprocess';

/** The most examples kept per class: enough to learn from, and it keeps localStorage well under its quota. */
export const MAX_EXAMPLES_PER_CLASS = 100;

export interface Drawings {
  classes: string[];
  /** One entry per drawing: its class index and DRAWING_SIDE² grayscale bytes (0 = background). */
  examples: { label: number; pixels: number[] }[];
}

const PIXELS = DRAWING_SIDE * DRAWING_SIDE;
const PREFIX = 'course:v1:drawings:';
const keyOf = (lesson: string) => `${PREFIX}${lesson}`;
const listeners = new Set<() => void>();

/** The drawings saved for a lesson; anything malformed is treated as none. */
export function loadDrawings(lesson: string): Drawings {
  const empty: Drawings = { classes: [], examples: [] };
  try {
    const raw = browserStorage()?.getItem(keyOf(lesson));
    if (!raw) return empty;
    const value = JSON.parse(raw) as { classes?: unknown; examples?: unknown };
    if (!Array.isArray(value.classes) || !Array.isArray(value.examples)) return empty;
    const classes = value.classes.filter((c): c is string => typeof c === 'string').slice(0, MAX_CLASSES);
    const examples: Drawings['examples'] = [];
    for (const entry of value.examples as unknown[]) {
      if (!entry || typeof entry !== 'object') continue;
      const { label, pixels } = entry as { label?: unknown; pixels?: unknown };
      if (typeof label !== 'number' || !Number.isInteger(label) || label < 0 || label >= classes.length) continue;
      const bytes = decodePixels(pixels);
      if (bytes) examples.push({ label, pixels: bytes });
    }
    return { classes, examples };
  } catch {
    return empty;
  }
}

/**
 * Saves the drawings; returns an error message when the browser refuses. Pixels are stored as base64
 * (about 1 KB a drawing instead of 2.5 KB as a JSON array); loadDrawings reads both forms.
 */
export function saveDrawings(lesson: string, drawings: Drawings): string | null {
  try {
    const stored = { classes: drawings.classes, examples: drawings.examples.map((e) => ({ label: e.label, pixels: encodePixels(e.pixels) })) };
    browserStorage()?.setItem(keyOf(lesson), JSON.stringify(stored));
  } catch {
    return 'The drawings could not be saved in this browser (storage is full or disabled).';
  }
  notify();
  return null;
}

/** Applies `change` to the lesson's drawings as they are saved now (another pad may have changed them) and saves. */
export function updateDrawings(lesson: string, change: (current: Drawings) => Drawings): string | null {
  return saveDrawings(lesson, change(loadDrawings(lesson)));
}

/**
 * Calls `listener` whenever drawings are saved on this page, or in another tab of the same site.
 * Returns the unsubscribe function.
 */
export function subscribeDrawings(listener: () => void): () => void {
  listeners.add(listener);
  if (listeners.size === 1 && typeof window !== 'undefined') window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && typeof window !== 'undefined') window.removeEventListener('storage', onStorage);
  };
}

function onStorage(event: StorageEvent): void {
  if (event.key === null || event.key.startsWith(PREFIX)) notify();
}

function notify(): void {
  for (const listener of [...listeners]) listener();
}

/** The lesson's drawings as image-set bytes for the sandbox, or undefined when there are none. */
export function currentDrawings(lesson: string): ArrayBuffer | undefined {
  const { classes, examples } = loadDrawings(lesson);
  if (examples.length === 0) return undefined;
  const pixels = new Uint8Array(examples.length * PIXELS);
  examples.forEach((example, i) => pixels.set(example.pixels, i * PIXELS));
  const bytes = encodeImageSet({
    name: 'drawings',
    // The image-set format wants distinct, non-empty names; storage edited by hand may have neither.
    classes: distinctClassNames(classes),
    count: examples.length,
    width: DRAWING_SIDE,
    height: DRAWING_SIDE,
    channels: 1,
    source: 'drawn by the student on the lesson page',
    pixels,
    labels: Uint8Array.from(examples.map((e) => e.label)),
  });
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** A drawing's DRAWING_SIDE² bytes as base64, the form storage and the work file keep them in. */
export function encodePixels(pixels: readonly number[]): string {
  let binary = '';
  for (const value of pixels) binary += String.fromCharCode(value & 0xff);
  return btoa(binary);
}

/** A drawing's pixels from base64 (or an array of numbers, as older saves hold them); null unless exactly DRAWING_SIDE² bytes. */
export function decodePixels(value: unknown): number[] | null {
  if (Array.isArray(value)) {
    if (value.length !== PIXELS || !value.every((v) => typeof v === 'number' && v >= 0 && v <= 255)) return null;
    return value.map((v: number) => Math.round(v));
  }
  if (typeof value !== 'string') return null;
  let binary: string;
  try {
    binary = atob(value);
  } catch {
    return null;
  }
  if (binary.length !== PIXELS) return null;
  return Array.from(binary, (c) => c.charCodeAt(0));
}
