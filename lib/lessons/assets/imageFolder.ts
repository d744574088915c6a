import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { encodeImageSet } from '../../../runtime/data/imageSet';
import { resampleArea } from '../../../runtime/data/resample';
import { AuthoringError } from '../errors';
import type { DatasetDeclaration } from '../manifest';

type ImageFolder = Extract<DatasetDeclaration, { kind: 'images' }>;

const IMAGE_FILE = /\.(png|jpe?g)$/i;
/** Labels are stored as one byte each (runtime/data/imageSet.ts). */
const MAX_CLASSES = 256;

/**
 * Packs an image folder the way Keras' image_dataset_from_directory and torchvision's ImageFolder
 * read one: each subfolder is a class (class names are the folder names, sorted), holding PNG or
 * JPEG files of any size, in any of its subfolders. Every image is decoded, converted to `channels`
 * (alpha is ignored, as PIL's convert does), resized to `size` by area averaging, and stored as bytes
 * in the image-set format; cells get them as float32 in [0, 1]. Any file that is not such an image
 * fails the build, named, rather than vanishing from the data set.
 */
export function packImageFolder(root: string, set: ImageFolder): Uint8Array {
  const fail = (file: string, reason: string) => new AuthoringError(file, undefined, undefined, reason);
  const visible = (dir: string) => readdirSync(path.join(root, dir), { withFileTypes: true }).filter((entry) => !entry.name.startsWith('.'));
  const top = visible(set.dir);
  const stray = top.find((entry) => !entry.isDirectory());
  if (stray) throw fail(path.posix.join(set.dir, stray.name), `a file directly inside the image folder of the data set "${set.name}"; put each image in the subfolder of its class`);
  const classes = top.map((entry) => entry.name).sort();
  if (classes.length < 2) {
    throw fail(set.dir, `the data set "${set.name}" has ${classes.length === 0 ? 'no class folders' : `one class folder ("${classes[0]}")`}; an image folder needs at least two subfolders, one per class`);
  }
  if (classes.length > MAX_CLASSES) throw fail(set.dir, `the data set "${set.name}" has ${classes.length} class folders; at most ${MAX_CLASSES} are supported`);

  const [height, width] = set.size;
  const perImage = width * height * set.channels;
  const images: Float32Array[] = [];
  const labels: number[] = [];
  classes.forEach((className, label) => {
    const files = listFiles(root, path.posix.join(set.dir, className), visible);
    if (files.length === 0) throw fail(path.posix.join(set.dir, className), `the class folder "${className}" of the data set "${set.name}" holds no images`);
    for (const file of files) {
      if (!IMAGE_FILE.test(file)) throw fail(file, `not a PNG or JPEG file (an image folder may hold only .png, .jpg and .jpeg files)`);
      const decoded = decodeImage(readFileSync(path.join(root, file)), (reason) => fail(file, reason));
      images.push(resampleArea(toChannels(decoded, set.channels), width, height));
      labels.push(label);
    }
  });

  const pixels = new Uint8Array(images.length * perImage);
  images.forEach((image, i) => {
    for (let p = 0; p < perImage; p++) pixels[i * perImage + p] = Math.round(Math.min(255, Math.max(0, image[p]!)));
  });
  return encodeImageSet({
    name: set.name,
    classes,
    count: images.length,
    width,
    height,
    channels: set.channels,
    source: `image folder ${set.dir}`,
    pixels,
    labels: Uint8Array.from(labels),
  });
}

/** Every file under `dir` (relative to root), depth first, in sorted order. */
function listFiles(root: string, dir: string, visible: (dir: string) => import('node:fs').Dirent[]): string[] {
  return visible(dir)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((entry) => (entry.isDirectory() ? listFiles(root, path.posix.join(dir, entry.name), visible) : [path.posix.join(dir, entry.name)]));
}

interface Rgba {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Decodes by content, not by file name: a .png that holds a JPEG still reads. */
function decodeImage(bytes: Buffer, fail: (reason: string) => Error): Rgba {
  const isPng = bytes.length > 8 && bytes[0] === 0x89 && bytes.toString('latin1', 1, 4) === 'PNG';
  const isJpeg = bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8;
  try {
    if (isPng) {
      const png = PNG.sync.read(bytes);
      return { width: png.width, height: png.height, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
    }
    if (isJpeg) {
      const image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: 64, maxMemoryUsageInMB: 1024 });
      return { width: image.width, height: image.height, data: image.data };
    }
  } catch (error) {
    throw fail(`does not decode as ${isPng ? 'PNG' : 'JPEG'} (${error instanceof Error ? error.message : String(error)}); open it in an image viewer, or delete it`);
  }
  throw fail('is neither a PNG nor a JPEG image, whatever its name says; convert it or delete it');
}

/** RGBA to RGB or to grayscale with the ITU-R 601 weights PIL uses (L = 0.299 R + 0.587 G + 0.114 B). */
function toChannels(image: Rgba, channels: 1 | 3) {
  const count = image.width * image.height;
  const data = new Float32Array(count * channels);
  const rgba = image.data;
  for (let i = 0; i < count; i++) {
    const r = rgba[i * 4]!;
    const g = rgba[i * 4 + 1]!;
    const b = rgba[i * 4 + 2]!;
    if (channels === 1) data[i] = 0.299 * r + 0.587 * g + 0.114 * b;
    else data.set([r, g, b], i * 3);
  }
  return { data, width: image.width, height: image.height, channels };
}
