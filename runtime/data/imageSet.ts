/**
 * The binary "image set" format: a labelled batch of small uint8 images in one file.
 * Runs in browsers, workers and Node (no Node-only APIs, no dependencies).
 *
 * Layout, integers little-endian:
 *   bytes 0-3   ASCII "IMGS"
 *   bytes 4-7   u32 version (1)
 *   bytes 8-11  u32 headerByteLength: byte length of the UTF-8 JSON header that follows
 *   header      {"name","classes","count","width","height","channels","source"} (exactly these keys)
 *   padding     zero bytes, so that the pixel data starts at a multiple of 4
 *   pixels      count * height * width * channels uint8, row-major, image after image (HWC)
 *   labels      count uint8, each < classes.length
 * and nothing after. scripts/pretrain/train.py writes the same layout.
 */

export const IMAGE_SET_MAGIC = 'IMGS';
export const IMAGE_SET_VERSION = 1;

const PREAMBLE_BYTES = 12;
const MAX_CLASSES = 256; // labels are uint8
const MAX_CHANNELS = 4;
const HEADER_KEYS = ['name', 'classes', 'count', 'width', 'height', 'channels', 'source'] as const;

export interface ImageSetHeader {
  name: string;
  classes: string[];
  count: number;
  width: number;
  height: number;
  channels: number;
  source: string;
}

export interface ImageSet extends ImageSetHeader {
  /** count * height * width * channels bytes; its own tightly sized buffer, so it can be transferred. */
  pixels: Uint8Array;
  /** count bytes, each an index into `classes`. */
  labels: Uint8Array;
}

export class ImageSetError extends Error {
  constructor(message: string) {
    super(`image set: ${message}`);
    this.name = 'ImageSetError';
  }
}

/** Bytes of pixel data in one image. */
export function imageByteLength(set: Pick<ImageSetHeader, 'width' | 'height' | 'channels'>): number {
  return set.width * set.height * set.channels;
}

/**
 * Parses and validates an image set. Throws ImageSetError, naming what is wrong, on any malformed
 * input. The returned pixels and labels are copies, independent of `buffer`.
 */
export function parseImageSet(buffer: ArrayBuffer | Uint8Array): ImageSet {
  // A plain Uint8Array view even for subclasses (Node's Buffer#slice does not copy; this slice must).
  const bytes =
    buffer instanceof Uint8Array
      ? new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
      : new Uint8Array(buffer);
  if (bytes.byteLength < PREAMBLE_BYTES) {
    throw new ImageSetError(`${bytes.byteLength} bytes is too short for the ${PREAMBLE_BYTES}-byte preamble`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = String.fromCharCode(bytes[0] ?? 0, bytes[1] ?? 0, bytes[2] ?? 0, bytes[3] ?? 0);
  if (magic !== IMAGE_SET_MAGIC) {
    throw new ImageSetError(`bad magic ${JSON.stringify(magic)}, expected "${IMAGE_SET_MAGIC}"`);
  }
  const version = view.getUint32(4, true);
  if (version !== IMAGE_SET_VERSION) {
    throw new ImageSetError(`unsupported version ${version}, expected ${IMAGE_SET_VERSION}`);
  }
  const headerByteLength = view.getUint32(8, true);
  const headerEnd = PREAMBLE_BYTES + headerByteLength;
  if (headerByteLength === 0 || headerEnd > bytes.byteLength) {
    throw new ImageSetError(
      `header length ${headerByteLength} does not fit in the ${bytes.byteLength - PREAMBLE_BYTES} bytes after the preamble`,
    );
  }

  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(PREAMBLE_BYTES, headerEnd));
  } catch {
    throw new ImageSetError('header is not valid UTF-8');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ImageSetError(`header is not valid JSON (${(error as Error).message})`);
  }
  const header = validateHeader(json);

  const dataStart = alignTo4(headerEnd);
  if (dataStart > bytes.byteLength) {
    throw new ImageSetError(`truncated: header padding ends at byte ${dataStart}, file has ${bytes.byteLength}`);
  }
  for (let i = headerEnd; i < dataStart; i++) {
    if (bytes[i] !== 0) throw new ImageSetError(`header padding byte ${i} is ${bytes[i]}, expected 0`);
  }
  const pixelCount = header.count * imageByteLength(header);
  if (!Number.isSafeInteger(pixelCount)) {
    throw new ImageSetError(`count * height * width * channels = ${pixelCount} is too large`);
  }
  const expected = dataStart + pixelCount + header.count;
  if (bytes.byteLength !== expected) {
    const what = bytes.byteLength < expected ? 'truncated' : 'trailing bytes';
    throw new ImageSetError(
      `${what}: ${header.count} images of ${header.height}x${header.width}x${header.channels} need ` +
        `${expected} bytes in all, file has ${bytes.byteLength}`,
    );
  }
  const pixels = bytes.slice(dataStart, dataStart + pixelCount);
  const labels = bytes.slice(dataStart + pixelCount, expected);
  checkLabels(labels, header.classes.length);
  return { ...header, pixels, labels };
}

/** Serializes an image set (validated the same way parseImageSet validates) into the binary format. */
export function encodeImageSet(set: ImageSet): Uint8Array {
  const header = validateHeader(pickHeader(set));
  const pixelCount = header.count * imageByteLength(header);
  if (set.pixels.length !== pixelCount) {
    throw new ImageSetError(
      `pixels has ${set.pixels.length} bytes, expected ${pixelCount} (${header.count} x ` +
        `${header.height}x${header.width}x${header.channels})`,
    );
  }
  if (set.labels.length !== header.count) {
    throw new ImageSetError(`labels has ${set.labels.length} entries, expected count ${header.count}`);
  }
  checkLabels(set.labels, header.classes.length);

  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const dataStart = alignTo4(PREAMBLE_BYTES + headerBytes.length);
  const out = new Uint8Array(dataStart + pixelCount + header.count);
  const view = new DataView(out.buffer);
  for (let i = 0; i < IMAGE_SET_MAGIC.length; i++) out[i] = IMAGE_SET_MAGIC.charCodeAt(i);
  view.setUint32(4, IMAGE_SET_VERSION, true);
  view.setUint32(8, headerBytes.length, true);
  out.set(headerBytes, PREAMBLE_BYTES);
  out.set(set.pixels, dataStart);
  out.set(set.labels, dataStart + pixelCount);
  return out;
}

function alignTo4(n: number): number {
  return Math.ceil(n / 4) * 4;
}

/** The header fields in the canonical key order (the order encodeImageSet writes them). */
function pickHeader(set: ImageSetHeader): ImageSetHeader {
  const { name, classes, count, width, height, channels, source } = set;
  return { name, classes, count, width, height, channels, source };
}

function validateHeader(value: unknown): ImageSetHeader {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ImageSetError('header must be a JSON object');
  }
  const record = value as Record<string, unknown>;
  const known: readonly string[] = HEADER_KEYS;
  for (const key of Object.keys(record)) {
    if (!known.includes(key)) throw new ImageSetError(`header has unknown field "${key}"`);
  }
  const { name, classes, count, width, height, channels, source } = record;
  if (typeof name !== 'string') throw new ImageSetError('header field "name" must be a string');
  if (typeof source !== 'string') throw new ImageSetError('header field "source" must be a string');
  if (!Array.isArray(classes) || classes.length === 0 || classes.length > MAX_CLASSES) {
    throw new ImageSetError(`header field "classes" must be an array of 1 to ${MAX_CLASSES} strings`);
  }
  const seen = new Set<string>();
  for (const [i, c] of classes.entries()) {
    if (typeof c !== 'string' || c.length === 0) {
      throw new ImageSetError(`header field "classes"[${i}] must be a non-empty string`);
    }
    if (seen.has(c)) throw new ImageSetError(`header field "classes" repeats ${JSON.stringify(c)}`);
    seen.add(c);
  }
  const checkInteger = (field: string, v: unknown, min: number, max: number): number => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      throw new ImageSetError(`header field "${field}" must be an integer from ${min} to ${max}, got ${JSON.stringify(v)}`);
    }
    return v;
  };
  return {
    name,
    classes: [...(classes as string[])],
    count: checkInteger('count', count, 0, 0xffffffff),
    width: checkInteger('width', width, 1, 0xffff),
    height: checkInteger('height', height, 1, 0xffff),
    channels: checkInteger('channels', channels, 1, MAX_CHANNELS),
    source,
  };
}

function checkLabels(labels: Uint8Array, classCount: number): void {
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i] ?? 0;
    if (label >= classCount) {
      throw new ImageSetError(`label ${label} of image ${i} is out of range (${classCount} classes)`);
    }
  }
}
