import { readFileSync, statSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCommittedModel, MODEL_DIR, PARITY_URL, readCard, readModelJson } from './loadModel';

interface ParityCase {
  kind: 'test-image' | 'random';
  pixels?: number[];
  input?: number[];
  label?: number;
  probabilities: number[];
  gap: number[];
}

const TOLERANCE = 1e-4;
/** One output per pretraining class (the held-out classes have none). */
const CLASSES = readCard().classes.length;

/** The layer contract lessons rely on: name, class, output shape. */
const CONTRACT: Array<[string, string, (number | null)[]]> = [
  ['input', 'InputLayer', [null, 28, 28, 1]],
  ['stem_conv', 'Conv2D', [null, 28, 28, 16]],
  ['block1_dw', 'DepthwiseConv2D', [null, 28, 28, 16]],
  ['block1_pw', 'Conv2D', [null, 28, 28, 32]],
  ['block2_dw', 'DepthwiseConv2D', [null, 14, 14, 32]],
  ['block2_pw', 'Conv2D', [null, 14, 14, 64]],
  ['block3_dw', 'DepthwiseConv2D', [null, 14, 14, 64]],
  ['block3_pw', 'Conv2D', [null, 14, 14, 64]],
  ['block4_dw', 'DepthwiseConv2D', [null, 7, 7, 64]],
  ['block4_pw', 'Conv2D', [null, 7, 7, 128]],
  ['block5_dw', 'DepthwiseConv2D', [null, 7, 7, 128]],
  ['block5_pw', 'Conv2D', [null, 7, 7, 128]],
  ['gap', 'GlobalAveragePooling2D', [null, 128]],
  ['predictions', 'Dense', [null, CLASSES]],
];

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] ?? NaN) - (b[i] ?? NaN)));
  return max;
}

describe('fashion-cnn export matches the torch model', () => {
  let model: tf.LayersModel;
  const cases = (JSON.parse(readFileSync(PARITY_URL, 'utf8')) as { cases: ParityCase[] }).cases;

  beforeAll(async () => {
    model = await loadCommittedModel();
  });

  it('has the fixture the brief specifies: 4 real test images and 4 random inputs', () => {
    expect(cases.filter((c) => c.kind === 'test-image')).toHaveLength(4);
    expect(cases.filter((c) => c.kind === 'random')).toHaveLength(4);
  });

  it(`reproduces probabilities and gap features within ${TOLERANCE}`, () => {
    const inputs = new Float32Array(cases.length * 784);
    cases.forEach((c, i) => {
      const values = c.kind === 'test-image' ? (c.pixels ?? []).map((p) => Math.fround(p / 255)) : (c.input ?? []);
      expect(values).toHaveLength(784);
      inputs.set(values, i * 784);
    });
    const probe = tf.model({ inputs: model.inputs, outputs: [model.getLayer('gap').output, model.outputs[0]!] as tf.SymbolicTensor[] });
    const [gap, probs] = tf.tidy(() => {
      const outputs = probe.predict(tf.tensor4d(inputs, [cases.length, 28, 28, 1])) as tf.Tensor[];
      return outputs.map((t) => t.dataSync());
    });
    expect(gap).toBeDefined();
    expect(probs).toBeDefined();
    let worstProb = 0;
    let worstGap = 0;
    cases.forEach((c, i) => {
      worstProb = Math.max(worstProb, maxAbsDiff(probs!.subarray(i * CLASSES, (i + 1) * CLASSES), c.probabilities));
      worstGap = Math.max(worstGap, maxAbsDiff(gap!.subarray(i * 128, (i + 1) * 128), c.gap));
    });
    expect(worstProb).toBeLessThan(TOLERANCE);
    expect(worstGap).toBeLessThan(TOLERANCE);
    // The fixture must exercise the network: non-trivial features and confident, varied predictions.
    expect(Math.max(...cases.flatMap((c) => c.gap))).toBeGreaterThan(0.1);
    const argmaxes = new Set(cases.map((c) => c.probabilities.indexOf(Math.max(...c.probabilities))));
    expect(argmaxes.size).toBeGreaterThan(1);
  });
});

describe('fashion-cnn layer contract', () => {
  let model: tf.LayersModel;
  beforeAll(async () => {
    model = await loadCommittedModel();
  });

  it.each(CONTRACT)('has layer %s (%s) with output shape %j', (name, className, shape) => {
    const layer = model.getLayer(name);
    expect(layer.getClassName()).toBe(className);
    expect(layer.outputShape).toEqual(shape);
  });

  it('takes input "input" [null,28,28,1] and outputs a softmax over the pretraining classes', () => {
    expect(CLASSES).toBe(6);
    expect(model.inputNames).toEqual(['input']);
    expect(model.inputs[0]?.shape).toEqual([null, 28, 28, 1]);
    expect(model.outputNames).toEqual(['predictions']);
    expect(model.getLayer('predictions').getConfig()['activation']).toBe('softmax');
  });

  it('uses 3x3 depthwise convs with strides 1,2,1,2,1 and relu everywhere', () => {
    const strides = [1, 2, 3, 4, 5].map((n) => model.getLayer(`block${n}_dw`).getConfig()['strides']);
    expect(strides).toEqual([[1, 1], [2, 2], [1, 1], [2, 2], [1, 1]]);
    for (const [name, className] of CONTRACT) {
      if (className === 'Conv2D' || className === 'DepthwiseConv2D') {
        expect(model.getLayer(name).getConfig()['activation'], name).toBe('relu');
      }
    }
  });

  it('names its weights Keras-style in the manifest', () => {
    const names = readModelJson().weightsManifest.flatMap((g) => g.weights.map((w) => w.name));
    expect(names).toContain('stem_conv/kernel');
    expect(names).toContain('block1_dw/depthwise_kernel');
    expect(names).toContain('block1_dw/bias');
    expect(names).toContain('block5_pw/kernel');
    expect(names).toContain('predictions/kernel');
    expect(names).toHaveLength(2 * (CONTRACT.length - 2));
  });

  it('keeps model.json + weights.bin under 2 MB', () => {
    const bytes = ['model.json', 'weights.bin'].reduce((sum, f) => sum + statSync(new URL(f, MODEL_DIR)).size, 0);
    expect(bytes).toBeLessThan(2 * 1024 * 1024);
  });
});
