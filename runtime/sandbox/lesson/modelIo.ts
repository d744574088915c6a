import type * as TF from '@tensorflow/tfjs';
import type { SavedModel } from '../../protocol';

/** How each float32 weight is stored: as is, as a half-precision float, or as one byte per value. */
export type Precision = 'float32' | 'float16' | 'uint8';

type WeightSpec = TF.io.WeightsManifestEntry;

/** The file name model.json refers to for the weights of a model saved under `name`. */
export const weightsFileName = (name: string) => `${name}.weights.bin`;

/** A model's topology and weights, as `model.save` hands them to a save handler. */
export async function modelArtifacts(tf: typeof TF, model: TF.LayersModel): Promise<{ topology: object; specs: WeightSpec[]; weights: ArrayBuffer }> {
  let captured: TF.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      captured = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!captured?.modelTopology || !captured.weightSpecs || !captured.weightData) throw new Error('TensorFlow.js saved no weights for this model');
  const data = captured.weightData;
  const weights = Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data;
  return { topology: captured.modelTopology as object, specs: captured.weightSpecs, weights };
}

/** Rounds a float32 to the nearest float16 (ties to even) and returns its bits. */
export function toFloat16Bits(value: number): number {
  const f32 = new Float32Array([value]);
  const bits = new Uint32Array(f32.buffer)[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  let mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0); // Infinity or NaN
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // too large: Infinity
  if (e <= 0) {
    if (e < -10) return sign; // too small: zero
    mantissa |= 0x800000; // subnormal: make the leading 1 explicit and shift it into place
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    const rounded = mantissa + half - 1 + ((mantissa >>> shift) & 1);
    return sign | (rounded >>> shift);
  }
  const rounded = mantissa + 0xfff + ((mantissa >>> 13) & 1);
  if (rounded & 0x800000) return e + 1 >= 0x1f ? sign | 0x7c00 : sign | ((e + 1) << 10);
  return sign | (e << 10) | (rounded >>> 13);
}

/**
 * Re-encodes float32 weights at a lower precision, in the weights-manifest format every TensorFlow.js
 * loader understands (`quantization: { dtype: 'float16' }`, or `'uint8'` with a per-tensor `min` and
 * `scale`). Other dtypes are copied as they are.
 */
export function encodeWeights(specs: readonly WeightSpec[], weights: ArrayBuffer, precision: Precision): { specs: WeightSpec[]; weights: ArrayBuffer } {
  if (precision === 'float32') return { specs: specs.map((s) => ({ ...s })), weights: weights.slice(0) };
  const parts: Uint8Array[] = [];
  const out: WeightSpec[] = [];
  let offset = 0;
  for (const spec of specs) {
    if (spec.quantization) throw new Error(`weight ${spec.name} is already quantized`);
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const bytes = size * 4; // float32 and int32 are both 4 bytes a value
    if (spec.dtype !== 'float32') {
      parts.push(new Uint8Array(weights, offset, bytes).slice());
      out.push({ ...spec });
    } else {
      const values = new Float32Array(weights.slice(offset, offset + bytes));
      if (precision === 'float16') {
        parts.push(new Uint8Array(Uint16Array.from(values, toFloat16Bits).buffer));
        out.push({ ...spec, quantization: { dtype: 'float16' } });
      } else {
        let min = Infinity;
        let max = -Infinity;
        for (const v of values) {
          if (v < min) min = v;
          if (v > max) max = v;
        }
        if (!Number.isFinite(min) || !Number.isFinite(max)) [min, max] = [0, 0];
        const scale = max > min ? (max - min) / 255 : 1;
        parts.push(Uint8Array.from(values, (v) => Math.round((v - min) / scale)));
        out.push({ ...spec, quantization: { dtype: 'uint8', min, scale } });
      }
    }
    offset += bytes;
  }
  const joined = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.byteLength;
  }
  return { specs: out, weights: joined.buffer };
}

/** The model as model.json text plus weights, stored at `precision`, ready to save or download. */
export async function serializeModel(tf: typeof TF, model: TF.LayersModel, name: string, precision: Precision): Promise<SavedModel> {
  const artifacts = await modelArtifacts(tf, model);
  const encoded = encodeWeights(artifacts.specs, artifacts.weights, precision);
  const json = JSON.stringify({
    format: 'layers-model',
    generatedBy: `TensorFlow.js v${tf.version.tfjs}`,
    convertedBy: null,
    modelTopology: artifacts.topology,
    weightsManifest: [{ paths: [`./${weightsFileName(name)}`], weights: encoded.specs }],
  });
  return { json, weights: encoded.weights };
}

/** Loads a model saved by serializeModel (or any single-file tfjs LayersModel) from memory. */
/** The architecture of a saved model with fresh weights, drawn by each layer's initializer (from Math.random). */
export async function untrainedModel(tf: typeof TF, saved: SavedModel): Promise<TF.LayersModel> {
  const json = JSON.parse(saved.json) as { modelTopology: TF.io.ModelJSON['modelTopology'] };
  return tf.models.modelFromJSON({ modelTopology: json.modelTopology });
}

export async function deserializeModel(tf: typeof TF, saved: SavedModel): Promise<TF.LayersModel> {
  const json = JSON.parse(saved.json) as { modelTopology: object; weightsManifest: { weights: WeightSpec[] }[] };
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
      weightData: saved.weights,
    }),
  );
}
