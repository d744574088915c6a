import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FAST_KERNELS, registerFastCpuKernels, stockFallbacks } from '@/runtime/sandbox/fastCpuKernels';
import { conv, depthwise, layerValues, type LayerCase, type LayerValues } from './convLayerCases';

const cases: LayerCase[] = [
  { name: '3x3 conv, stride 1, same', x: [2, 7, 7, 3], filter: [3, 3, 3, 5], ...conv(1, 'same') },
  { name: '3x3 conv, stride 2, same, even input', x: [2, 8, 8, 4], filter: [3, 3, 4, 6], ...conv(2, 'same') },
  { name: '1x1 conv (pointwise)', x: [3, 7, 7, 16], filter: [1, 1, 16, 8], ...conv(1, 'valid') },
  { name: '5x3 conv, strides [2, 1], valid, odd input', x: [1, 9, 7, 2], filter: [5, 3, 2, 3], ...conv([2, 1], 'valid') },
  { name: 'conv with explicit padding', x: [1, 6, 6, 2], filter: [3, 3, 2, 2], ...conv(1, [[0, 0], [1, 2], [2, 0], [0, 0]]) },
  { name: '3x3 depthwise, stride 1, same', x: [2, 7, 7, 4], filter: [3, 3, 4, 1], ...depthwise(1, 'same') },
  { name: '3x3 depthwise, stride 2, same, multiplier 2', x: [2, 8, 8, 3], filter: [3, 3, 3, 2], ...depthwise(2, 'same') },
];

const stock = new Map<string, LayerValues>();

beforeAll(async () => {
  await tf.setBackend('cpu');
  for (const c of cases) stock.set(c.name, layerValues(c));
  registerFastCpuKernels(tf);
});

describe('fast CPU convolution kernels', () => {
  it.each(cases.map((c) => [c.name, c] as const))('match the stock kernels, without falling back to them: %s', (_, c) => {
    const expected = stock.get(c.name)!;
    const fallbacks = stockFallbacks.count;
    const actual = layerValues(c);
    expect(stockFallbacks.count, 'calls that went to the stock kernels').toBe(fallbacks);
    for (const [what, values] of Object.entries(expected)) {
      expect(actual[what]!.length, what).toBe(values.length);
      const worst = values.reduce((max, e, i) => Math.max(max, Math.abs(e - actual[what]![i]!) / Math.max(1, Math.abs(e))), 0);
      expect(worst, what).toBeLessThan(1e-5);
    }
  });

  it('are the registered CPU kernels, and registering twice keeps them', () => {
    registerFastCpuKernels(tf);
    for (const name of Object.keys(FAST_KERNELS)) {
      expect((tf.getKernel(name, 'cpu')?.kernelFunc as { fast?: boolean }).fast, name).toBe(true);
    }
  });

  it('hands what they do not cover (NCHW) to the stock kernels', () => {
    const before = stockFallbacks.count;
    const y = tf.tidy(() => tf.conv2d(tf.ones([1, 2, 4, 4]) as tf.Tensor4D, tf.ones([3, 3, 2, 1]) as tf.Tensor4D, 1, 'same', 'NCHW').dataSync());
    expect(stockFallbacks.count).toBe(before + 1);
    expect(y[5]).toBe(18); // an inner pixel: 3x3 window of ones over 2 channels
  });

  it("let a convolutional model's filters move when it trains", async () => {
    const model = tf.sequential({
      layers: [tf.layers.conv2d({ inputShape: [6, 6, 1], filters: 2, kernelSize: 3, kernelInitializer: tf.initializers.ones() }), tf.layers.flatten(), tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.ones() })],
    });
    model.compile({ optimizer: tf.train.sgd(0.01), loss: 'meanSquaredError' });
    const before = model.layers[0]!.getWeights()[0]!.dataSync().slice();
    await model.fit(tf.ones([2, 6, 6, 1]), tf.zeros([2, 1]), { epochs: 1, batchSize: 2 });
    const after = model.layers[0]!.getWeights()[0]!.dataSync();
    expect(after.some((v, i) => v !== before[i])).toBe(true);
  });
});
