import type { Page } from 'playwright-core';
import { chromiumRss, heapUsage, openBrowser, pasteCode, recorded, runCell, waitRunReady, type RunTiming } from '../lib/browser';

export const ONE_LINER = "console.log('first output');";

export interface FirstOutputSample {
  /** Click to the line in the OUTPUT pane (DOM). */
  clickToOutput: number;
  /** Click to the cell showing "Starting…" (type check verdict and compile done, run handed over). */
  clickToStarting: number | null;
  /** Click to the sandbox's run/started message reaching the page. */
  clickToRunStarted: number | null;
  /** Click to the sandbox's first console/entries message reaching the page. */
  clickToConsoleMessage: number | null;
  /** esbuild's worker: first and last message after the click (the compile's round trips). */
  compileWorker: { first: number; last: number } | null;
  /** Monaco's TypeScript worker: last message between click and run start. */
  typeCheckerLast: number | null;
  /** Run end to the next warm spare being ready. */
  spareRewarm: number | null;
}

export interface CellRunSample {
  clickToFinished: number;
  clickToStarting: number | null;
  /** The run as the sandbox worker timed it (script load to completion). */
  sandboxDurationMs: number | null;
  status: string;
  tensorsAfter?: { count: number; bytes: number };
  leakedTensors?: number;
}

export interface MemorySample {
  afterRun: number;
  pageHeapBytes: number;
  sandboxFrameHeapBytes: number | null;
  rss: Record<string, number> | null;
  tfBytesAtEnd?: number;
  tfTensorsAtEnd?: number;
}

export interface WarmRunsResult {
  pagePath: string;
  backend: string;
  cells: string[];
  firstCellId: string;
  oneLinerCellId: string;
  firstOutput: { warmup: FirstOutputSample; samples: FirstOutputSample[] };
  firstCell: { warmup: CellRunSample; samples: CellRunSample[] };
  memory: MemorySample[];
  /** bench/cells/ml.ts, one run per tfjs backend (each in a fresh sandbox worker), by backend. */
  ml: Record<string, MlRun>;
}

export interface MlRun {
  lines: Record<string, unknown>;
  clickToFinished: number;
  status: string;
  sandboxDurationMs: number | null;
}

async function firstOutputSample(page: Page, cellId: string, run: RunTiming): Promise<FirstOutputSample> {
  const rec = await recorded(page);
  const after = (type: string) => rec.msgs.find((m) => m.type === type && m.t >= run.clickAt)?.t ?? null;
  const runStarted = after('run/started');
  const consoleAt = after('console/entries');
  const es = rec.workers.find((w) => w.esbuild);
  const esMsgs = es?.messages.filter((t) => t >= run.clickAt && t <= (runStarted ?? run.endAt)) ?? [];
  const ts = rec.workers.find((w) => w.url.includes('ts.worker'));
  const tsMsgs = ts?.messages.filter((t) => t >= run.clickAt && t <= (runStarted ?? run.endAt)) ?? [];
  const nextReady = rec.msgs.find((m) => m.type === 'sandbox/ready' && m.t >= run.endAt)?.t ?? null;
  void cellId;
  return {
    clickToOutput: (run.outputAt ?? NaN) - run.clickAt,
    clickToStarting: run.startingAt === null ? null : run.startingAt - run.clickAt,
    clickToRunStarted: runStarted === null ? null : runStarted - run.clickAt,
    clickToConsoleMessage: consoleAt === null ? null : consoleAt - run.clickAt,
    compileWorker: esMsgs.length ? { first: esMsgs[0]! - run.clickAt, last: esMsgs[esMsgs.length - 1]! - run.clickAt } : null,
    typeCheckerLast: tsMsgs.length ? tsMsgs[tsMsgs.length - 1]! - run.clickAt : null,
    spareRewarm: nextReady === null ? null : nextReady - run.endAt,
  };
}

async function cellRunSample(page: Page, run: RunTiming): Promise<CellRunSample> {
  const rec = await recorded(page);
  const done = rec.msgs.find((m) => m.type === 'run/done' && m.t >= run.clickAt);
  return {
    clickToFinished: run.endAt - run.clickAt,
    clickToStarting: run.startingAt === null ? null : run.startingAt - run.clickAt,
    sandboxDurationMs: done?.durationMs ?? null,
    status: run.status,
    tensorsAfter: done?.tensorsAfter,
    leakedTensors: done?.leakedTensors,
  };
}

/** BENCH lines a run printed, parsed: { name: value }. */
export function benchLines(msgs: { t: number; bench?: string[] }[], since: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const m of msgs) {
    if (m.t < since || !m.bench) continue;
    for (const line of m.bench) {
      try {
        const { name, value } = JSON.parse(line) as { name: string; value: unknown };
        out[name] = value;
      } catch {
        // not one of ours
      }
    }
  }
  return out;
}

/**
 * One page, warm: click-to-first-output of a one-line cell, the lesson's first cell run 20 times in a
 * row (click-to-finished, then memory), and the training/inference workloads (bench/cells/ml.ts).
 */
export async function warmRuns(
  siteUrl: string,
  pagePath: string,
  options: { firstOutputRuns: number; firstCellRuns: number; memoryAt: number[]; mlSources: (ownBackend: string) => { backend: string; source: string }[] },
  log: (line: string) => void,
): Promise<WarmRunsResult> {
  const b = await openBrowser();
  try {
    const { page } = b;
    await page.goto(siteUrl + pagePath);
    await waitRunReady(page);
    const cells = await page.$$eval('[data-cell-id]', (els) => els.map((e) => e.getAttribute('data-cell-id') ?? ''));
    if (cells.length === 0) throw new Error(`no code cells on ${pagePath}`);
    const firstCellId = cells[0]!;
    const oneLinerCellId = cells[1] ?? cells[0]!;
    const backend = (await recorded(page)).msgs.find((m) => m.type === 'sandbox/ready')?.backend ?? '?';

    // 1. The lesson's first cell, as shipped, many times in a row (memory sampled along the way).
    const firstCellRuns: CellRunSample[] = [];
    const memory: MemorySample[] = [];
    for (let i = 1; i <= options.firstCellRuns; i++) {
      const run = await runCell(page, firstCellId);
      const sample = await cellRunSample(page, run);
      firstCellRuns.push(sample);
      if (i === 1 || i === options.firstCellRuns || i % 5 === 0) log(`  ${firstCellId} run ${i}/${options.firstCellRuns}: ${sample.status} after ${Math.round(sample.clickToFinished)} ms (sandbox ${Math.round(sample.sandboxDurationMs ?? NaN)} ms)`);
      if (options.memoryAt.includes(i)) {
        const heap = await heapUsage(page);
        memory.push({ afterRun: i, pageHeapBytes: heap.pageBytes, sandboxFrameHeapBytes: heap.sandboxFrameBytes, rss: chromiumRss(b.rootPid), tfBytesAtEnd: sample.tensorsAfter?.bytes, tfTensorsAtEnd: sample.tensorsAfter?.count });
      }
    }

    // 2. A one-line console.log in another cell: click to first output, warm.
    await pasteCode(page, oneLinerCellId, ONE_LINER);
    const firstOutputs: FirstOutputSample[] = [];
    for (let i = 0; i <= options.firstOutputRuns; i++) {
      const run = await runCell(page, oneLinerCellId, { marker: 'first output' });
      firstOutputs.push(await firstOutputSample(page, oneLinerCellId, run));
    }
    log(`  one-line cell: click to first output ${firstOutputs.slice(1).map((s) => Math.round(s.clickToOutput)).join(', ')} ms`);

    // 3. Training and inference workloads, in the real sandbox: one run per backend.
    const ml: Record<string, MlRun> = {};
    for (const { backend: measured, source } of options.mlSources(backend)) {
      await pasteCode(page, oneLinerCellId, source);
      const run = await runCell(page, oneLinerCellId, { timeout: 600_000 });
      const rec = await recorded(page);
      const done = rec.msgs.find((m) => m.type === 'run/done' && m.t >= run.clickAt);
      const lines = benchLines(rec.msgs, run.clickAt);
      const error = rec.msgs.find((m) => m.type === 'run/error' && m.t >= run.clickAt)?.error;
      if (error) lines.error = error;
      ml[measured] = { lines, clickToFinished: run.endAt - run.clickAt, status: run.status, sandboxDurationMs: done?.durationMs ?? null };
      log(`  training/inference on ${measured}: ${run.status} after ${Math.round(run.endAt - run.clickAt)} ms${error ? ` (${error})` : ''}`);
    }

    return {
      pagePath,
      backend,
      cells,
      firstCellId,
      oneLinerCellId,
      firstOutput: { warmup: firstOutputs[0]!, samples: firstOutputs.slice(1) },
      firstCell: { warmup: firstCellRuns[0]!, samples: firstCellRuns.slice(1) },
      memory,
      ml,
    };
  } finally {
    await b.close();
  }
}
