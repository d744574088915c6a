import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseSandboxMessage } from '@/runtime/host/parseSandboxMessage';
import { PROTOCOL_VERSION, type LessonData } from '@/runtime/protocol';
import { createLessonModule } from '@/runtime/sandbox/lesson/lessonModule';
import { deserializeModel, encodeWeights, serializeModel, toFloat16Bits } from '@/runtime/sandbox/lesson/modelIo';
import { committedLessonData, useBackend } from '../model/loadModel';

const data: LessonData = committedLessonData();

beforeAll(async () => {
  await useBackend('wasm');
});

/** Decodes float16 bits the way TensorFlow.js's own weight loader does. */
function decodeHalf(bits: number[]): Float32Array {
  const weights = new Uint16Array(bits).buffer;
  const decoded = tf.io.decodeWeights(weights, [{ name: 'w', shape: [bits.length], dtype: 'float32', quantization: { dtype: 'float16' } }]);
  return decoded.w!.dataSync() as Float32Array;
}

describe('toFloat16Bits', () => {
  it('encodes values that TensorFlow.js decodes to the nearest half-precision float', () => {
    const values = [0, -0, 1, -2.5, 0.1, 65504, 1e-5, 6e-8, 3.14159, -1234.5678, 1e-9];
    const decoded = decodeHalf(values.map(toFloat16Bits));
    // What numpy.float16 rounds these to.
    const expected = [0, -0, 1, -2.5, 0.0999755859375, 65504, 0.000010013580322265625, 5.960464477539063e-8, 3.140625, -1235, 0];
    expect(Array.from(decoded)).toEqual(expected);
  });

  it('saturates to infinity beyond the half range and keeps NaN', () => {
    const decoded = decodeHalf([1e6, -1e6, Infinity, NaN].map(toFloat16Bits));
    expect(Array.from(decoded)).toEqual([Infinity, -Infinity, Infinity, NaN]);
  });
});

describe('encodeWeights', () => {
  const specs: tf.io.WeightsManifestEntry[] = [
    { name: 'kernel', shape: [2, 3], dtype: 'float32' },
    { name: 'steps', shape: [2], dtype: 'int32' },
  ];
  const kernel = new Float32Array([-1, -0.5, 0, 0.25, 0.5, 1]);
  const weights = new Uint8Array([...new Uint8Array(kernel.buffer), ...new Uint8Array(new Int32Array([7, -3]).buffer)]).buffer;

  it.each([
    ['float32', 32, 0],
    ['float16', 20, 1e-3],
    ['uint8', 14, 1 / 255],
  ] as const)('stores %s weights in the manifest format tfjs loads (%i bytes, error ≤ %f)', (precision, size, tolerance) => {
    const encoded = encodeWeights(specs, weights, precision);
    expect(encoded.weights.byteLength).toBe(size);
    const decoded = tf.io.decodeWeights(encoded.weights, encoded.specs);
    const values = decoded.kernel!.dataSync();
    kernel.forEach((v, i) => expect(Math.abs(values[i]! - v)).toBeLessThanOrEqual(tolerance + 1e-7));
    expect(Array.from(decoded.steps!.dataSync())).toEqual([7, -3]); // int32 untouched
  });
});

describe('serializeModel', () => {
  it('round-trips the backbone exactly at float32, and nearly at 16 and 8 bits, in a message the host accepts', async () => {
    const lesson = createLessonModule({ tf, data, show: () => {}, own: () => {} });
    const model = await lesson.loadModel('fashion-cnn');
    const fashion = await lesson.loadImages('fashion', { trainPerClass: 0, validationPerClass: 0, testPerClass: 5 });
    const reference = Array.from((model.predict(fashion.test.xs) as tf.Tensor).dataSync());
    const sizes: Record<string, number> = {};
    for (const precision of ['float32', 'float16', 'uint8'] as const) {
      const saved = await serializeModel(tf, model, 'my-model', precision);
      sizes[precision] = saved.weights.byteLength;
      const message = { type: 'model/save', v: PROTOCOL_VERSION, runId: 'r', name: 'my-model', model: saved };
      expect(parseSandboxMessage(message)).not.toBeNull();
      const json = JSON.parse(saved.json) as { weightsManifest: { paths: string[] }[] };
      expect(json.weightsManifest[0]!.paths).toEqual(['./my-model.weights.bin']);
      const loaded = await deserializeModel(tf, saved);
      const output = (loaded.predict(fashion.test.xs) as tf.Tensor).dataSync();
      const worst = reference.reduce((max, r, i) => Math.max(max, Math.abs(r - output[i]!)), 0);
      expect(worst).toBeLessThanOrEqual({ float32: 0, float16: 0.01, uint8: 0.2 }[precision]);
    }
    expect(sizes.float16! / sizes.float32!).toBeCloseTo(0.5, 2);
    expect(sizes.uint8! / sizes.float32!).toBeCloseTo(0.25, 2);
  });

  it('is refused by the host when model.json does not describe the weights', async () => {
    const lesson = createLessonModule({ tf, data, show: () => {}, own: () => {} });
    const saved = await serializeModel(tf, await lesson.loadModel('fashion-cnn'), 'my-model', 'float32');
    const message = (model: object, name = 'my-model') => ({ type: 'model/save', v: PROTOCOL_VERSION, runId: 'r', name, model });
    expect(parseSandboxMessage(message({ json: saved.json, weights: saved.weights.slice(4) }))).toBeNull();
    expect(parseSandboxMessage(message({ json: '{"modelTopology": 1}', weights: saved.weights }))).toBeNull();
    expect(parseSandboxMessage(message(saved, '../../etc/passwd'))).toBeNull();
    expect(parseSandboxMessage(message(saved, 'My Model'))).toBeNull();
  });
});

describe('saving and loading through the lesson module', () => {
  it('hands saved models to the page and loads them back as fresh copies, in this run and the next', async () => {
    const handed: [string, number][] = [];
    const first = createLessonModule({ tf, data, show: () => {}, own: () => {}, saveModel: (name, m) => handed.push([name, m.weights.byteLength]) });
    const model = await first.loadModel('fashion-cnn');
    const result = await first.saveModel(model, 'tuned', { precision: 'float16' });
    expect(result.weightBytes).toBe(handed[0]![1]);
    expect(handed.map(([name]) => name)).toEqual(['tuned']);
    const again = await first.loadSavedModel('tuned');
    expect(again).not.toBe(model);
    expect(first.savedModelNames()).toEqual(['tuned']);

    const saved = await serializeModel(tf, model, 'tuned', 'float32');
    const next = createLessonModule({ tf, data, show: () => {}, own: () => {}, savedModels: { tuned: saved } });
    expect((await next.loadSavedModel('tuned')).layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
    await expect(next.loadSavedModel('other')).rejects.toThrow(/No model named "other" is saved in this browser yet\. Saved models: "tuned"\. Run the cell that saves it/);
    await expect(next.saveModel(model, 'Bad Name!')).rejects.toThrow(/cannot name a saved model/);
    await expect(next.quantize(model, 'int4' as 'uint8')).rejects.toThrow(/precision must be/);
  });
});
