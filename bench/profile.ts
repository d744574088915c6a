/**
 * Where the time goes: records a Chromium trace of one cold navigation of a lesson page to Run-ready
 * (with --click, of a warm Run of a one-line cell; with --first-cell, of a warm Run of the page's first
 * cell as shipped) and prints, per thread (page main thread,
 * sandbox iframe, every worker, V8's background compile threads), its busy time and what filled it,
 * by script. Used to profile the budgets bench/run.ts reports as missed.
 *
 *   npx tsx bench/profile.ts [--page /transfer-learning/transfer-learning/] [--click] [--first-cell [--save-trace]] [--out bench/results/profile.json]
 *
 * --save-trace also writes the raw trace of --first-cell next to --out (*.trace.json, ~10 MB).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../scripts/browser/launch';
import { INSTRUMENT_SOURCE, pasteCode, recorded, runCell, waitRunReady } from './lib/browser';
import { startSiteServer } from './lib/servers';

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; labels?: string; data?: { url?: string; functionName?: string; frame?: string; sourceURL?: string }; fileName?: string; url?: string };
}

export interface ThreadProfile {
  process: string;
  thread: string;
  busyMs: number;
  top: { what: string; ms: number }[];
}

function shortUrl(url: string | undefined): string {
  if (!url) return '';
  if (url.startsWith('blob:')) return 'blob';
  try {
    const u = new URL(url);
    return u.pathname.split('/').filter(Boolean).slice(-1)[0] ?? u.pathname;
  } catch {
    return url.slice(0, 40);
  }
}

/** Busy time per thread between `from` and `to` (trace µs), and the biggest things it ran. */
export function analyzeTrace(events: TraceEvent[], from = -Infinity, to = Infinity): ThreadProfile[] {
  const processNames = new Map<number, string>();
  const threadNames = new Map<string, string>();
  for (const e of events) {
    if (e.ph !== 'M') continue;
    if (e.name === 'process_name') processNames.set(e.pid, `${e.args?.name ?? '?'}${processNames.get(e.pid) ?? ''}`);
    if (e.name === 'process_labels') processNames.set(e.pid, `${processNames.get(e.pid) ?? ''} [${e.args?.labels ?? ''}]`);
    if (e.name === 'thread_name') threadNames.set(`${e.pid}:${e.tid}`, e.args?.name ?? '?');
  }
  const byThread = new Map<string, TraceEvent[]>();
  for (const e of events) {
    if (e.ph !== 'X' || e.dur === undefined || e.ts + e.dur < from || e.ts > to) continue;
    const key = `${e.pid}:${e.tid}`;
    const list = byThread.get(key) ?? [];
    list.push(e);
    byThread.set(key, list);
  }
  const out: ThreadProfile[] = [];
  for (const [key, list] of byThread) {
    list.sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
    let busy = 0;
    const what = new Map<string, number>();
    const stack: TraceEvent[] = [];
    for (const e of list) {
      while (stack.length && stack[stack.length - 1]!.ts + stack[stack.length - 1]!.dur! <= e.ts) stack.pop();
      const clipped = Math.min(e.ts + e.dur!, to) - Math.max(e.ts, from);
      if (stack.length === 0) busy += clipped;
      // What a task did: the outermost event inside a top-level task (or a top-level non-task event).
      const isTask = /RunTask|ThreadController|ThreadPool_RunTask|TaskQueueManager/.test(e.name);
      const parentIsTask = stack.length > 0 && stack.every((s) => /RunTask|ThreadController|ThreadPool_RunTask|TaskQueueManager/.test(s.name));
      if (!isTask && (stack.length === 0 || parentIsTask)) {
        const url = shortUrl(e.args?.data?.url ?? e.args?.data?.sourceURL ?? e.args?.fileName ?? e.args?.url);
        const label = `${e.name}${url ? ` ${url}` : ''}`;
        what.set(label, (what.get(label) ?? 0) + clipped);
      }
      stack.push(e);
    }
    if (busy < 50_000) continue; // under 50 ms: not interesting
    const [pid] = key.split(':').map(Number);
    out.push({
      process: `${processNames.get(pid!) ?? 'process'} ${pid}`,
      thread: threadNames.get(key) ?? key,
      busyMs: Math.round(busy / 1000),
      top: [...what.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 10)
        .map(([w, us]) => ({ what: w, ms: Math.round(us / 1000) })),
    });
  }
  return out.sort((a, b) => b.busyMs - a.busyMs);
}

const CATEGORIES = ['-*', 'toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'v8.execute', 'v8.wasm', 'blink.user_timing', '__metadata'];

function printProfile(title: string, threads: ThreadProfile[]): void {
  console.log(`\n## ${title}`);
  for (const t of threads.slice(0, 14)) {
    console.log(`\n${t.busyMs} ms busy · ${t.thread} · ${t.process.slice(0, 90)}`);
    for (const w of t.top.slice(0, 7)) console.log(`    ${String(w.ms).padStart(6)} ms  ${w.what}`);
  }
}

async function main() {
  const args = process.argv.slice(2);
  const option = (name: string, fallback: string) => {
    const i = args.indexOf(name);
    return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
  };
  const pagePath = option('--page', '/transfer-learning/transfer-learning/');
  const outFile = option('--out', path.join(import.meta.dirname, 'results', 'profile.json'));
  const site = await startSiteServer(path.resolve(import.meta.dirname, '..', 'out'));
  const browser = await chromium.launch({ executablePath: findChromium(), headless: true, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  await page.addInitScript({ content: INSTRUMENT_SOURCE });
  const result: Record<string, unknown> = { page: pagePath, loadAverage: (await import('node:os')).loadavg() };
  try {
    await browser.startTracing(page, { categories: CATEGORIES });
    await page.goto(site.url + pagePath, { waitUntil: 'commit' });
    await waitRunReady(page);
    const trace = JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: TraceEvent[] };
    const rec = await recorded(page);
    const ready = rec.msgs.find((m) => m.type === 'sandbox/ready');
    const threads = analyzeTrace(trace.traceEvents);
    console.log(`Run ready: editor ${Math.round(rec.editorReadyAt ?? NaN)} ms, sandbox ${Math.round(ready?.t ?? NaN)} ms (load average ${(result.loadAverage as number[]).map((x) => x.toFixed(2)).join(' ')})`);
    printProfile('Cold navigation to Run-ready: busy time per thread', threads);
    result.coldNavigation = threads;
    const cells = await page.$$eval('[data-cell-id]', (els) => els.map((e) => e.getAttribute('data-cell-id')!));
    if (args.includes('--first-cell')) {
      const cellId = cells[0]!;
      await runCell(page, cellId);
      await browser.startTracing(page, { categories: CATEGORIES });
      const run = await runCell(page, cellId);
      const buffer = await browser.stopTracing();
      if (args.includes('--save-trace')) writeFileSync(outFile.replace(/\.json$/, '.trace.json'), buffer);
      const cellTrace = JSON.parse(buffer.toString('utf8')) as { traceEvents: TraceEvent[] };
      console.log(`\nwarm run of ${cellId}: ${run.status} after ${Math.round(run.endAt - run.clickAt)} ms`);
      const cellThreads = analyzeTrace(cellTrace.traceEvents);
      printProfile(`Warm Run of ${cellId} (click to next warm spare): busy time per thread`, cellThreads);
      result.firstCell = cellThreads;
    }
    if (args.includes('--click')) {
      const cellId = cells[1] ?? cells[0]!;
      await pasteCode(page, cellId, "console.log('first output');");
      await runCell(page, cellId, { marker: 'first output' });
      await browser.startTracing(page, { categories: CATEGORIES });
      const run = await runCell(page, cellId, { marker: 'first output' });
      const clickTrace = JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: TraceEvent[] };
      console.log(`\nwarm click to first output: ${Math.round((run.outputAt ?? NaN) - run.clickAt)} ms`);
      const clickThreads = analyzeTrace(clickTrace.traceEvents);
      printProfile('Warm Run of a one-line cell (click to next warm spare): busy time per thread', clickThreads);
      result.warmClick = clickThreads;
    }
  } finally {
    await browser.close();
    await site.close();
  }
  mkdirSync(path.dirname(outFile), { recursive: true });
  writeFileSync(outFile, JSON.stringify(result, null, 2));
  console.log(`\nwrote ${path.relative(process.cwd(), outFile)}`);
}

await main();
