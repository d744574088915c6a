import * as tf from '@tensorflow/tfjs';

/* Convolution layers as the kernel parity tests compare them (fastCpuKernels, wasmKernels). */

export type Pad = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];
export type Shape4 = [number, number, number, number];
export type LayerValues = Record<string, Float32Array>;

export interface LayerCase {
  name: string;
  x: Shape4;
  filter: Shape4;
  conv: (x: tf.Tensor4D, filter: tf.Tensor4D) => tf.Tensor4D;
  /** The same convolution fused with a bias and an activation (what layers run outside training). */
  fused: (x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D) => tf.Tensor4D;
}

export const conv = (strides: number | [number, number], pad: Pad): Pick<LayerCase, 'conv' | 'fused'> => ({
  conv: (x, f) => tf.conv2d(x, f, strides, pad),
  fused: (x, f, bias) => tf.fused.conv2d({ x, filter: f, strides, pad, bias, activation: 'relu' }),
});

export const depthwise = (strides: number, pad: Pad): Pick<LayerCase, 'conv' | 'fused'> => ({
  conv: (x, f) => tf.depthwiseConv2d(x, f, strides, pad),
  // Typed without explicit padding, which it accepts and passes on to the kernel.
  fused: (x, f, bias) => tf.fused.depthwiseConv2d({ x, filter: f, strides, pad: pad as 'same', bias, activation: 'relu6' }),
});

/** What a convolution layer computes while training, on the current backend: forward, fused forward, both gradients of a weighted sum. */
export function layerValues({ x: xShape, filter: filterShape, conv, fused }: LayerCase): LayerValues {
  return tf.tidy(() => {
    // ReLU-like inputs, with exact zeros: the flat loops skip them.
    const x = tf.relu(tf.randomUniform(xShape, -1, 1, 'float32', 7)) as tf.Tensor4D;
    const filter = tf.randomUniform(filterShape, -1, 1, 'float32', 11) as tf.Tensor4D;
    const out = conv(x, filter);
    const bias = tf.randomUniform([out.shape[3]], -1, 1, 'float32', 17) as tf.Tensor1D;
    const weights = tf.randomUniform(out.shape, -1, 1, 'float32', 13);
    const [dx, dw] = tf.grads((a: tf.Tensor, f: tf.Tensor) => conv(a as tf.Tensor4D, f as tf.Tensor4D).mul(weights).sum())([x, filter]);
    return {
      output: out.dataSync() as Float32Array,
      'fused output': fused(x, filter, bias).dataSync() as Float32Array,
      'input gradient': dx!.dataSync() as Float32Array,
      'filter gradient': dw!.dataSync() as Float32Array,
    };
  });
}
