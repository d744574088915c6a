import { encodeImageSet } from '@/runtime/data/imageSet';
import { browserStorage } from '@/runtime';

/** Side of a drawing in pixels, the same as the lesson's images. */
export const DRAWING_SIDE = 28;

export interface Drawings {
  classes: string[];
  /** One entry per drawing: its class index and DRAWING_SIDE² grayscale bytes (0 = background). */
  examples: { label: number; pixels: number[] }[];
}

const keyOf = (lesson: string) => `course:v1:drawings:${lesson}`;
const listeners = new Set<() => void>();

/** The drawings saved for a lesson; anything malformed is treated as none. */
export function loadDrawings(lesson: string): Drawings {
  const empty: Drawings = { classes: [], examples: [] };
  try {
    const raw = browserStorage()?.getItem(keyOf(lesson));
    if (!raw) return empty;
    const value = JSON.parse(raw) as Partial<Drawings>;
    if (!Array.isArray(value.classes) || !Array.isArray(value.examples)) return empty;
    const classes = value.classes.filter((c): c is string => typeof c === 'string').slice(0, 10);
    const examples = value.examples.filter(
      (e): e is Drawings['examples'][number] =>
        !!e && Number.isInteger(e.label) && e.label >= 0 && e.label < classes.length && Array.isArray(e.pixels) && e.pixels.length === DRAWING_SIDE * DRAWING_SIDE,
    );
    return { classes, examples };
  } catch {
    return empty;
  }
}

/** Saves the drawings; returns an error message when the browser refuses. */
export function saveDrawings(lesson: string, drawings: Drawings): string | null {
  try {
    browserStorage()?.setItem(keyOf(lesson), JSON.stringify(drawings));
    for (const listener of listeners) listener();
    return null;
  } catch {
    return 'The drawings could not be saved in this browser (storage is full or disabled).';
  }
}

export function subscribeDrawings(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The lesson's drawings as image-set bytes for the sandbox, or undefined when there are none. */
export function currentDrawings(lesson: string): ArrayBuffer | undefined {
  const { classes, examples } = loadDrawings(lesson);
  if (examples.length === 0) return undefined;
  const size = DRAWING_SIDE * DRAWING_SIDE;
  const pixels = new Uint8Array(examples.length * size);
  examples.forEach((example, i) => pixels.set(example.pixels, i * size));
  const bytes = encodeImageSet({
    name: 'drawings',
    classes,
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
