import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadSandboxData } from '@/runtime/host/sandboxData';
import type { LessonAssets } from '@/runtime/lessonAssets';

const bytes = (...values: number[]) => Uint8Array.from(values);
const text = (value: string) => new TextEncoder().encode(value);

/** A site whose files fetch() serves, recording every URL asked for. */
function serve(files: Record<string, Uint8Array>) {
  const asked: string[] = [];
  vi.stubGlobal('location', { href: 'http://course.test/lesson/page/' });
  vi.stubGlobal('fetch', async (url: string) => {
    asked.push(url);
    const body = files[new URL(url, 'http://course.test/').pathname];
    return body ? new Response(body as Uint8Array<ArrayBuffer>) : new Response('not found', { status: 404 });
  });
  return asked;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('loadSandboxData', () => {
  it("fetches exactly the lesson's declared models and data sets, weights beside model.json", async () => {
    const modelJson = JSON.stringify({ modelTopology: {}, weightsManifest: [{ paths: ['w1.bin', 'w2.bin'], weights: [] }] });
    const asked = serve({
      '/a/net/model.json': text(modelJson),
      '/a/net/w1.bin': bytes(1, 2),
      '/a/net/w2.bin': bytes(3),
      '/a/shapes.bin': bytes(9, 9, 9),
      '/a/log.json': text('{"columns":[],"rows":[]}'),
      '/other-lesson/big.bin': bytes(0),
      '/wasm/backend.wasm': bytes(7),
    });
    const lesson: LessonAssets = {
      models: { net: { url: '/a/net/model.json', bytes: 0 } },
      datasets: { shapes: { kind: 'images', url: '/a/shapes.bin', bytes: 3 }, log: { kind: 'table', url: '/a/log.json', bytes: 0 } },
    };
    const progress: number[] = [];
    const data = await loadSandboxData({ lesson, wasm: { 'backend.wasm': '/wasm/backend.wasm' } }, (loaded) => progress.push(loaded));

    expect(asked.map((url) => new URL(url, 'http://course.test/').pathname).sort()).toEqual(['/a/log.json', '/a/net/model.json', '/a/net/w1.bin', '/a/net/w2.bin', '/a/shapes.bin', '/wasm/backend.wasm']);
    expect(data.models.net).toEqual({ json: modelJson, weights: bytes(1, 2, 3).buffer });
    expect(data.datasets.shapes).toEqual({ kind: 'images', bytes: bytes(9, 9, 9).buffer });
    expect(data.datasets.log).toMatchObject({ kind: 'table' });
    expect(Object.keys(data.wasm)).toEqual(['backend.wasm']);
    expect(progress.at(-1)).toBe(modelJson.length + 3 + 3 + 24 + 1);
  });

  it('turns a file that cannot be fetched into a reason the cell that needs it will show', async () => {
    serve({ '/a/net/model.json': text(JSON.stringify({ weightsManifest: [{ paths: ['gone.bin'], weights: [] }] })) });
    const data = await loadSandboxData(
      { lesson: { models: { net: { url: '/a/net/model.json', bytes: 0 } }, datasets: { shapes: { kind: 'images', url: '/a/missing.bin', bytes: 0 } } }, wasm: { 'x.wasm': '/missing.wasm' } },
      () => {},
    );
    expect(data.models.net).toEqual({ error: expect.stringMatching(/^The model "net" could not be downloaded \(.*gone\.bin: HTTP 404\)\. Reload the page to try again\.$/) });
    expect(data.datasets.shapes).toEqual({ error: expect.stringMatching(/^The data set "shapes" could not be downloaded/) });
    expect(data.wasm).toEqual({});
  });
});
