import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseImageSet, type ImageSet } from '../../runtime/data/imageSet';
import { loadCommittedModel, MODEL_DIR, NEW_TASK_URL, readCard, SAMPLE_URL } from './loadModel';

const FASHION_MNIST = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
const card = readCard();

function perClass(set: ImageSet): number[] {
  const counts = new Array<number>(set.classes.length).fill(0);
  for (const label of set.labels) counts[label]!++;
  return counts;
}

function accuracy(model: tf.LayersModel, set: ImageSet, batch = 250): number {
  const size = set.width * set.height * set.channels;
  let correct = 0;
  for (let start = 0; start < set.count; start += batch) {
    const n = Math.min(batch, set.count - start);
    const predicted = tf.tidy(() => {
      const pixels = tf.tensor4d(set.pixels.subarray(start * size, (start + n) * size), [n, set.height, set.width, set.channels], 'float32');
      return (model.predict(pixels.div(255)) as tf.Tensor).argMax(-1).dataSync();
    });
    for (let i = 0; i < n; i++) if (predicted[i] === set.labels[start + i]) correct++;
  }
  return correct / set.count;
}

let model: tf.LayersModel;
beforeAll(async () => {
  model = await loadCommittedModel('wasm');
});

describe('fashion-cnn model card', () => {
  it('reproduces the card sample accuracy on the committed test images of its classes (within 0.2 points)', () => {
    const sample = parseImageSet(readFileSync(SAMPLE_URL));
    expect(sample.count).toBe(card.metrics.sampleCount);
    expect(sample.classes).toEqual(card.classes);
    expect(perClass(sample)).toEqual(card.classes.map(() => card.sample.perClass));
    const measured = accuracy(model, sample);
    expect(Math.abs(measured - card.metrics.sampleAccuracy) * 100).toBeLessThanOrEqual(0.2);
    expect(measured).toBeGreaterThan(0.85);
  });

  it('states the parameter count and per-layer shapes of the committed model', () => {
    expect(card.totalParams).toBe(model.countParams());
    for (const row of card.architecture) {
      const layer = model.getLayer(row.name);
      expect(layer.outputShape, row.name).toEqual(row.outputShape);
      expect(layer.countParams(), row.name).toBe(row.params);
    }
  });

  it('describes the committed files byte for byte', () => {
    const paths: Record<string, URL> = {
      'model.json': new URL('model.json', MODEL_DIR),
      'weights.bin': new URL('weights.bin', MODEL_DIR),
      'fashion-sample.bin': SAMPLE_URL,
      'fashion-new.bin': NEW_TASK_URL,
    };
    for (const [name, url] of Object.entries(paths)) {
      const bytes = readFileSync(url);
      expect(card.files[name], name).toEqual({ bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
    }
  });

  it('reports a test accuracy on its classes in the expected range', () => {
    expect(card.metrics.testCount).toBe(1000 * card.classes.length); // every t10k image of the kept classes
    expect(card.metrics.testAccuracy).toBeGreaterThan(0.85);
    expect(card.metrics.testAccuracy).toBeLessThan(1);
  });
});

describe('fashion-cnn held-out classes (the new task)', () => {
  const newTask = parseImageSet(readFileSync(NEW_TASK_URL));

  it('splits Fashion-MNIST into pretraining classes and held-out classes, in Fashion-MNIST order', () => {
    expect(card.heldOutClasses.length).toBeGreaterThanOrEqual(2);
    expect(card.classes.filter((c) => card.heldOutClasses.includes(c))).toEqual([]);
    expect(FASHION_MNIST.filter((c) => card.classes.includes(c))).toEqual(card.classes);
    expect(FASHION_MNIST.filter((c) => card.heldOutClasses.includes(c))).toEqual(card.heldOutClasses);
    expect(card.classes.length + card.heldOutClasses.length).toBe(FASHION_MNIST.length);
    expect(card.whyThisSplit.join(' ')).toMatch(/held out/i);
  });

  it('commits a balanced set of the held-out classes only, under 2 MB', () => {
    expect(newTask.classes).toEqual(card.heldOutClasses);
    expect(newTask.count).toBe(card.heldOutClasses.length * card.newTask.perClass);
    expect(perClass(newTask)).toEqual(card.heldOutClasses.map(() => card.newTask.perClass));
    // Enough for the lesson: up to 100 training, 10 validation and 100 test images per class.
    expect(card.newTask.perClass).toBeGreaterThanOrEqual(210);
    expect(readFileSync(NEW_TASK_URL).length).toBeLessThan(2 * 1024 * 1024);
    expect(new Set(card.newTask.testIndices).size).toBe(newTask.count);
    expect(card.newTask.testIndices.filter((i) => card.sample.testIndices.includes(i))).toEqual([]);
  });
});
