import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import type { LessonData } from '@/runtime/protocol';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

/** The committed artifacts (written by scripts/pretrain/train.py), read from disk (tests never fetch anything). */
export const MODEL_DIR = new URL('../../content/transfer-learning/models/fashion-cnn/', import.meta.url);
/** Test images of the classes the backbone was pretrained on. */
export const SAMPLE_URL = new URL('../../content/transfer-learning/data/fashion-sample.bin', import.meta.url);
/** Test images of the classes held out of pretraining: the lesson's new task. */
export const NEW_TASK_URL = new URL('../../content/transfer-learning/data/fashion-new.bin', import.meta.url);
export const PARITY_URL = new URL('../../scripts/pretrain/fixtures/parity.json', import.meta.url);

/** The parts of card.json that tests read. */
export interface Card {
  classes: string[];
  heldOutClasses: string[];
  totalParams: number;
  architecture: Array<{ name: string; outputShape: (number | null)[]; params: number }>;
  metrics: { testAccuracy: number; testCount: number; sampleAccuracy: number; sampleCount: number };
  sample: { path: string; classes: string[]; perClass: number; testIndices: number[] };
  newTask: { path: string; classes: string[]; perClass: number; testIndices: number[] };
  files: Record<string, { bytes: number; sha256: string }>;
  whyThisSplit: string[];
}

export function readCard(): Card {
  return JSON.parse(readFileSync(new URL('card.json', MODEL_DIR), 'utf8')) as Card;
}

interface ModelJson {
  format: string;
  generatedBy?: string;
  convertedBy?: string | null;
  modelTopology: object;
  weightsManifest: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }>;
}

export function readModelJson(dir: URL = MODEL_DIR): ModelJson {
  return JSON.parse(readFileSync(new URL('model.json', dir), 'utf8')) as ModelJson;
}

/**
 * 'cpu' is the reference backend (parity). 'wasm' is about 10x faster for inference on CPU; in Node
 * it reads its .wasm binaries from node_modules.
 */
export async function useBackend(backend: 'cpu' | 'wasm'): Promise<void> {
  if (backend === 'wasm') {
    setWasmPaths(fileURLToPath(new URL('../../node_modules/@tensorflow/tfjs-backend-wasm/dist/', import.meta.url)));
  }
  if (!(await tf.setBackend(backend)) || tf.getBackend() !== backend) {
    throw new Error(`could not initialise the tfjs ${backend} backend`);
  }
}

/**
 * Same-process equivalent of tf.loadLayersModel('.../model.json') in the browser, for the committed
 * model in `dir` (default: fashion-cnn).
 */
export async function loadCommittedModel(backend: 'cpu' | 'wasm' = 'cpu', dir: URL = MODEL_DIR): Promise<tf.LayersModel> {
  await useBackend(backend);
  const modelJson = readModelJson(dir);
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  const chunks: Buffer[] = [];
  for (const group of modelJson.weightsManifest) {
    weightSpecs.push(...group.weights);
    for (const path of group.paths) chunks.push(readFileSync(new URL(path, dir)));
  }
  const all = Buffer.concat(chunks);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer;
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: modelJson.modelTopology,
      weightSpecs,
      weightData,
      format: modelJson.format,
      generatedBy: modelJson.generatedBy,
      convertedBy: modelJson.convertedBy ?? null,
    }),
  );
}

/** A committed file's bytes as the ArrayBuffer the browser's fetch would give. */
export function fileBytes(url: URL): ArrayBuffer {
  const b = readFileSync(url);
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

/**
 * What the page hands the sandbox: the committed backbone and, as `fashion`, the sample of its own
 * classes.
 */
export function committedLessonData(): LessonData {
  return {
    models: { 'fashion-cnn': { json: readFileSync(new URL('model.json', MODEL_DIR), 'utf8'), weights: fileBytes(new URL('weights.bin', MODEL_DIR)) } },
    datasets: { fashion: { kind: 'images', bytes: fileBytes(SAMPLE_URL) } },
  };
}
