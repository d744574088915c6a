import { resampleArea } from '@/runtime/data/resample';

/** Side of a drawing in pixels, the same as the lesson's images. */
export const DRAWING_SIDE = 28;
const PIXELS = DRAWING_SIDE * DRAWING_SIDE;

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
  const shape = resampleArea({ data: ink, width, height, channels: 1 }, shapeWidth, shapeHeight, { left, top, width: boxWidth, height: boxHeight });

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

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
