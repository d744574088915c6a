import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { compileCell } from '../../runtime/compiler/compileCell';
import type { LessonAssets } from '../../runtime/lessonAssets';
import { openBrowser } from '../lib/browser';
import { BENCH_DIR } from '../lib/pages';
import { benchLines } from './warmRuns';

/** Compiles a cell in Node with native esbuild through the runtime's compileCell (same output as the browser's). */
export async function compileInNode(source: string): Promise<string> {
  const result = await compileCell(esbuild, source);
  if (!result.ok) throw new Error(`cell does not compile: ${result.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`).join('; ')}`);
  return result.code;
}

export interface CompileTimes {
  initMs: number;
  firstCompileMs: number;
  /** Each cell's first compile, in lesson order, right after initialize: esbuild.wasm not yet optimised by V8. */
  firstPass: Record<string, number>;
  /** Then each cell `reps` times, after that pass (V8 tiers esbuild.wasm up over the first hundred or so compiles). */
  cells: Record<string, { ms?: number[]; codeChars?: number; error?: string }>;
}

/** esbuild-wasm in Chromium (fresh profile): initialisation, one pass over every cell, then every cell `reps` times. */
export async function compileTimes(refUrl: string, cells: { name: string; source: string }[], reps: number): Promise<CompileTimes> {
  const b = await openBrowser();
  try {
    await b.page.goto(`${refUrl}/bench-compile.html`);
    await b.page.waitForFunction('window.__compile !== undefined');
    const init = (await b.page.evaluate(`window.__compile.init('/_gen/vendor/esbuild.wasm')`)) as { initMs: number; firstCompileMs: number };
    const out: CompileTimes = { initMs: init.initMs, firstCompileMs: init.firstCompileMs, firstPass: {}, cells: {} };
    for (const cell of cells) {
      const once = (await b.page.evaluate(`window.__compile.time(${JSON.stringify(cell.source)}, 1, false)`)) as CompileTimes['cells'][string];
      if (once.ms?.[0] !== undefined) out.firstPass[cell.name] = once.ms[0];
    }
    for (const cell of cells) {
      out.cells[cell.name] = (await b.page.evaluate(`window.__compile.time(${JSON.stringify(cell.source)}, ${reps}, true)`)) as CompileTimes['cells'][string];
    }
    return out;
  } finally {
    await b.close();
  }
}

export interface BareResult {
  init: { ms: number; backend: string; wasm: boolean };
  firstCell: { warmupMs: number; ms: number[]; error?: string };
  ml: { ms: number; lines: Record<string, unknown>; error?: string } | null;
  featuresFile: string | null;
}

interface BareRun {
  ms: number;
  error?: string;
  bench: string[];
}

/** The same compiled code on the bare page (tf.min.js + model + lesson helpers, main thread). */
export async function bareReference(
  refUrl: string,
  backend: string,
  lesson: LessonAssets,
  code: { firstCell: string; ml: string | null; features: string | null },
  runs: number,
  log: (line: string) => void,
): Promise<BareResult> {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(`${refUrl}/bench-bare.html`);
    await page.waitForFunction('window.__bare !== undefined');
    const init = (await page.evaluate(`window.__bare.init(${JSON.stringify({ backend, inferenceBackend: 'wasm', lesson })})`)) as BareResult['init'];
    const run = (source: string) => page.evaluate(`window.__bare.run(${JSON.stringify(source)})`) as Promise<BareRun>;
    const first: BareRun[] = [];
    for (let i = 0; i <= runs; i++) first.push(await run(code.firstCell));
    const error = first.find((r) => r.error)?.error;
    log(`  bare page, lesson's first cell: ${first.slice(1).map((r) => Math.round(r.ms)).join(', ')} ms${error ? ` (${error})` : ''}`);
    let ml: BareResult['ml'] = null;
    if (code.ml) {
      const r = await run(code.ml);
      ml = { ms: r.ms, lines: benchLines([{ t: 0, bench: r.bench }], 0), error: r.error };
      log(`  bare page, training workloads: ${Math.round(r.ms)} ms${r.error ? ` (${r.error})` : ''}`);
    }
    let featuresFile: string | null = null;
    if (code.features) {
      const r = await run(code.features);
      const features = benchLines([{ t: 0, bench: r.bench }], 0).features;
      if (features) {
        const dir = path.join(BENCH_DIR, 'build');
        mkdirSync(dir, { recursive: true });
        featuresFile = path.join(dir, 'features.json');
        writeFileSync(featuresFile, JSON.stringify(features));
      }
    }
    return { init, firstCell: { warmupMs: first[0]!.ms, ms: first.slice(1).map((r) => r.ms), error }, ml, featuresFile };
  } finally {
    await b.close();
  }
}

/** Pyodide's cold start to its first printed line, each run in a fresh profile. */
export async function pyodideColdStart(refUrl: string, runs: number, log: (line: string) => void): Promise<{ ms: number[]; warmupMs: number; error?: string }> {
  const all: number[] = [];
  let error: string | undefined;
  for (let i = 0; i <= runs; i++) {
    const b = await openBrowser();
    try {
      await b.page.goto(`${refUrl}/bench-pyodide.html`, { waitUntil: 'commit' });
      await b.page.waitForFunction('window.__pyodide && (window.__pyodide.printedAt !== null || window.__pyodide.error !== null)', undefined, { timeout: 120_000, polling: 50 });
      const state = (await b.page.evaluate('window.__pyodide')) as { printedAt: number | null; error: string | null };
      if (state.error) error = state.error;
      all.push(state.printedAt ?? NaN);
    } finally {
      await b.close();
    }
  }
  log(`  Pyodide cold start to first print: ${all.slice(1).map((x) => Math.round(x)).join(', ')} ms`);
  return { warmupMs: all[0]!, ms: all.slice(1), error };
}

export interface TorchResult {
  ms?: number[];
  examples?: number;
  epochs?: number;
  torch?: string;
  threads?: number;
  trainAccuracy?: number;
  error?: string;
}

/** The same head training in native PyTorch (Debian's /usr/bin/python3 with python3-torch), if present. */
export function torchHead(featuresFile: string, reps: number, epochs: number): TorchResult {
  const python = '/usr/bin/python3';
  if (!existsSync(python)) return { error: `${python} not found` };
  const result = spawnSync(python, [path.join(BENCH_DIR, 'torch_head.py'), featuresFile, '--reps', String(reps), '--epochs', String(epochs)], { encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0) return { error: (result.stderr || result.error?.message || 'failed').trim().split('\n').slice(-1)[0] };
  try {
    return JSON.parse(result.stdout.trim().split('\n').slice(-1)[0] ?? '') as TorchResult;
  } catch {
    return { error: `unexpected output: ${result.stdout.slice(0, 200)}` };
  }
}
