/**
 * `npm run soak -- [--minutes 30] [--runs 1000] [--page /lesson/page/] [--cell id] [--out file.json]`:
 * runs one lesson cell over and over in headless Chromium against the production build (out/), as a
 * student pressing Run all afternoon would, and records memory after every run: the page's heap after
 * a garbage collection, its DOM nodes and listeners, the sandbox's live workers, and the resident
 * memory of all Chromium processes. It stops after the minutes or the runs, whichever comes first,
 * prints the figures, saves them as JSON (default test-results/soak-<time>.json), and exits 1 when a
 * run did not finish or memory grew past SOAK_BOUNDS (scripts/browser/memory.ts) after the warm-up runs.
 * Default cell: the first one on the first lesson page. Build first (`npm run build`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { launchBrowser } from './browser/launch';
import { LESSON_PAGE, READY_TIMEOUT_MS, RUN_TIMEOUT_MS, startRun, waitForEnd } from './browser/cells';
import { measureMemory, overBounds, SOAK_BOUNDS, type MemorySample } from './browser/memory';
import { startStaticServer } from './staticServer.mjs';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    runs: { type: 'string', default: '1000' },
    page: { type: 'string', default: LESSON_PAGE },
    cell: { type: 'string' },
    out: { type: 'string', default: path.join('test-results', `soak-${new Date().toISOString().replace(/[:.]/g, '-')}.json`) },
  },
});
const minutes = Number(values.minutes);
const maxRuns = Number(values.runs);
if (!(minutes > 0) || !(maxRuns > SOAK_BOUNDS.warmUpRuns)) {
  console.error(`usage: npm run soak -- [--minutes 30] [--runs N > ${SOAK_BOUNDS.warmUpRuns}] [--page /lesson/page/] [--cell id] [--out file.json]`);
  process.exit(2);
}

interface RunRecord extends MemorySample {
  run: number;
  status: string;
  seconds: number;
  /** Minutes since the soak started. */
  at: number;
}

const server = await startStaticServer({ dir: 'out', port: 0 });
const launched = await launchBrowser();
const records: RunRecord[] = [];
const problems: string[] = [];
let cellId = values.cell;
const started = Date.now();
try {
  const page = await launched.context.newPage();
  await page.goto(server.url + values.page);
  cellId ??= (await page.locator('[data-cell-id]').first().getAttribute('data-cell-id', { timeout: READY_TIMEOUT_MS }))!;
  const cell = page.locator(`[data-cell-id="${cellId}"]`);
  await cell.getByText(/^Ready · /).waitFor({ timeout: READY_TIMEOUT_MS });
  console.log(`soak: cell "${cellId}" on ${values.page}, up to ${maxRuns} runs or ${minutes} min; bounds after ${SOAK_BOUNDS.warmUpRuns} warm-up runs: ` +
    `page heap +${SOAK_BOUNDS.pageHeapMB} MB, DOM +${SOAK_BOUNDS.domNodes} nodes, Chromium memory +${SOAK_BOUNDS.browserRssMB} MB, at most ${SOAK_BOUNDS.sandboxWorkers} sandbox workers`);
  console.log('  run  status     time   page heap    DOM nodes  listeners  workers  Chromium memory');
  const before = await measureMemory(launched, page);
  console.log(`    0  (loaded)     -    ${row(before)}`);
  for (let run = 1; run <= maxRuns && Date.now() - started < minutes * 60_000; run++) {
    const runStarted = Date.now();
    await startRun({ page, cell });
    const status = await waitForEnd(cell, RUN_TIMEOUT_MS);
    const seconds = (Date.now() - runStarted) / 1000;
    const sample = await measureMemory(launched, page);
    records.push({ run, status, seconds, at: (Date.now() - started) / 60_000, ...sample });
    if (status !== 'finished') problems.push(`run ${run} ended ${status}`);
    const baseline = records[SOAK_BOUNDS.warmUpRuns - 1];
    const over = baseline && run > SOAK_BOUNDS.warmUpRuns ? overBounds(baseline, sample) : [];
    problems.push(...over.map((p) => `after run ${run}: ${p}`));
    console.log(`${String(run).padStart(5)}  ${status.padEnd(9)} ${seconds.toFixed(1).padStart(5)} s  ${row(sample)}${over.length > 0 ? '  ← over bound' : ''}`);
  }
  await page.close();
} finally {
  await launched.close();
  await server.close();
}

const baseline = records[SOAK_BOUNDS.warmUpRuns - 1];
const last = records.at(-1);
if (!baseline || !last || records.length <= SOAK_BOUNDS.warmUpRuns) problems.push(`only ${records.length} runs: too few to compare with the warm-up`);
const summary = baseline && last && {
  runs: records.length,
  minutes: Number(((Date.now() - started) / 60_000).toFixed(1)),
  medianRunSeconds: median(records.map((r) => r.seconds)),
  growthAfterWarmUp: {
    pageHeapMB: round(last.pageHeapMB - baseline.pageHeapMB),
    maxPageHeapMB: round(Math.max(...records.slice(SOAK_BOUNDS.warmUpRuns).map((r) => r.pageHeapMB - baseline.pageHeapMB))),
    domNodes: last.domNodes - baseline.domNodes,
    browserRssMB: last.browserRssMB !== undefined && baseline.browserRssMB !== undefined ? round(last.browserRssMB - baseline.browserRssMB) : null,
  },
};
mkdirSync(path.dirname(values.out), { recursive: true });
writeFileSync(values.out, JSON.stringify({ page: values.page, cell: cellId, startedAt: new Date(started).toISOString(), bounds: SOAK_BOUNDS, summary, problems, records }, null, 2) + '\n');
console.log(`\n${JSON.stringify(summary, null, 2)}\nsaved ${values.out}`);
if (problems.length > 0) {
  console.error(`\nsoak FAILED:\n  ${problems.slice(0, 20).join('\n  ')}`);
  process.exit(1);
}
console.log('soak passed: every run finished and memory stayed within the bounds.');

function row(s: MemorySample): string {
  const rss = s.browserRssMB === undefined ? 'n/a' : `${s.browserRssMB.toFixed(0)} MB`;
  return `${s.pageHeapMB.toFixed(1).padStart(6)} MB  ${String(s.domNodes).padStart(9)}  ${String(s.listeners).padStart(9)}  ${String(s.sandboxWorkers).padStart(7)}  ${rss.padStart(15)}`;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return round(sorted[Math.floor(sorted.length / 2)] ?? 0);
}
