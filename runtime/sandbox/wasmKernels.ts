import type * as TF from '@tensorflow/tfjs';
import { FAST_KERNELS, type ConvKernelArgs, type TensorStore } from './fastCpuKernels';

/**
 * The three kernels that training a convolution needs and TensorFlow.js 4.22's WebAssembly backend
 * lacks ("Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'"). They are the flat loops
 * of fastCpuKernels.ts, reading their inputs from and writing their output to the wasm backend's heap;
 * everything else in a training step (forward convolutions, the input gradient of a plain
 * convolution, dense layers) stays in the backend's own compiled kernels. Parity with tfjs's cpu
 * kernels: tests/runtime/wasmKernels.test.ts.
 */
export const WASM_TRAINING_KERNELS = ['Conv2DBackpropFilter', 'DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput'] as const;

/** The part of tfjs-backend-wasm's BackendWasm these kernels use. */
interface WasmBackend {
  makeOutput(shape: number[], dtype: 'float32'): TF.TensorInfo;
  typedArrayFromHeap(tensor: TF.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

function heapStore(backend: WasmBackend): TensorStore {
  return {
    // A view, not a copy. Valid until the heap grows, which only an allocation does: the kernels read
    // all their inputs before they allocate their output.
    values(tensor) {
      if (tensor.dtype !== 'float32') throw new Error(`a convolution on the WebAssembly backend needs float32 tensors, not ${tensor.dtype}`);
      return backend.typedArrayFromHeap(tensor) as Float32Array;
    },
    output(shape, values) {
      const out = backend.makeOutput(shape, 'float32');
      (backend.typedArrayFromHeap(out) as Float32Array).set(values);
      return out;
    },
  };
}

/**
 * Registers the missing training kernels for the `wasm` backend, each only if tfjs has none of its
 * own (a later release's compiled kernel would be faster). Call after the wasm backend's script has
 * loaded; safe to call more than once. Returns whether all three are now registered.
 */
export function registerWasmTrainingKernels(tf: typeof TF): boolean {
  for (const kernelName of WASM_TRAINING_KERNELS) {
    if (tf.getKernel(kernelName, 'wasm')) continue;
    const kernel = FAST_KERNELS[kernelName]!;
    const kernelFunc = (args: ConvKernelArgs) => {
      const result = kernel(tf, args, heapStore(args.backend as WasmBackend));
      // As the backend's own forward convolutions do: it has no channels-first layout.
      if (!result) throw new Error(`The WebAssembly backend computes ${kernelName} for NHWC (channels-last) tensors only.`);
      return result;
    };
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc: kernelFunc as unknown as TF.KernelFunc });
  }
  return WASM_TRAINING_KERNELS.every((name) => tf.getKernel(name, 'wasm') !== undefined);
}
