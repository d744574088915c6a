import type { LessonAssets } from '../lessonAssets';
import type { DatasetBytes, SandboxData, SavedModel, Unavailable } from '../protocol';

export interface SandboxSources {
  /** The models and data sets of the page's lesson. */
  lesson: LessonAssets;
  /** The WebAssembly backend's binaries, by the file name TensorFlow.js asks for. */
  wasm: Record<string, string>;
}

/** Bytes received so far, across every file being fetched. */
export type ProgressListener = (loadedBytes: number) => void;

async function fetchBytes(url: string, onChunk: (bytes: number) => void): Promise<ArrayBuffer> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  if (!response.body) return response.arrayBuffer();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    length += value.byteLength;
    onChunk(value.byteLength);
  }
  return concat(chunks, length);
}

function concat(parts: readonly Uint8Array[], length = parts.reduce((n, p) => n + p.byteLength, 0)): ArrayBuffer {
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out.buffer;
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
 * Fetches what the sandbox needs and cannot fetch itself: the lesson's models and data sets, and the
 * WebAssembly binaries. The browser caches the files (their names carry a hash of their contents). A
 * file that cannot be fetched does not stop the sandbox: cells that ask for it get a clear error.
 */
export async function loadSandboxData(sources: SandboxSources, onProgress: ProgressListener): Promise<SandboxData> {
  let loaded = 0;
  const count = (bytes: number) => {
    loaded += bytes;
    onProgress(loaded);
  };
  const each = async <T, R>(entries: Record<string, T>, load: (name: string, entry: T) => Promise<R>): Promise<Record<string, R>> =>
    Object.fromEntries(await Promise.all(Object.entries(entries).map(async ([name, entry]) => [name, await load(name, entry)] as const)));
  const [models, datasets, wasm] = await Promise.all([
    each(sources.lesson.models, (name, model) => fetchModel(name, model.url, count)),
    each(sources.lesson.datasets, (name, set): Promise<DatasetBytes | Unavailable> =>
      fetchBytes(set.url, count).then(
        (bytes) => ({ kind: set.kind, bytes }),
        (error: unknown) => unavailable(`The data set "${name}"`, error),
      ),
    ),
    // A binary that fails to download is left out; the sandbox then trains and predicts without WebAssembly.
    each(sources.wasm, (_, url) => fetchBytes(url, count).catch(() => null)),
  ]);
  return {
    models,
    datasets,
    wasm: Object.fromEntries(Object.entries(wasm).filter((entry): entry is [string, ArrayBuffer] => entry[1] instanceof ArrayBuffer)),
  };
}
