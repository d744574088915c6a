import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { launchBrowser, type LaunchedBrowser } from '../../scripts/browser/launch';
import { BENCH_DIR } from './pages';

/** The page-side recorder (bench/browser/instrument.js), injected before the page's own scripts. */
export const INSTRUMENT_SOURCE = readFileSync(path.join(BENCH_DIR, 'browser', 'instrument.js'), 'utf8');

export const READY_TIMEOUT_MS = 120_000;

/** A request as Playwright saw it, with times in the page's clock (ms since navigation start). */
export interface RequestTiming {
  url: string;
  start: number;
  end: number;
  /** 'page', 'sandbox' (the iframe or its workers) or 'worker' (a worker of the page). */
  from: string;
}

export interface BenchBrowser {
  launched: LaunchedBrowser;
  page: Page;
  /** Requests finished since the last `navigate`, in epoch ms (converted on collection). */
  requests: { url: string; startEpoch: number; endEpoch: number; from: string }[];
  /** This Chromium's browser process, for its memory (null when it could not be told apart). */
  rootPid: number | null;
  close(): Promise<void>;
}

/** Launches Chromium with the e2e tests' flags and a fresh profile, one page, the recorder injected. */
export async function openBrowser(): Promise<BenchBrowser> {
  const before = new Set(chromiumRoots());
  // The service worker is part of what a student's browser does (the second visit is measured with it).
  const launched = await launchBrowser({ serviceWorkers: true });
  const rootPid = chromiumRoots().find((pid) => !before.has(pid)) ?? null;
  const page = launched.context.pages()[0] ?? (await launched.context.newPage());
  await page.addInitScript({ content: INSTRUMENT_SOURCE });
  const requests: BenchBrowser['requests'] = [];
  launched.context.on('requestfinished', (request) => {
    const timing = request.timing();
    let from = 'worker';
    try {
      from = request.frame().url() === 'about:srcdoc' ? 'sandbox' : 'page';
    } catch {
      // requests of workers have no frame
    }
    if (timing.startTime > 0) requests.push({ url: request.url(), startEpoch: timing.startTime, endEpoch: timing.startTime + Math.max(0, timing.responseEnd), from });
  });
  return { launched, page, requests, rootPid, close: () => launched.close() };
}

export async function chromiumVersion(page: Page): Promise<string> {
  const session = await page.context().newCDPSession(page);
  const version = (await session.send('Browser.getVersion')) as { product: string };
  await session.detach();
  return version.product;
}

/** What window.__bench holds (see instrument.js). */
export interface Recorded {
  msgs: { t: number; type: string; runId?: string; phase?: string; backend?: string; message?: string; durationMs?: number; ok?: boolean; error?: string; tensorsAfter?: { count: number; bytes: number }; tensorsBefore?: { count: number; bytes: number }; leakedTensors?: number; bench?: string[]; entries?: number }[];
  workers: { url: string; name?: string; createdAt: number; firstPostAt: number | null; esbuild: boolean; messages: number[] }[];
  runStatus: Record<string, { t: number; s: string }[]>;
  sandboxText: { t: number; phase: string | null; text: string }[];
  longTasks: [number, number][];
  viewLinesAt: number | null;
  editorReadyAt: number | null;
  trainBatches: number;
  watch: { cellId: string; marker: string; runs: number; clickAt: number; outputAt: number | null } | null;
  /** When the startup benchmark's click on Run happened (the button had just appeared), or null. */
  autoClickAt: number | null;
}

export function recorded(page: Page): Promise<Recorded> {
  return page.evaluate('JSON.parse(JSON.stringify(window.__bench))') as Promise<Recorded>;
}

/**
 * Resolves when Run is ready: the sandbox reported ready (TensorFlow.js loaded, its backend started).
 * Unedited code runs as the build compiled it, so neither the editor nor the compiler is needed.
 */
export async function waitRunReady(page: Page, timeout = READY_TIMEOUT_MS): Promise<void> {
  const state = await page.waitForFunction(
    `(() => {
      const b = window.__bench;
      if (!b) return false;
      if (b.msgs.some((m) => m.type === 'sandbox/fatal')) return 'fatal';
      return b.msgs.some((m) => m.type === 'sandbox/ready') ? 'ready' : false;
    })()`,
    undefined,
    { timeout, polling: 50 },
  );
  if ((await state.jsonValue()) === 'fatal') {
    const rec = await recorded(page);
    throw new Error(`the sandbox failed: ${rec.msgs.find((m) => m.type === 'sandbox/fatal')?.message}`);
  }
}

/** Replaces a cell's main.ts by select-all and paste, as a student would (and the e2e tests do). */
export async function pasteCode(page: Page, cellId: string, code: string): Promise<void> {
  const cell = page.locator(`[data-cell-id="${cellId}"]`);
  // The page shows highlighted code until a click opens the editor there.
  const placeholder = cell.locator('pre[role="textbox"]');
  if (await placeholder.count()) await placeholder.click({ position: { x: 60, y: 14 } });
  await cell.locator('.monaco-editor .view-lines').waitFor({ timeout: READY_TIMEOUT_MS });
  await page.evaluate((text) => navigator.clipboard.writeText(text), code);
  await cell.locator('.monaco-editor').click({ position: { x: 80, y: 12 } });
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('ControlOrMeta+V');
  for (let attempt = 0; attempt < 50; attempt++) {
    await page.evaluate(() => navigator.clipboard.writeText(''));
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('ControlOrMeta+C');
    const text = await page.evaluate(() => navigator.clipboard.readText());
    await page.keyboard.press('ControlOrMeta+End');
    if (text === code) return;
    await page.waitForTimeout(100);
  }
  throw new Error(`could not paste code into cell ${cellId}`);
}

export interface RunTiming {
  runs: number;
  clickAt: number;
  outputAt: number | null;
  endAt: number;
  status: string;
  startingAt: number | null;
}

/**
 * Clicks Run in the page (exact click time), waits for the run to end and for the next warm spare
 * (a new worker with tfjs and the backbone ready), so that every run starts warm.
 */
export async function runCell(page: Page, cellId: string, options: { marker?: string; timeout?: number } = {}): Promise<RunTiming> {
  const timeout = options.timeout ?? 300_000;
  const readyBefore = (await page.evaluate('window.__bench.readyCount()')) as number;
  const { clickAt, runs } = (await page.evaluate(`window.__bench.clickRun(${JSON.stringify(cellId)}, ${JSON.stringify(options.marker ?? null)})`)) as { clickAt: number; runs: number };
  await page.waitForFunction(`window.__bench.endOf(${JSON.stringify(cellId)}, ${runs}) !== null`, undefined, { timeout, polling: 50 });
  const end = (await page.evaluate(`window.__bench.endOf(${JSON.stringify(cellId)}, ${runs})`)) as { t: number; status: string };
  await page.waitForFunction(`window.__bench.readyCount() > ${readyBefore}`, undefined, { timeout: READY_TIMEOUT_MS, polling: 50 });
  const watch = (await page.evaluate('window.__bench.watch')) as Recorded['watch'];
  const startingAt = (await page.evaluate(`window.__bench.statusAt(${JSON.stringify(cellId)}, ${runs}, 'starting')`)) as number | null;
  return { runs, clickAt, outputAt: watch?.outputAt ?? null, endAt: end.t, status: end.status, startingAt };
}

/** JS heap in use (after a full garbage collection) of the page and of the sandbox iframe's process. */
export async function heapUsage(page: Page): Promise<{ pageBytes: number; sandboxFrameBytes: number | null }> {
  const measure = async (target: Page | Frame) => {
    const session = await page.context().newCDPSession(target);
    try {
      await session.send('HeapProfiler.collectGarbage');
      const usage = (await session.send('Runtime.getHeapUsage')) as { usedSize: number };
      return usage.usedSize;
    } finally {
      await session.detach().catch(() => {});
    }
  };
  const pageBytes = await measure(page);
  const frame = page.frames().find((f) => f.url() === 'about:srcdoc');
  const sandboxFrameBytes = frame ? await measure(frame).catch(() => null) : null;
  return { pageBytes, sandboxFrameBytes };
}

interface Proc {
  ppid: number;
  rss: number;
  cmd: string;
}

function processes(): Map<number, Proc> {
  const procs = new Map<number, Proc>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ');
      procs.set(Number(name), { ppid: Number(fields[1]), rss: Number(fields[21]) * 4096, cmd });
    } catch {
      // the process ended meanwhile
    }
  }
  return procs;
}

/** Browser processes of Chromium instances started with a course test profile (ours or the e2e tests'). */
function chromiumRoots(): number[] {
  try {
    return [...processes().entries()].filter(([, p]) => p.cmd.includes('course-chromium-') && !p.cmd.includes('--type=')).map(([pid]) => pid);
  } catch {
    return [];
  }
}

/** Resident memory of one Chromium's processes by type (browser, renderer, gpu-process, utility), in bytes. */
export function chromiumRss(rootPid: number | null): Record<string, number> | null {
  if (rootPid === null) return null;
  try {
    const procs = processes();
    const out: Record<string, number> = {};
    const visit = (pid: number) => {
      const p = procs.get(pid);
      if (!p) return;
      const type = /--type=([\w-]+)/.exec(p.cmd)?.[1] ?? 'browser';
      out[type] = (out[type] ?? 0) + p.rss;
      for (const [child, c] of procs) if (c.ppid === pid) visit(child);
    };
    visit(rootPid);
    return Object.keys(out).length ? out : null;
  } catch {
    return null;
  }
}

/** The recorded Playwright requests, in the page's clock. */
export async function requestTimings(b: BenchBrowser): Promise<RequestTiming[]> {
  const origin = (await b.page.evaluate('performance.timeOrigin')) as number;
  return b.requests.map((r) => ({ url: r.url, start: r.startEpoch - origin, end: r.endEpoch - origin, from: r.from }));
}
