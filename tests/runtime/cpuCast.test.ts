import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerTypedCpuCast } from '@/runtime/sandbox/cpuCast';
import { useBackend } from '../model/loadModel';

beforeAll(async () => {
  registerTypedCpuCast(tf);
  await useBackend('cpu');
});

/** Labels as lesson code makes them: one-hot rows, cast to float32, on the sandbox's cpu backend. */
function oneHotLabels(labels: number[], classes: number): tf.Tensor2D {
  return tf.oneHot(tf.tensor1d(labels, 'int32'), classes).toFloat() as tf.Tensor2D;
}

describe('registerTypedCpuCast', () => {
  it('gives widening casts an array of their own type on the cpu backend', () => {
    expect(oneHotLabels([0, 2], 3).dataSync()).toBeInstanceOf(Float32Array);
    expect(tf.tensor1d([true, false], 'bool').toInt().dataSync()).toBeInstanceOf(Int32Array);
    expect(tf.tensor1d([1.7, -2.2]).toInt().dataSync()).toEqual(new Int32Array([1, -2]));
    expect(tf.tensor1d([3, 0], 'int32').cast('bool').dataSync()).toEqual(new Uint8Array([1, 0]));
  });

  it('keeps the values of a cast tensor when it moves to the WebAssembly backend', async () => {
    const labels = oneHotLabels([0, 1, 2, 1], 3);
    const flags = tf.tensor1d([true, false, true], 'bool').toInt();
    await useBackend('wasm');
    try {
      expect(labels.sum().dataSync()[0]).toBe(4);
      expect(tf.gather(labels, tf.tensor1d([3, 0], 'int32')).dataSync()).toEqual(new Float32Array([0, 1, 0, 1, 0, 0]));
      expect(flags.sum().dataSync()[0]).toBe(2);
    } finally {
      await useBackend('cpu');
    }
  });

  it('lets a head trained on the WebAssembly backend learn from labels made on the cpu backend', async () => {
    const classes = 4;
    const perClass = 25;
    const labels = Array.from({ length: classes * perClass }, (_, i) => i % classes);
    const centres = tf.randomNormal([classes, 16], 0, 1, 'float32', 1);
    const xs = tf.gather(centres, tf.tensor1d(labels, 'int32')).add(tf.randomNormal([labels.length, 16], 0, 0.3, 'float32', 2));
    const ys = oneHotLabels(labels, classes);
    await useBackend('wasm');
    try {
      const head = tf.sequential({ layers: [tf.layers.dense({ inputShape: [16], units: classes, activation: 'softmax' })] });
      head.compile({ optimizer: tf.train.adam(0.05), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
      const history = await head.fit(xs, ys, { epochs: 10, batchSize: 20, verbose: 0 });
      expect(history.history.acc?.at(-1)).toBeGreaterThan(0.9);
    } finally {
      await useBackend('cpu');
    }
  });
});
