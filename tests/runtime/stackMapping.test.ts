import vm from 'node:vm';
import * as esbuild from 'esbuild-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileCell } from '@/runtime/compiler/compileCell';
import { formatStack, mapStack } from '@/runtime/host/stackMapping';

/*
 * The sandbox runs in the student's browser, so a stack comes in the format of its engine: V8
 * (Chromium), SpiderMonkey (Firefox) or JavaScriptCore (Safari). The same error must land on the
 * same main.ts line in each. The V8 stack is real (the cell runs here, in Node); the Firefox and
 * Safari ones are written as those engines write a stack for the same frames.
 */

const SOURCE = [
  'const values = [1, 2, 3];',
  '',
  'function explode(n: number): never {',
  '  throw new RangeError(`bad ${n}`);',
  '}',
  '',
  'async function later() {',
  '  await Promise.resolve();',
  '  explode(values[1]!);',
  '}',
  'await later();',
].join('\n');
const URL = 'blob:http://127.0.0.1:3000/0b7c5e0e-8b40-4f1e-9a43-1c1e5b8d3f21';
const RUNTIME = 'http://127.0.0.1:3000/_gen/sandbox/worker.js';

let map: string;
/** Where each frame of the real (V8) stack is in the compiled script. */
let generated: { explode: string; later: string; top: string };
let v8Stack: string;

beforeAll(async () => {
  const result = await compileCell(esbuild, SOURCE);
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
  map = result.map;
  const scope = globalThis as { __courseModules__?: unknown; __courseCell__?: (exp: (ns: object) => void) => Promise<void> };
  scope.__courseModules__ = {};
  vm.runInThisContext(result.code, { filename: URL });
  const cell = scope.__courseCell__!;
  delete scope.__courseCell__;
  v8Stack = await cell(() => {}).then(
    () => '',
    (error: Error) => error.stack ?? '',
  );
  const at = (fn: RegExp) => new RegExp(`${fn.source} \\(?${URL.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:(\\d+:\\d+)\\)?`).exec(v8Stack)?.[1] ?? 'missing';
  generated = { explode: at(/at explode/), later: at(/at (?:async )?later/), top: at(/at (?:async )?(?:globalThis\.)?__courseCell__/) };
}, 60_000); // esbuild-wasm's first start takes seconds on a busy machine

const expected = ['at explode (main.ts:4:9)', 'at later (main.ts:9:3)', 'at main.ts:11:1'];

describe('mapStack', () => {
  it('maps a V8 stack (Chromium) to main.ts', () => {
    expect(v8Stack).toMatch(/^RangeError: bad 2\n\s+at explode/);
    const mapped = mapStack(v8Stack, map);
    expect(mapped.location).toEqual({ line: 4, column: 9 });
    expect(formatStack(mapped.frames).filter((line) => line.startsWith('at '))).toEqual(expected);
  });

  it('maps a Firefox stack to the same lines', () => {
    const stack = [`explode@${URL}:${generated.explode}`, `later@${URL}:${generated.later}`, `async*__courseCell__@${URL}:${generated.top}`, `async*run@${RUNTIME}:1:4242`, ''].join('\n');
    const mapped = mapStack(stack, map);
    expect(mapped.location).toEqual({ line: 4, column: 9 });
    expect(formatStack(mapped.frames)).toEqual([...expected, '… 1 frame inside TensorFlow.js or the runtime']);
  });

  it('maps a Safari stack to the same lines', () => {
    const stack = [`explode@${URL}:${generated.explode}`, `later@${URL}:${generated.later}`, `@${URL}:${generated.top}`, `global code@${URL}:1:1`, '[native code]', `run@${RUNTIME}:1:4242`].join('\n');
    const mapped = mapStack(stack, map);
    expect(mapped.location).toEqual({ line: 4, column: 9 });
    // The script's first line is the wrapper around main.ts, which maps to no line of it.
    expect(formatStack(mapped.frames)).toEqual([...expected, '… 2 frames inside TensorFlow.js or the runtime']);
  });

  it('gives no location for frames outside the cell, and none for text that is no stack', () => {
    expect(mapStack(`Error: x\n    at fn (${RUNTIME}:1:10)`, map)).toEqual({ frames: [{ kind: 'internal', fn: 'fn' }], location: undefined });
    expect(mapStack('kaboom', map).location).toBeUndefined();
    expect(mapStack('', map)).toEqual({ frames: [] });
    expect(mapStack(undefined, map)).toEqual({ frames: [] });
  });

  it('ignores positions a forged stack puts beyond the compiled cell', () => {
    expect(mapStack(`f@${URL}:9999:1\n    at g (${URL}:99999:5)`, map).location).toBeUndefined();
  });
});
