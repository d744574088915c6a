import type * as TF from '@tensorflow/tfjs';

type Tf = typeof TF;
type Numeric = 'float32' | 'int32' | 'bool';

const ARRAY_OF: Record<Numeric, Float32ArrayConstructor | Int32ArrayConstructor | Uint8ArrayConstructor> = {
  float32: Float32Array,
  int32: Int32Array,
  bool: Uint8Array,
};

interface CastArgs {
  inputs: { x: TF.TensorInfo };
  attrs: { dtype: TF.DataType };
  backend: {
    data: { get(dataId: object): { values?: ArrayLike<number> } };
    makeTensorInfo(shape: number[], dtype: Numeric, values: Float32Array | Int32Array | Uint8Array): TF.TensorInfo;
  };
}

const isNumeric = (dtype: TF.DataType): dtype is Numeric => dtype in ARRAY_OF;

/**
 * The CPU backend's Cast, except that a widening cast (bool or int32 to float32, bool to int32) gets
 * an array of its own type instead of sharing its input's. The stock kernel keeps the input's
 * Int32Array under a float32 tensor; when such a tensor moves to the WebAssembly backend (the lesson
 * module's inference backend, or `tf.setBackend('wasm')` in a cell), its bytes are copied as they are
 * and read as floats: one-hot labels made with `tf.oneHot(...).toFloat()` become 1e-45, and a head
 * trained on them stays at chance (found by the benchmark; tfjs 4.22). Safe to call more than once.
 */
export function registerTypedCpuCast(tf: Tf): void {
  const stock = tf.getKernel('Cast', 'cpu');
  if (!stock || (stock.kernelFunc as { typed?: true }).typed) return;
  const kernelFunc = Object.assign(
    (args: CastArgs) => {
      const { x } = args.inputs;
      const { dtype } = args.attrs;
      if (x.dtype !== dtype && isNumeric(x.dtype) && isNumeric(dtype) && !tf.util.hasEncodingLoss(x.dtype, dtype)) {
        const values = args.backend.data.get(x.dataId).values;
        if (values) return args.backend.makeTensorInfo(x.shape.slice(), dtype, ARRAY_OF[dtype].from(values));
      }
      return stock.kernelFunc(args as unknown as Parameters<TF.KernelFunc>[0]);
    },
    { typed: true as const },
  );
  tf.unregisterKernel('Cast', 'cpu');
  tf.registerKernel({ kernelName: 'Cast', backendName: 'cpu', kernelFunc: kernelFunc as unknown as TF.KernelFunc });
}
