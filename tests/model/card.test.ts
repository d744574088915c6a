import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseImageSet, type ImageSet } from '../../runtime/data/imageSet';
import { loadCommittedModel, MODEL_DIR, SAMPLE_URL } from './loadModel';

interface Card {
  classes: string[];
  totalParams: number;
  architecture: Array<{ name: string; outputShape: (number | null)[]; params: number }>;
  metrics: { testAccuracy: number; sampleAccuracy: number; sampleCount: number };
  files: Record<string, { bytes: number; sha256: string }>;
}

const card = JSON.parse(readFileSync(new URL('card.json', MODEL_DIR), 'utf8')) as Card;

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

describe('fashion-cnn model card', () => {
  let model: tf.LayersModel;
  beforeAll(async () => {
    model = await loadCommittedModel('wasm');
  });

  it('reproduces the card sample accuracy on the committed 2,000 test images (within 0.2 points)', () => {
    const sample = parseImageSet(readFileSync(SAMPLE_URL));
    expect(sample.count).toBe(card.metrics.sampleCount);
    expect(sample.classes).toEqual(card.classes);
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
    };
    for (const [name, url] of Object.entries(paths)) {
      const bytes = readFileSync(url);
      expect(card.files[name], name).toEqual({ bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
    }
  });

  it('reports a full-test-set accuracy in the expected range', () => {
    expect(card.metrics.testAccuracy).toBeGreaterThan(0.85);
    expect(card.metrics.testAccuracy).toBeLessThan(1);
  });
});
