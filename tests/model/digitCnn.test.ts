import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCommittedModel, readModelJson } from './loadModel';

/*
 * The domain-shift lesson's model and data, as committed by scripts/pretrain/digit_cnn.py and
 * scripts/pretrain/printed_digits.py: the tfjs export must compute what the torch model computed, and
 * the cards must describe the files that are there.
 */

const LESSON = new URL('../../content/domain-shift/', import.meta.url);
const MODEL_DIR = new URL('models/digit-cnn/', LESSON);
const HANDWRITTEN = new URL('data/handwritten/', LESSON);
const PRINTED = new URL('data/printed/', LESSON);
const PARITY_URL = new URL('../../scripts/pretrain/fixtures/digit-cnn-parity.json', import.meta.url);
const TOLERANCE = 1e-4;

interface Card {
  classes: string[];
  totalParams: number;
  architecture: Array<{ name: string; outputShape: (number | null)[]; params: number }>;
  metrics: { testAccuracy: number; sampleAccuracy: number; sampleCount: number };
  training: { history: Array<Record<'epoch' | 'loss' | 'accuracy' | 'val_loss' | 'val_accuracy', number>> };
  sample: { files: number; bytes: number; digest: string };
  files: Record<string, { bytes: number; sha256: string }>;
}
interface PrintedCard {
  perClass: number;
  files: number;
  bytes: number;
  digest: string;
  rendering: { sidePixels: [number, number] };
}
interface ParityCase {
  kind: 'handwritten' | 'random';
  file?: string;
  pixels?: number[];
  input?: number[];
  probabilities: number[];
}

const card = JSON.parse(readFileSync(new URL('card.json', MODEL_DIR), 'utf8')) as Card;
const printedCard = JSON.parse(readFileSync(new URL('data/printed.card.json', LESSON), 'utf8')) as PrintedCard;
const cases = (JSON.parse(readFileSync(PARITY_URL, 'utf8')) as { cases: ParityCase[] }).cases;

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

/** Every file of an image folder, by `class/name` path, sorted. */
function imageFolder(root: URL): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const label of readdirSync(root).sort()) {
    for (const name of readdirSync(new URL(`${label}/`, root)).sort()) files.set(`${label}/${name}`, readFileSync(new URL(`${label}/${name}`, root)));
  }
  return files;
}

/** The scripts' folder digest: sha256 over `path sha256` lines, sorted by path. */
function folderDigest(files: Map<string, Buffer>): string {
  return sha256([...files.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([path, bytes]) => `${path} ${sha256(bytes)}\n`).join(''));
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] ?? NaN) - (b[i] ?? NaN)));
  return max;
}

describe('digit-cnn export matches the torch model', () => {
  let model: tf.LayersModel;
  beforeAll(async () => {
    model = await loadCommittedModel('cpu', MODEL_DIR);
  });

  it('has a fixture of 4 committed handwritten images and 4 random inputs', () => {
    expect(cases.filter((c) => c.kind === 'handwritten')).toHaveLength(4);
    expect(cases.filter((c) => c.kind === 'random')).toHaveLength(4);
    // The fixture's handwritten pixels are the committed PNGs' pixels.
    for (const c of cases.filter((c) => c.kind === 'handwritten')) {
      const png = PNG.sync.read(readFileSync(new URL(c.file!, HANDWRITTEN)));
      expect(Array.from({ length: 784 }, (_, i) => png.data[i * 4]), c.file).toEqual(c.pixels);
    }
  });

  it(`reproduces the torch probabilities within ${TOLERANCE}`, () => {
    const inputs = new Float32Array(cases.length * 784);
    cases.forEach((c, i) => {
      const values = c.kind === 'handwritten' ? (c.pixels ?? []).map((p) => p / 255) : (c.input ?? []);
      expect(values).toHaveLength(784);
      inputs.set(values, i * 784);
    });
    const probs = tf.tidy(() => (model.predict(tf.tensor4d(inputs, [cases.length, 28, 28, 1])) as tf.Tensor).dataSync());
    const worst = Math.max(...cases.map((c, i) => maxAbsDiff(probs.subarray(i * 10, (i + 1) * 10), c.probabilities)));
    expect(worst).toBeLessThan(TOLERANCE);
    // A fixture that cannot catch a wrong layout: confident predictions, more than one class.
    const argmaxes = cases.map((c) => c.probabilities.indexOf(Math.max(...c.probabilities)));
    expect(new Set(argmaxes).size).toBeGreaterThan(1);
    expect(Math.max(...cases.flatMap((c) => c.probabilities))).toBeGreaterThan(0.9);
  });

  it('has the layers the lesson names, with the card\'s output shapes and parameter counts', () => {
    expect(model.layers.map((l) => l.name)).toEqual(['input', 'conv1', 'pool1', 'conv2', 'pool2', 'flatten', 'dense1', 'dropout', 'predictions']);
    expect(model.layers.map((l) => l.getClassName())).toEqual(['InputLayer', 'Conv2D', 'MaxPooling2D', 'Conv2D', 'MaxPooling2D', 'Flatten', 'Dense', 'Dropout', 'Dense']);
    for (const row of card.architecture) {
      const layer = model.getLayer(row.name);
      expect(layer.outputShape, row.name).toEqual(row.outputShape);
      expect(layer.countParams(), row.name).toBe(row.params);
    }
    expect(model.countParams()).toBe(card.totalParams);
    expect(model.getLayer('predictions').getConfig()['activation']).toBe('softmax');
    const names = readModelJson(MODEL_DIR).weightsManifest.flatMap((g) => g.weights.map((w) => w.name));
    expect(names).toEqual(['conv1', 'conv2', 'dense1', 'predictions'].flatMap((n) => [`${n}/kernel`, `${n}/bias`]));
  });
});

describe('digit-cnn model card', () => {
  const handwritten = imageFolder(HANDWRITTEN);

  it('reproduces the sample accuracy on the committed handwritten PNGs (within 0.2 points)', async () => {
    const model = await loadCommittedModel('wasm', MODEL_DIR);
    const pixels = new Float32Array(handwritten.size * 784);
    const labels: number[] = [];
    [...handwritten.entries()].forEach(([path, bytes], i) => {
      const png = PNG.sync.read(bytes);
      expect([png.width, png.height], path).toEqual([28, 28]);
      for (let p = 0; p < 784; p++) pixels[i * 784 + p] = png.data[p * 4]! / 255; // grayscale: R = G = B
      labels.push(Number(path.split('/')[0]));
    });
    const predicted = tf.tidy(() => (model.predict(tf.tensor4d(pixels, [labels.length, 28, 28, 1])) as tf.Tensor).argMax(-1).dataSync());
    const accuracy = labels.filter((label, i) => predicted[i] === label).length / labels.length;
    expect(labels.length).toBe(card.metrics.sampleCount);
    expect(Math.abs(accuracy - card.metrics.sampleAccuracy) * 100).toBeLessThanOrEqual(0.2);
    expect(accuracy).toBeGreaterThan(0.95);
    expect(card.metrics.testAccuracy).toBeGreaterThan(0.95);
  });

  it('describes the committed files byte for byte', () => {
    for (const name of ['model.json', 'weights.bin']) {
      const bytes = readFileSync(new URL(name, MODEL_DIR));
      expect(card.files[name], name).toEqual({ bytes: bytes.length, sha256: sha256(bytes) });
    }
    const log = readFileSync(new URL('data/training-log.csv', LESSON));
    expect(card.files['training-log.csv']).toEqual({ bytes: log.length, sha256: sha256(log) });
    expect({ files: handwritten.size, bytes: [...handwritten.values()].reduce((n, b) => n + b.length, 0), digest: folderDigest(handwritten) }).toEqual({
      files: card.sample.files,
      bytes: card.sample.bytes,
      digest: card.sample.digest,
    });
  });

  it('has a training log with the card\'s history, one row per epoch', () => {
    const [header, ...rows] = readFileSync(new URL('data/training-log.csv', LESSON), 'utf8').trimEnd().split('\n');
    expect(header).toBe('epoch,loss,accuracy,val_loss,val_accuracy');
    expect(rows.map((r) => r.split(',').map(Number))).toEqual(card.training.history.map((h) => [h.epoch, h.loss, h.accuracy, h.val_loss, h.val_accuracy]));
  });
});

describe('printed digits data card', () => {
  const printed = imageFolder(PRINTED);

  it('describes the committed image folder', () => {
    expect(printed.size).toBe(printedCard.files);
    expect([...printed.values()].reduce((n, b) => n + b.length, 0)).toBe(printedCard.bytes);
    expect(folderDigest(printed)).toBe(printedCard.digest);
    for (let digit = 0; digit < 10; digit++) expect([...printed.keys()].filter((p) => p.startsWith(`${digit}/`))).toHaveLength(printedCard.perClass);
  });

  it('holds RGB PNGs of the sizes the card states, so the build has to resize and convert them', () => {
    const [low, high] = printedCard.rendering.sidePixels;
    const sides = new Set<number>();
    for (const [path, bytes] of printed) {
      const png = PNG.sync.read(bytes);
      expect(png.width, path).toBe(png.height);
      expect(png.width, path).toBeGreaterThanOrEqual(low);
      expect(png.width, path).toBeLessThanOrEqual(high);
      sides.add(png.width);
      // Colour type 2: truecolour RGB, no alpha.
      expect(bytes[25], path).toBe(2);
    }
    expect(sides.size).toBeGreaterThan(5);
  });
});

describe('the domain-shift lesson\'s assets', () => {
  it('stay well under 2 MB together', () => {
    const size = (path: string): number =>
      statSync(path).isDirectory() ? readdirSync(path).reduce((n, name) => n + size(`${path}/${name}`), 0) : statSync(path).size;
    const bytes = size(fileURLToPath(new URL('models/', LESSON))) + size(fileURLToPath(new URL('data/', LESSON)));
    expect(bytes).toBeLessThan(1.5 * 1024 * 1024);
  });
});
