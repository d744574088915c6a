import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels, WASM_TRAINING_KERNELS } from '@/runtime/sandbox/wasmKernels';
import { loadCommittedModel, useBackend } from '../model/loadModel';
import { conv, depthwise, layerValues, type LayerCase, type LayerValues, type Shape4 } from './convLayerCases';

/*
 * The reference is tfjs's own cpu backend, stock kernels (this file never registers the project's
 * fast cpu kernels). Every case runs on cpu first, then on wasm: before the registration (where the
 * gradients must fail, so the parity below is the registration's doing) and after it.
 */

/** What a convolution layer computes while training: forward, fused forward, both gradients. */
const layerCases: LayerCase[] = [
  { name: '3x3 conv, stride 1, same', x: [2, 7, 7, 3], filter: [3, 3, 3, 5], ...conv(1, 'same') },
  { name: '3x3 conv, stride 2, same, even input', x: [2, 8, 8, 4], filter: [3, 3, 4, 6], ...conv(2, 'same') },
  { name: '1x1 conv (pointwise)', x: [3, 7, 7, 16], filter: [1, 1, 16, 8], ...conv(1, 'valid') },
  { name: '5x3 conv, strides [2, 1], valid, odd input', x: [1, 9, 7, 2], filter: [5, 3, 2, 3], ...conv([2, 1], 'valid') },
  { name: 'conv, numeric padding 1, stride 2', x: [2, 9, 9, 2], filter: [3, 3, 2, 4], ...conv(2, 1) },
  { name: 'conv with explicit padding', x: [1, 6, 6, 2], filter: [3, 3, 2, 2], ...conv(1, [[0, 0], [1, 2], [2, 0], [0, 0]]) },
  { name: '3x3 depthwise, stride 1, same', x: [2, 7, 7, 4], filter: [3, 3, 4, 1], ...depthwise(1, 'same') },
  { name: '3x3 depthwise, stride 2, same, multiplier 2', x: [2, 8, 8, 3], filter: [3, 3, 3, 2], ...depthwise(2, 'same') },
  { name: '3x2 depthwise, stride 2, valid, odd input', x: [2, 9, 7, 3], filter: [3, 2, 3, 1], ...depthwise(2, 'valid') },
  { name: 'depthwise with explicit padding, multiplier 3', x: [1, 6, 5, 2], filter: [3, 3, 2, 3], ...depthwise(1, [[0, 0], [2, 1], [0, 1], [0, 0]]) },
];

/**
 * The gradient kernels called directly, with attributes tfjs's gradient functions never pass but the
 * kernels accept: dilations (depthwise) and a rounding mode for numeric padding.
 */
interface KernelCase {
  name: string;
  kernel: (typeof WASM_TRAINING_KERNELS)[number];
  inputs: Record<string, Shape4>;
  attrs: Record<string, unknown>;
}
const kernelCases: KernelCase[] = [
  {
    name: 'Conv2DBackpropFilter, numeric padding rounded up',
    kernel: 'Conv2DBackpropFilter',
    inputs: { x: [2, 8, 8, 3], dy: [2, 5, 5, 4] },
    attrs: { strides: 2, pad: 1, dimRoundingMode: 'ceil', dataFormat: 'NHWC', filterShape: [3, 3, 3, 4] },
  },
  {
    name: 'DepthwiseConv2dNativeBackpropInput, stride 2, numeric padding rounded down',
    kernel: 'DepthwiseConv2dNativeBackpropInput',
    inputs: { dy: [1, 4, 4, 2], filter: [3, 3, 2, 1] },
    attrs: { strides: 2, pad: 1, dimRoundingMode: 'floor', dilations: 1, inputShape: [1, 8, 8, 2] },
  },
  {
    name: 'DepthwiseConv2dNativeBackpropFilter, dilation 2, same, multiplier 2',
    kernel: 'DepthwiseConv2dNativeBackpropFilter',
    inputs: { x: [2, 9, 9, 3], dy: [2, 9, 9, 6] },
    attrs: { strides: 1, pad: 'same', dilations: [2, 2], filterShape: [3, 3, 3, 2] },
  },
  {
    name: 'DepthwiseConv2dNativeBackpropInput, dilation [2, 3], valid',
    kernel: 'DepthwiseConv2dNativeBackpropInput',
    inputs: { dy: [2, 5, 3, 4], filter: [3, 3, 4, 1] },
    attrs: { strides: 1, pad: 'valid', dilations: [2, 3], inputShape: [2, 9, 9, 4] },
  },
];

const inputsOf = ({ inputs }: KernelCase) => Object.fromEntries(Object.entries(inputs).map(([name, shape], i) => [name, tf.randomUniform(shape, -1, 1, 'float32', 23 + i)]));
const run = (kernel: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, unknown>) =>
  tf.engine().runKernel(kernel, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;

function kernelValues(c: KernelCase): Float32Array {
  return tf.tidy(() => run(c.kernel, inputsOf(c), c.attrs).dataSync() as Float32Array);
}

/**
 * What a kernel should compute, on the cpu backend. Its own depthwise gradient kernels size and pad
 * for a dilation but then ignore it in their loops (tfjs's gradients refuse dilations above 1), so a
 * dilated case is computed as the undilated convolution with the filter spread out, zeros between
 * its taps, which is what a dilation means; its filter gradient is read back at the taps.
 */
function referenceValues(c: KernelCase): Float32Array {
  const dilations = c.attrs.dilations;
  const [dh, dw] = typeof dilations === 'number' || dilations === undefined ? [dilations ?? 1, dilations ?? 1] : (dilations as [number, number]);
  if (dh === 1 && dw === 1) return kernelValues(c);
  const spread = ([h, w, i, m]: Shape4): Shape4 => [(h - 1) * dh + 1, (w - 1) * dw + 1, i, m];
  const taps = (r: number, col: number) => r % dh === 0 && col % dw === 0;
  return tf.tidy(() => {
    const inputs = inputsOf(c);
    const attrs = { ...c.attrs, dilations: [1, 1] };
    if (c.kernel === 'DepthwiseConv2dNativeBackpropFilter') {
      const shape = c.attrs.filterShape as Shape4;
      const full = run(c.kernel, inputs, { ...attrs, filterShape: spread(shape) }).arraySync() as number[][][][];
      return Float32Array.from(full.filter((_, r) => r % dh === 0).flatMap((row, r) => row.filter((_, col) => taps(r * dh, col)).flat(2)));
    }
    const filter = inputs.filter!.arraySync() as number[][][][];
    const [h, w] = spread(c.inputs.filter!);
    const zeros = filter[0]![0]!.map((channel) => channel.map(() => 0));
    const spreadFilter = Array.from({ length: h }, (_, r) => Array.from({ length: w }, (_, col) => (taps(r, col) ? filter[r / dh]![col / dw]! : zeros)));
    return run(c.kernel, { ...inputs, filter: tf.tensor4d(spreadFilter) }, attrs).dataSync() as Float32Array;
  });
}

/** Largest difference relative to the value's size (at least 1). */
function worstDifference(expected: Float32Array, actual: Float32Array): number {
  expect(actual.length).toBe(expected.length);
  return expected.reduce((max, e, i) => Math.max(max, Math.abs(e - actual[i]!) / Math.max(1, Math.abs(e))), 0);
}

const reference = { layers: new Map<string, LayerValues>(), kernels: new Map<string, Float32Array>() };

beforeAll(async () => {
  await useBackend('cpu');
  for (const c of layerCases) reference.layers.set(c.name, layerValues(c));
  for (const c of kernelCases) reference.kernels.set(c.name, referenceValues(c));
  await useBackend('wasm');
});

describe('the wasm backend without the registration', () => {
  it('cannot compute the gradients of a convolution (tfjs 4.22 has no such kernels)', () => {
    for (const name of WASM_TRAINING_KERNELS) expect(tf.getKernel(name, 'wasm'), name).toBeUndefined();
    expect(() => layerValues(layerCases[0]!)).toThrow("Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'");
    expect(() => layerValues(layerCases[6]!)).toThrow(/Kernel 'DepthwiseConv2dNativeBackprop(Input|Filter)' not registered for backend 'wasm'/);
  });
});

describe('registerWasmTrainingKernels', () => {
  beforeAll(() => {
    expect(registerWasmTrainingKernels(tf)).toBe(true);
  });

  it.each(layerCases.map((c) => [c.name, c] as const))('trains a convolution on wasm as tfjs does on cpu: %s', (_, c) => {
    expect(tf.getBackend()).toBe('wasm');
    const actual = layerValues(c);
    for (const [what, expected] of Object.entries(reference.layers.get(c.name)!)) {
      expect(worstDifference(expected, actual[what]!), what).toBeLessThan(1e-5);
    }
  });

  it.each(kernelCases.map((c) => [c.name, c] as const))('computes the kernel as tfjs does on cpu: %s', (_, c) => {
    expect(worstDifference(reference.kernels.get(c.name)!, kernelValues(c))).toBeLessThan(1e-5);
  });

  it('refuses channels-first tensors with a message, as the backend does for its forward convolutions', () => {
    const call = () =>
      tf.tidy(() =>
        tf.engine().runKernel('Conv2DBackpropFilter', { x: tf.ones([1, 2, 4, 4]), dy: tf.ones([1, 1, 4, 4]) }, { strides: 1, pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 2, 1] }),
      );
    expect(call).toThrow('The WebAssembly backend computes Conv2DBackpropFilter for NHWC (channels-last) tensors only.');
  });

  it('keeps a registered kernel and says all three are there when called again', () => {
    const before = WASM_TRAINING_KERNELS.map((name) => tf.getKernel(name, 'wasm')!.kernelFunc);
    expect(registerWasmTrainingKernels(tf)).toBe(true);
    expect(WASM_TRAINING_KERNELS.map((name) => tf.getKernel(name, 'wasm')!.kernelFunc)).toEqual(before);
  });

  it("gives the pretrained backbone's weights the same gradients as the cpu backend", async () => {
    const model = await loadCommittedModel('cpu');
    const images = tf.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 3);
    // Float labels made as floats: tfjs's cpu Cast shares an Int32Array, which wasm would read as
    // 1e-45 (runtime/sandbox/cpuCast.ts; not registered in this file).
    const labels = tf.tensor2d([[1, 0, 0, 0, 0, 0], [0, 0, 0, 0, 1, 0]]); // one output per pretraining class
    const gradients = () =>
      tf.tidy(() => {
        const { grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(labels, model.predict(images) as tf.Tensor) as tf.Scalar);
        return Object.fromEntries(Object.entries(grads).map(([name, g]) => [name, g.dataSync() as Float32Array]));
      });
    const onCpu = gradients();
    await useBackend('wasm');
    const onWasm = gradients();
    expect(Object.keys(onWasm).sort()).toEqual(Object.keys(onCpu).sort());
    expect(Object.keys(onCpu).some((name) => name.includes('block1_dw'))).toBe(true);
    for (const [name, expected] of Object.entries(onCpu)) {
      // Relative to the largest gradient of the weight: sums of many small terms, in another order.
      const scale = Math.max(...expected.map(Math.abs));
      const worst = expected.reduce((max, e, i) => Math.max(max, Math.abs(e - onWasm[name]![i]!)), 0);
      expect(worst / scale, name).toBeLessThan(1e-4);
    }
    model.dispose();
    tf.dispose([images, labels]);
  });
});
