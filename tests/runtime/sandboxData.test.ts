import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadLessonData, loadSandboxBoot } from '@/runtime/host/sandboxData';
import type { LessonAssets } from '@/runtime/lessonAssets';

const bytes = (...values: number[]) => Uint8Array.from(values);
const text = (value: string) => new TextEncoder().encode(value);

/** A site whose files fetch() serves, recording every path asked for. */
function serve(files: Record<string, Uint8Array>) {
  const asked: string[] = [];
  vi.stubGlobal('location', { href: 'http://course.test/lesson/page/' });
  vi.stubGlobal('fetch', async (url: string) => {
    const path = new URL(url, 'http://course.test/').pathname;
    asked.push(path);
    const body = files[path];
    return body ? new Response(body as Uint8Array<ArrayBuffer>) : new Response('not found', { status: 404 });
  });
  return asked;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('loadLessonData', () => {
  it("fetches exactly the lesson's declared models and data sets, weights beside model.json", async () => {
    const modelJson = JSON.stringify({ modelTopology: {}, weightsManifest: [{ paths: ['w1.bin', 'w2.bin'], weights: [] }] });
    const asked = serve({
      '/a/net/model.json': text(modelJson),
      '/a/net/w1.bin': bytes(1, 2),
      '/a/net/w2.bin': bytes(3),
      '/a/shapes.bin': bytes(9, 9, 9),
      '/a/log.json': text('{"columns":[],"rows":[]}'),
      '/other-lesson/big.bin': bytes(0),
    });
    const lesson: LessonAssets = {
      models: { net: { url: '/a/net/model.json', bytes: 0 } },
      datasets: { shapes: { kind: 'images', url: '/a/shapes.bin', bytes: 3 }, log: { kind: 'table', url: '/a/log.json', bytes: 0 } },
    };
    const progress: number[] = [];
    const data = await loadLessonData(lesson, (loaded) => progress.push(loaded));

    expect(asked.sort()).toEqual(['/a/log.json', '/a/net/model.json', '/a/net/w1.bin', '/a/net/w2.bin', '/a/shapes.bin']);
    expect(data.models.net).toEqual({ json: modelJson, weights: bytes(1, 2, 3).buffer });
    expect(data.datasets.shapes).toEqual({ kind: 'images', bytes: bytes(9, 9, 9).buffer });
    expect(data.datasets.log).toMatchObject({ kind: 'table' });
    expect(progress.at(-1)).toBe(modelJson.length + 3 + 3 + 24);
  });

  it('turns a file that cannot be fetched into a reason the cell that needs it will show', async () => {
    serve({ '/a/net/model.json': text(JSON.stringify({ weightsManifest: [{ paths: ['gone.bin'], weights: [] }] })) });
    const data = await loadLessonData({ models: { net: { url: '/a/net/model.json', bytes: 0 } }, datasets: { shapes: { kind: 'images', url: '/a/missing.bin', bytes: 0 } } }, () => {});
    expect(data.models.net).toEqual({ error: expect.stringMatching(/^The model "net" could not be downloaded \(.*gone\.bin: HTTP 404\)\. Reload the page to try again\.$/) });
    expect(data.datasets.shapes).toEqual({ error: expect.stringMatching(/^The data set "shapes" could not be downloaded/) });
  });
});

describe('loadSandboxBoot', () => {
  const sources = {
    scripts: { tfjs: '/v/tf.js', tfjsWasm: '/v/tf-wasm.js' },
    wasm: { simd: { name: 'simd.wasm', url: '/v/simd.wasm' }, plain: { name: 'plain.wasm', url: '/v/plain.wasm' } },
  };
  const scripts = { '/v/tf.js': text('tf()'), '/v/tf-wasm.js': text('wasm()') };

  it('fetches the vendor scripts as bytes and only the WebAssembly binary this engine uses (Node has SIMD)', async () => {
    const asked = serve({ ...scripts, '/v/simd.wasm': bytes(0, 97, 115, 109), '/v/plain.wasm': bytes(1) });
    const boot = await loadSandboxBoot(sources);
    expect(boot).toEqual({ scripts: { tfjs: text('tf()').buffer, tfjsWasm: text('wasm()').buffer }, wasm: { 'simd.wasm': bytes(0, 97, 115, 109).buffer } });
    expect(asked).not.toContain('/v/plain.wasm');
  });

  it('starts without the WebAssembly binary when it cannot be fetched, but not without a script', async () => {
    serve(scripts);
    expect((await loadSandboxBoot(sources)).wasm).toEqual({});
    const { '/v/tf.js': _, ...withoutTf } = scripts;
    serve(withoutTf);
    await expect(loadSandboxBoot(sources)).rejects.toThrow('/v/tf.js: HTTP 404');
  });
});
