import type { SandboxData } from '../protocol';

export interface SandboxDataUrls {
  modelJsonUrl: string;
  datasets: Record<string, string>;
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
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out.buffer;
}

/**
 * Fetches the pretrained model and the lesson data for the sandbox, which cannot fetch anything
 * itself. The browser caches the files, so a second visit costs revalidation only. A model that
 * cannot be fetched does not stop the sandbox: cells that need it get a clear error instead.
 */
export async function loadSandboxData(urls: SandboxDataUrls, onProgress: ProgressListener): Promise<SandboxData> {
  let loaded = 0;
  const count = (bytes: number) => {
    loaded += bytes;
    onProgress(loaded);
  };
  const model = (async (): Promise<SandboxData['model']> => {
    try {
      const jsonBuffer = await fetchBytes(urls.modelJsonUrl, count);
      const json = new TextDecoder().decode(jsonBuffer);
      const manifest = JSON.parse(json) as { weightsManifest?: { paths: string[] }[] };
      const paths = manifest.weightsManifest?.flatMap((group) => group.paths) ?? [];
      const parts = await Promise.all(paths.map((p) => fetchBytes(new URL(p, new URL(urls.modelJsonUrl, location.href)).href, count)));
      const weights = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
      let offset = 0;
      for (const part of parts) {
        weights.set(new Uint8Array(part), offset);
        offset += part.byteLength;
      }
      return { json, weights: weights.buffer };
    } catch (error) {
      return { error: `The pretrained model could not be downloaded (${error instanceof Error ? error.message : String(error)}). Reload the page to try again.` };
    }
  })();
  // A file that fails to download is left out; whatever needs it says so when asked for it.
  const fetchAll = async (files: Record<string, string>) =>
    Object.fromEntries(
      (await Promise.all(Object.entries(files).map(async ([name, url]) => [name, await fetchBytes(url, count).catch(() => null)] as const))).filter(
        (entry): entry is readonly [string, ArrayBuffer] => entry[1] !== null,
      ),
    );
  const [datasets, wasm] = await Promise.all([fetchAll(urls.datasets), fetchAll(urls.wasm)]);
  return { model: await model, datasets, wasm };
}
