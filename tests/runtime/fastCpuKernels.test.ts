import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerFastCpuKernels } from '@/runtime/sandbox/fastCpuKernels';

type Conv = (x: tf.Tensor4D, filter: tf.Tensor4D) => tf.Tensor4D;

interface Case {
  name: string;
  x: [number, number, number, number];
  filter: [number, number, number, number];
  conv: Conv;
}

const cases: Case[] = [
  { name: '3x3 conv, stride 1, same', x: [2, 7, 7, 3], filter: [3, 3, 3, 5], conv: (x, f) => tf.conv2d(x, f, 1, 'same') },
  { name: '3x3 conv, stride 2, same, even input', x: [2, 8, 8, 4], filter: [3, 3, 4, 6], conv: (x, f) => tf.conv2d(x, f, 2, 'same') },
  { name: '1x1 conv (pointwise)', x: [3, 7, 7, 16], filter: [1, 1, 16, 8], conv: (x, f) => tf.conv2d(x, f, 1, 'valid') },
  { name: '5x3 conv, strides [2, 1], valid, odd input', x: [1, 9, 7, 2], filter: [5, 3, 2, 3], conv: (x, f) => tf.conv2d(x, f, [2, 1], 'valid') },
  { name: 'conv with explicit padding', x: [1, 6, 6, 2], filter: [3, 3, 2, 2], conv: (x, f) => tf.conv2d(x, f, 1, [[0, 0], [1, 2], [2, 0], [0, 0]]) },
  { name: '3x3 depthwise, stride 1, same', x: [2, 7, 7, 4], filter: [3, 3, 4, 1], conv: (x, f) => tf.depthwiseConv2d(x, f, 1, 'same') },
  { name: '3x3 depthwise, stride 2, same, multiplier 2', x: [2, 8, 8, 3], filter: [3, 3, 3, 2], conv: (x, f) => tf.depthwiseConv2d(x, f, 2, 'same') },
];

/** The gradient of a weighted sum of the convolution's output with respect to the filter. */
function filterGradient({ x: xShape, filter: filterShape, conv }: Case): Float32Array {
  return tf.tidy(() => {
    const x = tf.randomUniform(xShape, -1, 1, 'float32', 7) as tf.Tensor4D;
    const filter = tf.randomUniform(filterShape, -1, 1, 'float32', 11) as tf.Tensor4D;
    const weights = tf.randomUniform(conv(x, filter).shape, -1, 1, 'float32', 13);
    const gradient = tf.grad((f: tf.Tensor) => conv(x, f as tf.Tensor4D).mul(weights).sum())(filter);
    return gradient.dataSync() as Float32Array;
  });
}

const stock = new Map<string, Float32Array>();

beforeAll(async () => {
  await tf.setBackend('cpu');
  for (const c of cases) stock.set(c.name, filterGradient(c));
  registerFastCpuKernels(tf);
});

describe('fast CPU filter gradients', () => {
  it.each(cases.map((c) => [c.name, c] as const))('match the stock kernel: %s', (_, c) => {
    const expected = stock.get(c.name)!;
    const actual = filterGradient(c);
    expect(actual.length).toBe(expected.length);
    const worst = expected.reduce((max, e, i) => Math.max(max, Math.abs(e - actual[i]!) / Math.max(1, Math.abs(e))), 0);
    expect(worst).toBeLessThan(1e-5);
  });

  it('are the registered CPU kernels, and registering twice keeps them', () => {
    registerFastCpuKernels(tf);
    for (const name of ['Conv2DBackpropFilter', 'DepthwiseConv2dNativeBackpropFilter']) {
      expect((tf.getKernel(name, 'cpu')?.kernelFunc as { fast?: boolean }).fast).toBe(true);
    }
  });

  it('let a convolutional model\'s filters move when it trains', async () => {
    // A model trained one step with the fast kernels moves its filters; a zero gradient would not.
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
