import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { AuthoringError } from '../errors';
import type { ModelDeclaration } from '../manifest';

/** Bytes per value of the dtypes a weights manifest may name (strings have no fixed size). */
const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, float16: 2, uint16: 2, int16: 2, uint8: 1, int8: 1, bool: 1 };

interface WeightSpec {
  name?: unknown;
  shape?: unknown;
  dtype?: unknown;
  quantization?: { dtype?: unknown };
}

export interface ModelFiles {
  /** model.json and its weight files, by their path relative to model.json's folder. */
  files: { path: string; bytes: Uint8Array }[];
}

/**
 * Reads a declared model and checks that it is a TensorFlow.js LayersModel whose weight files exist
 * and hold exactly the bytes its weights manifest describes, so a broken model fails the build
 * instead of a student's first Run.
 */
export function readModel(root: string, model: ModelDeclaration): ModelFiles {
  const fail = (reason: string, file = model.file) => new AuthoringError(file, undefined, undefined, reason);
  const text = readFileSync(path.join(root, model.file), 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw fail(`the model "${model.name}" is not valid JSON (${(error as Error).message})`);
  }
  const m = (typeof json === 'object' && json !== null ? json : {}) as { format?: unknown; modelTopology?: unknown; weightsManifest?: unknown };
  if (m.format === 'graph-model') {
    throw fail(`the model "${model.name}" is a TensorFlow.js graph model; lessons use LayersModels (model.json with "format": "layers-model", as tf.LayersModel.save or tensorflowjs_converter --output_format=tfjs_layers_model write it)`);
  }
  if (!isLayersTopology(m.modelTopology) || (m.format !== undefined && m.format !== 'layers-model')) {
    throw fail(`the model "${model.name}" is not a TensorFlow.js LayersModel: model.json needs a Keras "modelTopology" (a Sequential or functional Model) and, if it has a "format", "layers-model"`);
  }
  if (!Array.isArray(m.weightsManifest)) throw fail(`the model "${model.name}" has no "weightsManifest" listing its weight files`);

  const folder = path.posix.dirname(model.file);
  const files: ModelFiles['files'] = [{ path: path.posix.basename(model.file), bytes: new TextEncoder().encode(text) }];
  m.weightsManifest.forEach((group: { paths?: unknown; weights?: unknown }, g) => {
    if (!Array.isArray(group?.paths) || !group.paths.every((p) => typeof p === 'string') || !Array.isArray(group.weights)) {
      throw fail(`weightsManifest[${g}] of the model "${model.name}" needs "paths" (file names) and "weights" (their contents)`);
    }
    const expected = (group.weights as WeightSpec[]).reduce((sum, w, i) => sum + weightBytes(w, `weightsManifest[${g}].weights[${i}]`, model), 0);
    let actual = 0;
    for (const relative of group.paths as string[]) {
      const file = path.posix.normalize(path.posix.join(folder, relative));
      if (!file.startsWith(folder + '/')) throw fail(`the model "${model.name}" names a weight file outside its folder: "${relative}"`);
      if (!existsSync(path.join(root, file)) || statSync(path.join(root, file)).isDirectory()) {
        throw fail(`the weight file "${relative}" that model.json names is missing (expected at ${file})`);
      }
      const bytes = readFileSync(path.join(root, file));
      actual += bytes.byteLength;
      files.push({ path: path.posix.relative(folder, file), bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) });
    }
    if (actual !== expected) {
      const names = (group.paths as string[]).join(', ');
      throw fail(`the weight file${group.paths.length === 1 ? '' : 's'} ${names} of the model "${model.name}" hold${group.paths.length === 1 ? 's' : ''} ${actual.toLocaleString('en')} bytes, but model.json describes ${expected.toLocaleString('en')} bytes of weights; export the model again so they match`);
    }
  });
  return { files };
}

function isLayersTopology(topology: unknown): boolean {
  if (typeof topology !== 'object' || topology === null) return false;
  const t = topology as { class_name?: unknown; model_config?: { class_name?: unknown } };
  // tf.LayersModel.save writes the model itself; Keras' converter nests it under model_config.
  const className = t.class_name ?? t.model_config?.class_name;
  return className === 'Sequential' || className === 'Model' || className === 'Functional';
}

function weightBytes(spec: WeightSpec, where: string, model: ModelDeclaration): number {
  const shape = spec.shape;
  const dtype = typeof spec.quantization?.dtype === 'string' ? spec.quantization.dtype : spec.dtype;
  const bytes = typeof dtype === 'string' ? DTYPE_BYTES[dtype] : undefined;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0) || bytes === undefined) {
    throw new AuthoringError(model.file, undefined, undefined, `${where} of the model "${model.name}" needs a "shape" (whole numbers) and a numeric "dtype" (float32, int32, …)`);
  }
  return (shape as number[]).reduce((n, d) => n * d, 1) * bytes;
}
