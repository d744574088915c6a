import { quoted } from '../lesson/drawingClasses';
import { toDrawingPixels } from '../lesson/drawingPreprocess';

/** Pictures are reduced to at most this side before preprocessing (the result is 28x28 anyway). */
const UPLOAD_SIDE = 280;
const MAX_UPLOAD_BYTES = 20_000_000;

/** Decodes a picture the student chose, reduces it and preprocesses it; throws a message a student can act on. */
export async function pictureToPixels(file: File): Promise<Uint8Array> {
  const name = quoted(file.name);
  if (file.type && !file.type.startsWith('image/')) throw new Error(`${name} is not an image. Choose a PNG, JPEG, GIF or WebP picture.`);
  if (file.size > MAX_UPLOAD_BYTES) throw new Error(`${name} is larger than ${MAX_UPLOAD_BYTES / 1e6} MB. Choose a smaller picture.`);
  let picture: DecodedPicture;
  try {
    picture = await decodePicture(file);
  } catch {
    throw new Error(`${name} could not be opened as a picture. Choose a PNG, JPEG, GIF or WebP file.`);
  }
  let pixels: Uint8Array | null;
  try {
    const scale = Math.min(1, UPLOAD_SIDE / Math.max(picture.width, picture.height));
    const target = document.createElement('canvas');
    target.width = Math.max(1, Math.round(picture.width * scale));
    target.height = Math.max(1, Math.round(picture.height * scale));
    const ctx = target.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error(`${name} could not be read: this browser has no canvas to draw it on.`);
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(picture.image, 0, 0, target.width, target.height);
    pixels = toDrawingPixels(ctx.getImageData(0, 0, target.width, target.height));
  } finally {
    picture.release();
  }
  if (!pixels) throw new Error(`No shape found in ${name}: use a picture of one dark shape on a light background, or a light one on a dark background.`);
  return pixels;
}

interface DecodedPicture {
  image: CanvasImageSource;
  width: number;
  height: number;
  release(): void;
}

async function decodePicture(file: File): Promise<DecodedPicture> {
  try {
    const bitmap = await createImageBitmap(file);
    return { image: bitmap, width: bitmap.width, height: bitmap.height, release: () => bitmap.close() };
  } catch {
    // createImageBitmap does not take SVG; an <img> does.
    const url = URL.createObjectURL(file);
    const image = new Image();
    image.src = url;
    try {
      await image.decode();
    } catch (error) {
      URL.revokeObjectURL(url);
      throw error;
    }
    if (!image.naturalWidth || !image.naturalHeight) {
      URL.revokeObjectURL(url);
      throw new Error('the picture has no size');
    }
    return { image, width: image.naturalWidth, height: image.naturalHeight, release: () => URL.revokeObjectURL(url) };
  }
}
