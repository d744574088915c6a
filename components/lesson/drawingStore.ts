import { encodeImageSet } from '@/runtime/data/imageSet';
import { browserStorage } from '@/runtime';

/** Side of a drawing in pixels, the same as the lesson's images. */
export const DRAWING_SIDE = 28;
/** The most classes a student may create (the lesson module takes them as one softmax head). */
export const MAX_CLASSES = 10;
/** The most examples kept per class: enough to learn from, and it keeps localStorage well under its quota. */
export const MAX_EXAMPLES_PER_CLASS = 100;
export const MAX_CLASS_NAME_LENGTH = 30;

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

function encodePixels(pixels: readonly number[]): string {
  let binary = '';
  for (const value of pixels) binary += String.fromCharCode(value & 0xff);
  return btoa(binary);
}

function decodePixels(value: unknown): number[] | null {
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

// Class names --------------------------------------------------------------------------------------

/** The class names an author wrote as `classes="circle, cross"`: trimmed, distinct, at most MAX_CLASSES. */
export function parseClassList(list: string | undefined): string[] {
  const names: string[] = [];
  for (const part of (list ?? '').split(',')) {
    const name = part.trim().slice(0, MAX_CLASS_NAME_LENGTH);
    if (name && !names.some((n) => sameName(n, name)) && names.length < MAX_CLASSES) names.push(name);
  }
  return names.length > 0 ? names : ['class 1', 'class 2'];
}

/** Why `name` cannot name a class next to `others`, or null when it can. */
export function classNameProblem(name: string, others: readonly string[]): string | null {
  const trimmed = name.trim();
  if (!trimmed) return 'A class needs a name.';
  if (trimmed.length > MAX_CLASS_NAME_LENGTH) return `Use at most ${MAX_CLASS_NAME_LENGTH} characters.`;
  if (others.some((other) => sameName(other, trimmed))) return `There is already a class called ${quoted(trimmed)}.`;
  return null;
}

/** A name like "class 3" that none of `existing` uses. */
export function newClassName(existing: readonly string[]): string {
  for (let n = existing.length + 1; ; n++) {
    const name = `class ${n}`;
    if (!existing.some((e) => sameName(e, name))) return name;
  }
}

/** A name as the pad shows it in running text: “circle”. */
export function quoted(name: string): string {
  return `\u201c${name}\u201d`;
}

function sameName(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

function distinctClassNames(classes: readonly string[]): string[] {
  const used: string[] = [];
  for (const [i, raw] of classes.entries()) {
    let name = raw.trim() || `class ${i + 1}`;
    for (let n = 2; used.includes(name); n++) name = `${raw.trim() || `class ${i + 1}`} (${n})`;
    used.push(name);
  }
  return used;
}

// Preprocessing ------------------------------------------------------------------------------------

/** Pixels as a canvas gives them (ImageData): RGBA, row-major. `channels: 1` for plain grayscale. */
export interface ImageLike {
  data: Uint8ClampedArray | Uint8Array;
  width: number;
  height: number;
  channels?: 1 | 4;
}

/** Side of the box the shape is scaled into, inside the DRAWING_SIDE frame (MNIST's 20 in 28). */
export const SHAPE_BOX = 20;
/** Ink below this share of the image's contrast counts as background (paper texture, shadows, JPEG noise). */
const INK_THRESHOLD = 0.2;
/** An image whose ink and background differ by less than this (of 255) holds no shape. */
const MIN_CONTRAST = 32;

/**
 * Turns a drawing or a picture into DRAWING_SIDE² grayscale bytes the way MNIST was made, so the
 * backbone sees familiar input: light ink on black, the shape cropped to its bounding box, scaled into
 * a SHAPE_BOX square keeping its aspect ratio (area averaging), its strongest pixel at 255, and placed so
 * its centre of mass sits at the centre of the frame (as far as the frame allows).
 *
 * Dark ink on a light background (a photo of paper) is inverted; for a picture with a transparent
 * background, opacity is the ink. Returns null when there is no shape (a blank or uniform image).
 */
export function toDrawingPixels(image: ImageLike): Uint8Array | null {
  const ink = inkOf(image);
  if (!ink) return null;
  const { width, height } = image;

  let left = width;
  let top = height;
  let right = -1;
  let bottom = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x]! > 0) {
        if (x < left) left = x;
        if (x > right) right = x;
        if (y < top) top = y;
        if (y > bottom) bottom = y;
      }
    }
  }
  if (right < 0) return null;

  const boxWidth = right - left + 1;
  const boxHeight = bottom - top + 1;
  const scale = SHAPE_BOX / Math.max(boxWidth, boxHeight);
  const shapeWidth = Math.max(1, Math.min(SHAPE_BOX, Math.round(boxWidth * scale)));
  const shapeHeight = Math.max(1, Math.min(SHAPE_BOX, Math.round(boxHeight * scale)));
  const shape = resampleArea(ink, width, { left, top, width: boxWidth, height: boxHeight }, shapeWidth, shapeHeight);

  let peak = 0;
  let mass = 0;
  let massX = 0;
  let massY = 0;
  for (let y = 0; y < shapeHeight; y++) {
    for (let x = 0; x < shapeWidth; x++) {
      const v = shape[y * shapeWidth + x]!;
      if (v > peak) peak = v;
      mass += v;
      massX += (x + 0.5) * v;
      massY += (y + 0.5) * v;
    }
  }
  if (peak <= 0) return null;
  const centre = DRAWING_SIDE / 2;
  const offsetX = clamp(Math.round(centre - massX / mass), 0, DRAWING_SIDE - shapeWidth);
  const offsetY = clamp(Math.round(centre - massY / mass), 0, DRAWING_SIDE - shapeHeight);

  const out = new Uint8Array(PIXELS);
  for (let y = 0; y < shapeHeight; y++) {
    for (let x = 0; x < shapeWidth; x++) {
      out[(y + offsetY) * DRAWING_SIDE + x + offsetX] = Math.round((shape[y * shapeWidth + x]! / peak) * 255);
    }
  }
  return out;
}

/** Ink per pixel in [0, 1] (0 = background), or null when the image has no contrast at all. */
function inkOf({ data, width, height, channels }: ImageLike): Float32Array | null {
  const count = width * height;
  if (!(count > 0)) return null;
  const step = channels ?? (data.length === count ? 1 : 4);
  if (data.length < count * step) throw new RangeError(`expected ${count * step} values for a ${width}x${height} image, got ${data.length}`);

  const border: number[] = [];
  const borderAlpha: number[] = [];
  const forEachBorder = (visit: (i: number) => void) => {
    for (let x = 0; x < width; x++) {
      visit(x);
      if (height > 1) visit((height - 1) * width + x);
    }
    for (let y = 1; y < height - 1; y++) {
      visit(y * width);
      if (width > 1) visit(y * width + width - 1);
    }
  };
  const alphaAt = (i: number) => (step === 4 ? data[i * 4 + 3]! : 255);
  forEachBorder((i) => borderAlpha.push(alphaAt(i)));
  const transparentBackground = median(borderAlpha) < 128;

  const value = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    if (transparentBackground) {
      value[i] = alphaAt(i);
    } else if (step === 1) {
      value[i] = data[i]!;
    } else {
      // Luminance, with any translucent pixel seen over white (as a browser shows it on paper-white).
      const a = data[i * 4 + 3]! / 255;
      const grey = 0.299 * data[i * 4]! + 0.587 * data[i * 4 + 1]! + 0.114 * data[i * 4 + 2]!;
      value[i] = grey * a + 255 * (1 - a);
    }
  }
  forEachBorder((i) => border.push(value[i]!));
  let background = median(border);
  const invert = !transparentBackground && background > 127;
  if (invert) {
    for (let i = 0; i < count; i++) value[i] = 255 - value[i]!;
    background = 255 - background;
  }

  let strongest = 0;
  for (let i = 0; i < count; i++) if (value[i]! > strongest) strongest = value[i]!;
  const contrast = strongest - background;
  if (contrast < MIN_CONTRAST) return null;
  const ink = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const level = (value[i]! - background) / contrast;
    ink[i] = level <= INK_THRESHOLD ? 0 : (level - INK_THRESHOLD) / (1 - INK_THRESHOLD);
  }
  return ink;
}

/**
 * Resamples a rectangle of `source` (row-major, `stride` values a row) to `width` x `height`: each
 * output pixel is the mean of the source area it covers, counting partly covered pixels by their share.
 */
function resampleArea(
  source: Float32Array,
  stride: number,
  box: { left: number; top: number; width: number; height: number },
  width: number,
  height: number,
): Float32Array {
  const out = new Float32Array(width * height);
  const stepX = box.width / width;
  const stepY = box.height / height;
  const right = box.left + box.width;
  const bottom = box.top + box.height;
  for (let y = 0; y < height; y++) {
    const y0 = box.top + y * stepY;
    const y1 = Math.min(bottom, y0 + stepY);
    for (let x = 0; x < width; x++) {
      const x0 = box.left + x * stepX;
      const x1 = Math.min(right, x0 + stepX);
      let sum = 0;
      for (let sy = Math.floor(y0); sy < y1; sy++) {
        const coverY = Math.min(y1, sy + 1) - Math.max(y0, sy);
        if (coverY <= 0) continue;
        for (let sx = Math.floor(x0); sx < x1; sx++) {
          const coverX = Math.min(x1, sx + 1) - Math.max(x0, sx);
          if (coverX > 0) sum += source[sy * stride + sx]! * coverX * coverY;
        }
      }
      out[y * width + x] = sum / (stepX * stepY);
    }
  }
  return out;
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
