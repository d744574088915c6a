import type * as TF from '@tensorflow/tfjs';

/**
 * Faster CPU kernels for convolutions: forward (plain and fused with bias and activation), and the
 * gradients with respect to the input and to the filter, for ordinary and depthwise convolutions.
 *
 * TensorFlow.js's CPU backend computes the filter gradients with a `TensorBuffer.get(b, r, c, d)` call
 * per multiply-add (88% of a fine-tuning step of a small MobileNet-style CNN), and its forward and
 * input-gradient loops walk memory with large strides (a 1x1 convolution on 28x28x16 images took 0.77 s
 * for a batch of 32). The versions here compute the same sums with flat typed-array indexing, the
 * channels contiguous in the innermost loop, skipping zero activations (common after ReLU). Each loop
 * nest is written out, not shared through a callback: V8 inlines the straight loops and not a callback
 * called from three places, which made a shared version slower than the stock kernels. Results match
 * the stock kernels within float rounding (tests/runtime/fastCpuKernels.test.ts). NHWC only; NCHW and
 * PReLU go to the stock kernels. The WebAssembly backend uses the same loops for the three gradient
 * kernels it lacks (wasmKernels.ts), through its heap instead of the CPU backend's arrays.
 */

type Tf = typeof TF;
type ConvInfo = ReturnType<Tf['backend_util']['computeConv2DInfo']>;

/**
 * Where a kernel reads its inputs' values and puts its output: the CPU backend's typed arrays, or
 * the WebAssembly backend's heap (runtime/sandbox/wasmKernels.ts), so both share the loops below.
 */
export interface TensorStore {
  values(tensor: TF.TensorInfo): Float32Array;
  output(shape: number[], values: Float32Array): TF.TensorInfo;
}

interface CpuBackend {
  data: { get(dataId: object): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TF.TensorInfo;
}
type ConvAttrs = {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | TF.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape?: [number, number, number, number];
  dataFormat?: 'NHWC' | 'NCHW';
  dilations?: [number, number] | number;
};

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

/** y[b, yR, yC, o] = Σ x[b, xR, xC, i] · w[r, c, i, o] over the taps whose input lies inside the image. */
function conv2dForward(info: ConvInfo, x: Float32Array, w: Float32Array): Float32Array {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth } = info;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const y = new Float32Array(batchSize * outHeight * outWidth * outChannels);
  for (let b = 0; b < batchSize; b++) {
    for (let yR = 0; yR < outHeight; yR++) {
      for (let yC = 0; yC < outWidth; yC++) {
        const yBase = ((b * outHeight + yR) * outWidth + yC) * outChannels;
        for (let r = 0; r < filterHeight; r++) {
          const xR = yR * strideHeight + r * dilationHeight - top;
          if (xR < 0 || xR >= inHeight) continue;
          for (let c = 0; c < filterWidth; c++) {
            const xC = yC * strideWidth + c * dilationWidth - left;
            if (xC < 0 || xC >= inWidth) continue;
            const xBase = ((b * inHeight + xR) * inWidth + xC) * inChannels;
            const wBase = (r * filterWidth + c) * inChannels * outChannels;
            for (let i = 0; i < inChannels; i++) {
              const xv = x[xBase + i]!;
              if (xv === 0) continue;
              const row = wBase + i * outChannels;
              for (let o = 0; o < outChannels; o++) y[yBase + o]! += xv * w[row + o]!;
            }
          }
        }
      }
    }
  }
  return y;
}

/** dx[b, xR, xC, i] = Σ dy[b, yR, yC, o] · w[r, c, i, o] over the outputs each input pixel fed. */
function conv2dInputGradient(info: ConvInfo, dy: Float32Array, w: Float32Array): Float32Array {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth } = info;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const dx = new Float32Array(batchSize * inHeight * inWidth * inChannels);
  for (let b = 0; b < batchSize; b++) {
    for (let yR = 0; yR < outHeight; yR++) {
      for (let yC = 0; yC < outWidth; yC++) {
        const dyBase = ((b * outHeight + yR) * outWidth + yC) * outChannels;
        for (let r = 0; r < filterHeight; r++) {
          const xR = yR * strideHeight + r * dilationHeight - top;
          if (xR < 0 || xR >= inHeight) continue;
          for (let c = 0; c < filterWidth; c++) {
            const xC = yC * strideWidth + c * dilationWidth - left;
            if (xC < 0 || xC >= inWidth) continue;
            const xBase = ((b * inHeight + xR) * inWidth + xC) * inChannels;
            const wBase = (r * filterWidth + c) * inChannels * outChannels;
            for (let i = 0; i < inChannels; i++) {
              const row = wBase + i * outChannels;
              let sum = 0;
              for (let o = 0; o < outChannels; o++) sum += dy[dyBase + o]! * w[row + o]!;
              dx[xBase + i]! += sum;
            }
          }
        }
      }
    }
  }
  return dx;
}

/** Depthwise: output channel i·m + k sees input channel i only, through w[r, c, i, k]. */
function depthwiseForward(info: ConvInfo, x: Float32Array, w: Float32Array): Float32Array {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth } = info;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const multiplier = outChannels / inChannels;
  const y = new Float32Array(batchSize * outHeight * outWidth * outChannels);
  for (let b = 0; b < batchSize; b++) {
    for (let yR = 0; yR < outHeight; yR++) {
      for (let yC = 0; yC < outWidth; yC++) {
        const yBase = ((b * outHeight + yR) * outWidth + yC) * outChannels;
        for (let r = 0; r < filterHeight; r++) {
          const xR = yR * strideHeight + r * dilationHeight - top;
          if (xR < 0 || xR >= inHeight) continue;
          for (let c = 0; c < filterWidth; c++) {
            const xC = yC * strideWidth + c * dilationWidth - left;
            if (xC < 0 || xC >= inWidth) continue;
            const xBase = ((b * inHeight + xR) * inWidth + xC) * inChannels;
            const wBase = (r * filterWidth + c) * outChannels;
            for (let i = 0, o = 0; i < inChannels; i++) {
              const xv = x[xBase + i]!;
              for (let k = 0; k < multiplier; k++, o++) y[yBase + o]! += xv * w[wBase + o]!;
            }
          }
        }
      }
    }
  }
  return y;
}

function depthwiseInputGradient(info: ConvInfo, dy: Float32Array, w: Float32Array): Float32Array {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth } = info;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const multiplier = outChannels / inChannels;
  const dx = new Float32Array(batchSize * inHeight * inWidth * inChannels);
  for (let b = 0; b < batchSize; b++) {
    for (let yR = 0; yR < outHeight; yR++) {
      for (let yC = 0; yC < outWidth; yC++) {
        const dyBase = ((b * outHeight + yR) * outWidth + yC) * outChannels;
        for (let r = 0; r < filterHeight; r++) {
          const xR = yR * strideHeight + r * dilationHeight - top;
          if (xR < 0 || xR >= inHeight) continue;
          for (let c = 0; c < filterWidth; c++) {
            const xC = yC * strideWidth + c * dilationWidth - left;
            if (xC < 0 || xC >= inWidth) continue;
            const xBase = ((b * inHeight + xR) * inWidth + xC) * inChannels;
            const wBase = (r * filterWidth + c) * outChannels;
            for (let i = 0, o = 0; i < inChannels; i++) {
              let sum = 0;
              for (let k = 0; k < multiplier; k++, o++) sum += dy[dyBase + o]! * w[wBase + o]!;
              dx[xBase + i]! += sum;
            }
          }
        }
      }
    }
  }
  return dx;
}

const ACTIVATIONS: Record<string, (v: number, alpha: number) => number> = {
  linear: (v) => v,
  relu: (v) => (v > 0 ? v : 0),
  relu6: (v) => Math.min(Math.max(v, 0), 6),
  elu: (v) => (v >= 0 ? v : Math.exp(v) - 1),
  leakyrelu: (v, alpha) => (v >= 0 ? v : alpha * v),
  sigmoid: (v) => 1 / (1 + Math.exp(-v)),
};

/** Adds a per-channel (or scalar) bias and applies a fused convolution's activation, in place. */
function biasAndActivation(y: Float32Array, channels: number, bias: Float32Array | undefined, activation: string, alpha: number): void {
  const act = ACTIVATIONS[activation]!;
  const perChannel = bias !== undefined && bias.length === channels;
  for (let p = 0, channel = 0; p < y.length; p++, channel = channel + 1 === channels ? 0 : channel + 1) {
    const b = bias === undefined ? 0 : perChannel ? bias[channel]! : bias[0]!;
    y[p] = act(y[p]! + b, alpha);
  }
}

/** What TensorFlow.js passes a convolution kernel, whichever backend it is registered for. */
export interface ConvKernelArgs {
  inputs: Record<string, TF.TensorInfo | undefined>;
  backend: unknown;
  attrs: ConvAttrs & { inputShape?: Shape4; activation?: string; leakyreluAlpha?: number };
}
type Args = ConvKernelArgs;
type Shape4 = [number, number, number, number];
/** A convolution kernel, or null where it does not cover the call (NCHW, PReLU). */
export type ConvKernel = (tf: typeof TF, args: Args, store: TensorStore) => TF.TensorInfo | null;
type Kernel = ConvKernel;

function geometry(tf: typeof TF, args: Args, xShape: Shape4, filterShape: Shape4, depthwise: boolean): ConvInfo | null {
  const { strides, pad, dimRoundingMode, dataFormat, dilations } = args.attrs;
  if (dataFormat === 'NCHW') return null;
  return tf.backend_util.computeConv2DInfo(xShape, filterShape, strides, dilations ?? 1, pad, dimRoundingMode, depthwise);
}
const valuesOf = (args: Args, store: TensorStore, name: string) => store.values(args.inputs[name]!);
const shapeOf = (args: Args, name: string) => args.inputs[name]!.shape as Shape4;

function forwardKernel(depthwise: boolean, fused: boolean): Kernel {
  return (tf, args, store) => {
    const activation = args.attrs.activation ?? 'linear';
    if (fused && !(activation in ACTIVATIONS)) return null; // prelu needs its weights: stock kernel
    const info = geometry(tf, args, shapeOf(args, 'x'), shapeOf(args, 'filter'), depthwise);
    if (!info) return null;
    const y = (depthwise ? depthwiseForward : conv2dForward)(info, valuesOf(args, store, 'x'), valuesOf(args, store, 'filter'));
    if (fused) biasAndActivation(y, info.outChannels, args.inputs.bias && valuesOf(args, store, 'bias'), activation, args.attrs.leakyreluAlpha ?? 0.2);
    return store.output(info.outShape, y);
  };
}

function inputGradientKernel(depthwise: boolean): Kernel {
  return (tf, args, store) => {
    const info = args.attrs.inputShape && geometry(tf, args, args.attrs.inputShape, shapeOf(args, 'filter'), depthwise);
    if (!info) return null;
    return store.output(info.inShape, (depthwise ? depthwiseInputGradient : conv2dInputGradient)(info, valuesOf(args, store, 'dy'), valuesOf(args, store, 'filter')));
  };
}

function filterGradientKernel(depthwise: boolean): Kernel {
  return (tf, args, store) => {
    const info = args.attrs.filterShape && geometry(tf, args, shapeOf(args, 'x'), args.attrs.filterShape, depthwise);
    if (!info) return null;
    return store.output(info.filterShape, Float32Array.from(filterGradient(info, valuesOf(args, store, 'x'), valuesOf(args, store, 'dy'), depthwise)));
  };
}

/** The kernels replaced, by TensorFlow.js kernel name. */
export const FAST_KERNELS: Readonly<Record<string, Kernel>> = {
  Conv2D: forwardKernel(false, false),
  FusedConv2D: forwardKernel(false, true),
  DepthwiseConv2dNative: forwardKernel(true, false),
  FusedDepthwiseConv2D: forwardKernel(true, true),
  Conv2DBackpropInput: inputGradientKernel(false),
  DepthwiseConv2dNativeBackpropInput: inputGradientKernel(true),
  Conv2DBackpropFilter: filterGradientKernel(false),
  DepthwiseConv2dNativeBackpropFilter: filterGradientKernel(true),
};

function cpuStore(backend: CpuBackend): TensorStore {
  return {
    values: (tensor) => backend.data.get(tensor.dataId).values,
    output: (shape, values) => backend.makeTensorInfo(shape, 'float32', values),
  };
}

/** How often a call went to the stock kernel because a fast one does not cover it (NCHW, PReLU). */
export const stockFallbacks = { count: 0 };

/** Replaces the CPU backend's convolution kernels with the fast ones. Safe to call more than once. */
export function registerFastCpuKernels(tf: Tf): void {
  for (const [kernelName, kernel] of Object.entries(FAST_KERNELS)) {
    const stock = tf.getKernel(kernelName, 'cpu');
    if (!stock || (stock.kernelFunc as { fast?: true }).fast) continue;
    const kernelFunc = Object.assign(
      (args: Args) => {
        const result = kernel(tf, args, cpuStore(args.backend as CpuBackend));
        if (result) return result;
        stockFallbacks.count++;
        return stock.kernelFunc(args as unknown as Parameters<TF.KernelFunc>[0]);
      },
      { fast: true as const },
    );
    tf.unregisterKernel(kernelName, 'cpu');
    tf.registerKernel({ kernelName, backendName: 'cpu', kernelFunc: kernelFunc as unknown as TF.KernelFunc });
  }
}
