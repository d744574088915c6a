import vm from 'node:vm';
import * as esbuild from 'esbuild-wasm';
import { describe, expect, it } from 'vitest';
import { compileCell, type CompileResult } from '@/runtime/compiler/compileCell';
import { mapStack, formatStack } from '@/runtime/host/stackMapping';

const compile = (source: string) => compileCell(esbuild, source);

function assertOk(result: CompileResult): asserts result is Extract<CompileResult, { ok: true }> {
  if (!result.ok) throw new Error('expected success, got ' + JSON.stringify(result.diagnostics));
}

/** Runs compiled cell code the way the sandbox does: as a classic script named like a blob URL. */
async function execute(code: string, modules: Record<string, unknown> = {}) {
  const scope = globalThis as { __courseModules__?: unknown; __courseCell__?: (exp: (ns: object) => void) => Promise<void> };
  scope.__courseModules__ = modules;
  vm.runInThisContext(code, { filename: 'blob:null/cell-under-test' });
  const cell = scope.__courseCell__!;
  delete scope.__courseCell__;
  let exported: Record<string, unknown> = {};
  await cell((ns) => (exported = { ...ns }));
  return exported;
}

describe('compileCell', () => {
  it('strips types, keeps top-level await and hands the exports over', async () => {
    const result = await compile(
      "import * as tf from '@tensorflow/tfjs';\ninterface P { x: number }\nconst p: P = { x: 2 };\nexport const doubled = await Promise.resolve(p.x * tf.factor);\n",
    );
    assertOk(result);
    expect(result.code).not.toMatch(/interface P/);
    expect(result.code).toMatch(/^globalThis\.__courseCell__ = async function/);
    await expect(execute(result.code, { '@tensorflow/tfjs': { factor: 21 } })).resolves.toEqual({ doubled: 42 });
  });

  it('resolves named imports of the sandbox modules', async () => {
    const result = await compile("import { factor } from '@tensorflow/tfjs';\nimport * as lesson from 'lesson';\nexport const n = factor + lesson.extra;\n");
    assertOk(result);
    await expect(execute(result.code, { '@tensorflow/tfjs': { factor: 1 }, lesson: { extra: 2 } })).resolves.toEqual({ n: 3 });
  });

  it('reports a syntax error at its line and UTF-16 column, also after non-ASCII text', async () => {
    const result = await compile("const title = 'Größe 日本語';\nconst x = ;\n");
    expect(result.ok).toBe(false);
    expect(result.diagnostics[0]).toMatchObject({ severity: 'error', line: 2, column: 11, message: expect.stringContaining('Unexpected') });

    const sameLine = await compile("const é = '日本'; let y = ;\n");
    expect(sameLine.diagnostics[0]).toMatchObject({ line: 1, column: 25, endColumn: 26 });
  });

  it('refuses imports the sandbox does not provide, pointing at the import', async () => {
    const result = await compile("const a = 1;\nimport fs from 'node:fs';\nconsole.log(fs, a);\n");
    expect(result.ok).toBe(false);
    expect(result.diagnostics[0]).toMatchObject({
      line: 2,
      message: 'Cannot import "node:fs": cells can only import "@tensorflow/tfjs" and "lesson", which the sandbox provides.',
    });
  });

  it('passes esbuild warnings along without blocking the run', async () => {
    const result = await compile('const x = 1;\nif (x == -0) console.log(x);\n');
    assertOk(result);
    expect(result.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', line: 2 })]);
  });

  it('produces a source map that leads a runtime error back to its line in main.ts', async () => {
    const source = "const values = [1, 2, 3];\n\nfunction explode(n: number): never {\n  throw new RangeError(`bad ${n}`);\n}\n\nexplode(values[1]!);\n";
    const result = await compile(source);
    assertOk(result);
    const error = await execute(result.code).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(RangeError);
    const mapped = mapStack(error!.stack, result.map);
    expect(mapped.location).toEqual({ line: 4, column: 9 });
    const text = formatStack(mapped.frames);
    expect(text[0]).toBe('at explode (main.ts:4:9)');
    expect(text[1]).toBe('at main.ts:7:1');
  });
});

describe('formatStack', () => {
  it('folds runs of frames outside the cell', () => {
    expect(
      formatStack([
        { kind: 'internal' },
        { kind: 'internal' },
        { kind: 'cell', fn: 'train', line: 3, column: 5 },
        { kind: 'internal' },
      ]),
    ).toEqual(['… 2 frames inside TensorFlow.js or the runtime', 'at train (main.ts:3:5)', '… 1 frame inside TensorFlow.js or the runtime']);
  });
});
