import type * as TF from '@tensorflow/tfjs';

/**
 * Faster CPU kernels for the filter gradients of convolutions.
 *
 * TensorFlow.js's CPU backend computes these two gradients with a `TensorBuffer.get(b, r, c, d)` call
 * per multiply-add, which makes them the whole cost of training a convolution without a GPU: on this
 * project's backbone, `Conv2DBackpropFilter` was 88% of the time of a fine-tuning step. The versions
 * here compute exactly the same sums with flat typed-array indexing, walking the output gradient and
 * the filter gradient contiguously along channels, and accumulating in float64. Their results match
 * the stock kernels (tests/runtime/fastCpuKernels.test.ts); only the order of the additions differs.
 * Everything else, including the forward convolutions, stays TensorFlow.js's own.
 */

type Tf = typeof TF;
type ConvInfo = ReturnType<Tf['backend_util']['computeConv2DInfo']>;

interface CpuData {
  values: Float32Array;
}
interface CpuBackend {
  data: { get(dataId: object): CpuData };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TF.TensorInfo;
}
interface GradientArgs {
  inputs: { x: TF.TensorInfo; dy: TF.TensorInfo };
  backend: CpuBackend;
  attrs: {
    strides: [number, number] | number;
    pad: 'valid' | 'same' | number | TF.backend_util.ExplicitPadding;
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
    filterShape: [number, number, number, number];
    dataFormat?: 'NHWC' | 'NCHW';
    dilations?: [number, number] | number;
  };
}

/** The rows (or columns) of the output whose window puts filter tap `tap` inside the input. */
function outputRange(tap: number, pad: number, stride: number, dilation: number, inSize: number, outSize: number): [number, number] {
  const offset = tap * dilation - pad;
  const first = Math.max(0, Math.ceil(-offset / stride));
  const last = Math.min(outSize, Math.ceil((inSize - offset) / stride));
  return [first, last];
}

/**
 * dW[r, c, i, o] = Σ over batch and output positions of x[b, y·s + r·d - pad, i] · dy[b, y, o].
 * `depthwise`: output channel o reads input channel ⌊o / multiplier⌋ only, and dW is [r, c, in, multiplier].
 */
function filterGradient(info: ConvInfo, x: Float32Array, dy: Float32Array, depthwise: boolean): Float64Array {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth } = info;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const dW = new Float64Array(filterHeight * filterWidth * (depthwise ? outChannels : inChannels * outChannels));
  const multiplier = outChannels / inChannels;
  for (let r = 0; r < filterHeight; r++) {
    const [yRFirst, yRLast] = outputRange(r, top, strideHeight, dilationHeight, inHeight, outHeight);
    for (let c = 0; c < filterWidth; c++) {
      const [yCFirst, yCLast] = outputRange(c, left, strideWidth, dilationWidth, inWidth, outWidth);
      const tapBase = (r * filterWidth + c) * (depthwise ? outChannels : inChannels * outChannels);
      for (let b = 0; b < batchSize; b++) {
        for (let yR = yRFirst; yR < yRLast; yR++) {
          const xR = yR * strideHeight + r * dilationHeight - top;
          for (let yC = yCFirst; yC < yCLast; yC++) {
            const xC = yC * strideWidth + c * dilationWidth - left;
            const xBase = ((b * inHeight + xR) * inWidth + xC) * inChannels;
            const dyBase = ((b * outHeight + yR) * outWidth + yC) * outChannels;
            if (depthwise) {
              for (let i = 0, o = 0; i < inChannels; i++) {
                const xv = x[xBase + i]!;
                for (let m = 0; m < multiplier; m++, o++) dW[tapBase + o]! += xv * dy[dyBase + o]!;
              }
            } else {
              for (let i = 0; i < inChannels; i++) {
                const xv = x[xBase + i]!;
                if (xv === 0) continue; // ReLU activations are often zero
                const row = tapBase + i * outChannels;
                for (let o = 0; o < outChannels; o++) dW[row + o]! += xv * dy[dyBase + o]!;
              }
            }
          }
        }
      }
    }
  }
  return dW;
}

/** Replaces the CPU backend's filter-gradient kernels with the fast ones. Safe to call more than once. */
export function registerFastCpuKernels(tf: Tf): void {
  const kernels = [
    {
      kernelName: 'Conv2DBackpropFilter',
      info: (args: GradientArgs) => {
        const { strides, pad, dimRoundingMode, filterShape, dataFormat } = args.attrs;
        if (dataFormat === 'NCHW') return null;
        return tf.backend_util.computeConv2DInfo(args.inputs.x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode, false);
      },
      depthwise: false,
    },
    {
      kernelName: 'DepthwiseConv2dNativeBackpropFilter',
      info: (args: GradientArgs) => {
        const { strides, pad, dimRoundingMode, filterShape, dilations } = args.attrs;
        return tf.backend_util.computeConv2DInfo(args.inputs.x.shape as [number, number, number, number], filterShape, strides, dilations ?? 1, pad, dimRoundingMode, true);
      },
      depthwise: true,
    },
  ];
  for (const { kernelName, info, depthwise } of kernels) {
    const stock = tf.getKernel(kernelName, 'cpu');
    if (!stock || (stock.kernelFunc as { fast?: true }).fast) continue;
    const kernelFunc = Object.assign(
      (args: GradientArgs): TF.TensorInfo | TF.TensorInfo[] => {
        const conv = info(args);
        if (!conv) return stock.kernelFunc(args as unknown as Parameters<TF.KernelFunc>[0]);
        const x = args.backend.data.get(args.inputs.x.dataId).values;
        const dy = args.backend.data.get(args.inputs.dy.dataId).values;
        const dW = filterGradient(conv, x, dy, depthwise);
        return args.backend.makeTensorInfo(conv.filterShape, 'float32', Float32Array.from(dW));
      },
      { fast: true as const },
    );
    tf.unregisterKernel(kernelName, 'cpu');
    tf.registerKernel({ kernelName, backendName: 'cpu', kernelFunc: kernelFunc as unknown as TF.KernelFunc });
  }
}
