import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeImageSet, parseImageSet, type ImageSet } from '../../runtime/data/imageSet';

const SAMPLE_PATH = new URL('../../content/transfer-learning/data/fashion-sample.bin', import.meta.url);

function tinySet(overrides: Partial<ImageSet> = {}): ImageSet {
  return {
    name: 'tiny',
    classes: ['cat', 'dog', 'bird'],
    count: 3,
    width: 2,
    height: 2,
    channels: 1,
    source: 'unit test',
    pixels: Uint8Array.from([0, 1, 2, 3, 10, 11, 12, 13, 250, 251, 252, 255]),
    labels: Uint8Array.from([2, 0, 1]),
    ...overrides,
  };
}

/** Builds a file by hand (not with encodeImageSet), so the parser is checked against the spec. */
function rawFile(opts: {
  magic?: string;
  version?: number;
  header?: unknown;
  headerText?: string;
  headerBytes?: Uint8Array;
  headerByteLength?: number;
  padByte?: number;
  pixels?: number[];
  labels?: number[];
}): ArrayBuffer {
  const headerBytes =
    opts.headerBytes ??
    new TextEncoder().encode(
      opts.headerText ??
        JSON.stringify(
          opts.header ?? { name: 'raw', classes: ['a', 'b'], count: 2, width: 2, height: 1, channels: 1, source: 's' },
        ),
    );
  const pixels = opts.pixels ?? [1, 2, 3, 4];
  const labels = opts.labels ?? [0, 1];
  const dataStart = Math.ceil((12 + headerBytes.length) / 4) * 4;
  const out = new Uint8Array(dataStart + pixels.length + labels.length);
  const magic = opts.magic ?? 'IMGS';
  for (let i = 0; i < 4; i++) out[i] = magic.charCodeAt(i);
  const view = new DataView(out.buffer);
  view.setUint32(4, opts.version ?? 1, true);
  view.setUint32(8, opts.headerByteLength ?? headerBytes.length, true);
  out.set(headerBytes, 12);
  out.fill(opts.padByte ?? 0, 12 + headerBytes.length, dataStart);
  out.set(pixels, dataStart);
  out.set(labels, dataStart + pixels.length);
  return out.buffer;
}

const validHeader = { name: 'raw', classes: ['a', 'b'], count: 2, width: 2, height: 1, channels: 1, source: 's' };

/** The valid header, followed by JSON whitespace so that at least one padding byte follows it. */
function headerNeedingPadding(): string {
  let text = JSON.stringify(validHeader);
  while ((12 + text.length) % 4 !== 1) text += ' ';
  return text;
}

describe('encodeImageSet / parseImageSet', () => {
  it('round-trips every field and byte', () => {
    const set = tinySet();
    const parsed = parseImageSet(encodeImageSet(set).slice().buffer);
    expect(parsed).toEqual(set);
    expect(parsed.pixels).toBeInstanceOf(Uint8Array);
    expect(Array.from(parsed.pixels)).toEqual(Array.from(set.pixels));
    expect(Array.from(parsed.labels)).toEqual([2, 0, 1]);
  });

  it('writes the documented layout: magic, version, header length, 4-byte aligned pixel data', () => {
    for (let extra = 0; extra < 8; extra++) {
      const set = tinySet({ name: 'n'.repeat(extra) });
      const bytes = encodeImageSet(set);
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('IMGS');
      expect(view.getUint32(4, true)).toBe(1);
      const headerLength = view.getUint32(8, true);
      const header: unknown = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength)));
      expect(header).toMatchObject({ name: set.name, count: 3, width: 2, height: 2, channels: 1 });
      const dataStart = bytes.length - set.pixels.length - set.labels.length;
      expect(dataStart % 4).toBe(0);
      expect(dataStart - (12 + headerLength)).toBeLessThan(4);
      expect(Array.from(bytes.subarray(12 + headerLength, dataStart)).every((b) => b === 0)).toBe(true);
      expect(Array.from(bytes.subarray(dataStart, dataStart + 12))).toEqual(Array.from(set.pixels));
    }
  });

  it('measures the header in UTF-8 bytes, not characters', () => {
    const set = tinySet({ name: 'Modèle 🧥', classes: ['T-shirt/top', 'Größe', '鞋'] });
    const bytes = encodeImageSet(set);
    const headerLength = new DataView(bytes.buffer).getUint32(8, true);
    const { pixels: _pixels, labels: _labels, ...header } = set;
    const json = JSON.stringify(header);
    expect(headerLength).toBe(new TextEncoder().encode(json).length);
    expect(headerLength).toBeGreaterThan(json.length);
    expect(parseImageSet(bytes.slice().buffer)).toEqual(set);
  });

  it('accepts a Uint8Array view at a non-zero offset (e.g. a Node Buffer)', () => {
    const encoded = encodeImageSet(tinySet());
    const padded = new Uint8Array(encoded.length + 7);
    padded.set(encoded, 5);
    expect(parseImageSet(padded.subarray(5, 5 + encoded.length))).toEqual(tinySet());
  });

  it('copies out of a Node Buffer too (Buffer#slice would alias the pooled memory)', () => {
    const file = Buffer.from(encodeImageSet(tinySet()));
    const parsed = parseImageSet(file);
    file.fill(7);
    expect(Array.from(parsed.labels)).toEqual([2, 0, 1]);
    expect(parsed.pixels.buffer.byteLength).toBe(12);
    expect(parsed.labels.buffer.byteLength).toBe(3);
  });

  it('handles a set with zero images and RGBA channels', () => {
    const empty = tinySet({ count: 0, channels: 4, pixels: new Uint8Array(0), labels: new Uint8Array(0) });
    expect(parseImageSet(encodeImageSet(empty).slice().buffer)).toEqual(empty);
  });

  it('returns pixels and labels that do not alias the input buffer', () => {
    const buffer = encodeImageSet(tinySet()).slice().buffer;
    const parsed = parseImageSet(buffer);
    new Uint8Array(buffer).fill(7);
    expect(Array.from(parsed.labels)).toEqual([2, 0, 1]);
    expect(parsed.pixels.buffer.byteLength).toBe(parsed.pixels.length);
  });
});

describe('parseImageSet rejects malformed input', () => {
  const cases: Array<[string, ArrayBuffer, RegExp]> = [
    ['an empty buffer', new ArrayBuffer(0), /too short/],
    ['a buffer shorter than the preamble', new Uint8Array([73, 77, 71, 83, 1, 0]).buffer, /too short/],
    ['a wrong magic', rawFile({ magic: 'IMGX' }), /bad magic "IMGX"/],
    ['an unknown version', rawFile({ version: 2 }), /unsupported version 2/],
    ['a zero header length', rawFile({ headerByteLength: 0 }), /header length 0/],
    ['a header length beyond the end', rawFile({ headerByteLength: 10_000 }), /header length 10000 does not fit/],
    ['a header that is not UTF-8', rawFile({ headerBytes: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]) }), /not valid UTF-8/],
    ['a header that is not JSON', rawFile({ headerText: '{"name": "x",' }), /not valid JSON/],
    ['a header that is a JSON array', rawFile({ header: [1, 2] }), /must be a JSON object/],
    ['a header that is JSON null', rawFile({ header: null, headerText: 'null' }), /must be a JSON object/],
    ['a missing name', rawFile({ header: { ...validHeader, name: undefined } }), /"name" must be a string/],
    ['a non-string source', rawFile({ header: { ...validHeader, source: 3 } }), /"source" must be a string/],
    ['classes that are not an array', rawFile({ header: { ...validHeader, classes: 'ab' } }), /"classes" must be an array/],
    ['no classes', rawFile({ header: { ...validHeader, classes: [] } }), /"classes" must be an array of 1 to 256/],
    ['more than 256 classes', rawFile({ header: { ...validHeader, classes: Array.from({ length: 257 }, (_, i) => `c${i}`) } }), /1 to 256/],
    ['a non-string class', rawFile({ header: { ...validHeader, classes: ['a', 2] } }), /"classes"\[1\] must be a non-empty string/],
    ['an empty class name', rawFile({ header: { ...validHeader, classes: ['a', ''] } }), /"classes"\[1\]/],
    ['a repeated class', rawFile({ header: { ...validHeader, classes: ['a', 'a'] } }), /repeats "a"/],
    ['a fractional count', rawFile({ header: { ...validHeader, count: 1.5 } }), /"count" must be an integer/],
    ['a negative count', rawFile({ header: { ...validHeader, count: -1 } }), /"count" must be an integer/],
    ['a string count', rawFile({ header: { ...validHeader, count: '2' } }), /"count" must be an integer/],
    ['a zero width', rawFile({ header: { ...validHeader, width: 0 } }), /"width" must be an integer from 1/],
    ['a missing height', rawFile({ header: { ...validHeader, height: undefined } }), /"height" must be an integer/],
    ['five channels', rawFile({ header: { ...validHeader, channels: 5 } }), /"channels" must be an integer from 1 to 4/],
    ['an unknown header field', rawFile({ header: { ...validHeader, split: 'train' } }), /unknown field "split"/],
    ['non-zero padding', rawFile({ headerText: headerNeedingPadding(), padByte: 9 }), /padding byte \d+ is 9/],
    ['truncated pixels', rawFile({ pixels: [1, 2, 3], labels: [] }), /truncated: 2 images of 1x2x1 need/],
    ['missing labels', rawFile({ labels: [0] }), /truncated/],
    ['trailing bytes', rawFile({ labels: [0, 1, 0] }), /trailing bytes/],
    ['a label out of range', rawFile({ labels: [0, 2] }), /label 2 of image 1 is out of range \(2 classes\)/],
  ];

  it.each(cases)('rejects %s', (_what, buffer, message) => {
    expect(() => parseImageSet(buffer)).toThrow(message);
  });

  it('names the format in every error', () => {
    expect(() => parseImageSet(new ArrayBuffer(3))).toThrow(/^image set: /);
  });

  it('accepts the hand-built valid file the rejection cases start from', () => {
    const parsed = parseImageSet(rawFile({}));
    expect(parsed).toMatchObject({ ...validHeader, count: 2 });
    expect(Array.from(parsed.pixels)).toEqual([1, 2, 3, 4]);
    expect(Array.from(parsed.labels)).toEqual([0, 1]);
  });
});

describe('encodeImageSet rejects inconsistent sets', () => {
  it('rejects a pixel array of the wrong length', () => {
    expect(() => encodeImageSet(tinySet({ pixels: new Uint8Array(11) }))).toThrow(/pixels has 11 bytes, expected 12/);
  });
  it('rejects a label array of the wrong length', () => {
    expect(() => encodeImageSet(tinySet({ labels: Uint8Array.from([0, 1]) }))).toThrow(/labels has 2 entries, expected count 3/);
  });
  it('rejects a label out of range', () => {
    expect(() => encodeImageSet(tinySet({ labels: Uint8Array.from([0, 3, 1]) }))).toThrow(/label 3 of image 1/);
  });
  it('rejects an invalid header field', () => {
    expect(() => encodeImageSet(tinySet({ width: 2.5 }))).toThrow(/"width" must be an integer/);
  });
});

describe('committed sample content/transfer-learning/data/fashion-sample.bin', () => {
  const file = readFileSync(SAMPLE_PATH);
  const set = parseImageSet(file);

  it('holds 1,200 28x28 grayscale Fashion-MNIST test images, 200 per class of the six the backbone was pretrained on', () => {
    expect(set).toMatchObject({ count: 1200, width: 28, height: 28, channels: 1 });
    // Pullover, Dress, Sandal and Bag are held out of pretraining (scripts/pretrain/train.py --hold-out).
    expect(set.classes).toEqual(['T-shirt/top', 'Trouser', 'Coat', 'Shirt', 'Sneaker', 'Ankle boot']);
    const perClass = new Array<number>(6).fill(0);
    for (const label of set.labels) perClass[label] = (perClass[label] ?? 0) + 1;
    expect(perClass).toEqual(new Array<number>(6).fill(200));
    expect(set.source).toMatch(/Fashion-MNIST test split/);
  });

  it('re-encodes to the identical bytes (Python writer and TypeScript encoder agree)', () => {
    expect(Buffer.from(encodeImageSet(set)).equals(file)).toBe(true);
  });
});
