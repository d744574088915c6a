import { simd } from 'wasm-feature-detect';
import type { LessonAssets } from '../lessonAssets';
import type { DatasetBytes, LessonData, SandboxScripts, SavedModel, Unavailable, WasmBinaries } from '../protocol';

/** What the page's sandbox runs: the frame's script itself, and where the page fetches the rest. */
export interface SandboxSources {
  /** The frame's script (a few KB, part of the boot script), so the frame starts without a download. */
  frameScript: string;
  /** The runtime's own scripts the frame hands to its workers: the worker's, TensorFlow.js and its WebAssembly backend. */
  scripts: { [K in keyof SandboxScripts]: string };
  /** The WebAssembly backend's binaries: `simd` where the browser has WebAssembly SIMD, `plain` elsewhere. */
  wasm: { simd: { name: string; url: string }; plain: { name: string; url: string } };
  /** The models and data sets of the page's lesson. */
  lesson: LessonAssets;
}

/** What a new sandbox frame needs before it can start a worker. */
export interface SandboxBoot {
  scripts: SandboxScripts;
  wasm: WasmBinaries;
}

/** Bytes of the lesson's models and data sets received so far. */
export type ProgressListener = (loadedBytes: number) => void;

/** A file's bytes; read chunk by chunk only for `onChunk` (progress), else in one piece, with no copy. */
async function fetchBytes(url: string, onChunk?: (bytes: number) => void): Promise<ArrayBuffer> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  if (!onChunk || !response.body) return response.arrayBuffer();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    onChunk(value.byteLength);
  }
  return concat(chunks);
}

function concat(parts: readonly Uint8Array[]): ArrayBuffer {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out.buffer;
}

/**
 * Fetches the vendor scripts the sandbox's workers load, and the one WebAssembly binary this browser
 * will use, as bytes. The page
 * fetches them, not the frame: the page's requests go through the HTTP cache (and the service worker),
 * while an opaque-origin frame would download them again on every visit. Rejects if any is missing:
 * without them there is no sandbox.
 */
export async function loadSandboxBoot(sources: Pick<SandboxSources, 'scripts' | 'wasm'>): Promise<SandboxBoot> {
  const { tfjs, tfjsWasm } = sources.scripts;
  const binary = (await simd().catch(() => false)) ? sources.wasm.simd : sources.wasm.plain;
  const [tfjsScript, tfjsWasmScript, wasm] = await Promise.all([
    fetchBytes(tfjs),
    fetchBytes(tfjsWasm),
    // Without its binary the sandbox still runs, on the cpu backend; it says why.
    fetchBytes(binary.url).then(
      (bytes): WasmBinaries => ({ [binary.name]: bytes }),
      (): WasmBinaries => ({}),
    ),
  ]);
  return { scripts: { tfjs: tfjsScript, tfjsWasm: tfjsWasmScript }, wasm };
}

const unavailable = (what: string, error: unknown): Unavailable => ({
  error: `${what} could not be downloaded (${error instanceof Error ? error.message : String(error)}). Reload the page to try again.`,
});

/** A LayersModel's model.json text and its weight files (named relative to it), concatenated in order. */
async function fetchModel(name: string, url: string, count: (bytes: number) => void): Promise<SavedModel | Unavailable> {
  try {
    const json = new TextDecoder().decode(await fetchBytes(url, count));
    const manifest = JSON.parse(json) as { weightsManifest?: { paths: string[] }[] };
    const paths = manifest.weightsManifest?.flatMap((group) => group.paths) ?? [];
    const base = new URL(url, location.href);
    const parts = await Promise.all(paths.map((p) => fetchBytes(new URL(p, base).href, count)));
    return { json, weights: concat(parts.map((p) => new Uint8Array(p))) };
  } catch (error) {
    return unavailable(`The model "${name}"`, error);
  }
}

/**
 * Fetches the lesson's models and data sets for the sandbox, which cannot fetch them itself. Their
 * file names carry a hash of their contents, so the browser may keep them. A file that cannot be
 * fetched does not stop the sandbox: the cell that asks for it gets the reason.
 */
export async function loadLessonData(lesson: LessonAssets, onProgress: ProgressListener): Promise<LessonData> {
  let loaded = 0;
  const count = (bytes: number) => {
    loaded += bytes;
    onProgress(loaded);
  };
  const each = async <T, R>(entries: Record<string, T>, load: (name: string, entry: T) => Promise<R>): Promise<Record<string, R>> =>
    Object.fromEntries(await Promise.all(Object.entries(entries).map(async ([name, entry]) => [name, await load(name, entry)] as const)));
  const [models, datasets] = await Promise.all([
    each(lesson.models, (name, model) => fetchModel(name, model.url, count)),
    each(lesson.datasets, (name, set): Promise<DatasetBytes | Unavailable> =>
      fetchBytes(set.url, count).then(
        (bytes) => ({ kind: set.kind, bytes }),
        (error: unknown) => unavailable(`The data set "${name}"`, error),
      ),
    ),
  ]);
  return { models, datasets };
}

/** Bytes the lesson's models and data sets come to, as the build measured them. */
export function lessonBytes(lesson: LessonAssets): number {
  return [...Object.values(lesson.models), ...Object.values(lesson.datasets)].reduce((n, asset) => n + asset.bytes, 0);
}
