import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import type { LaunchedBrowser } from './launch';

export interface MemorySample {
  /** The lesson page's JavaScript heap right after a full garbage collection, in MB. */
  pageHeapMB: number;
  /** DOM nodes and event listeners of the page. */
  domNodes: number;
  listeners: number;
  /** Workers alive in the sandbox iframe (the warm spare, plus one per run still going). */
  sandboxWorkers: number;
  /** Resident memory of every Chromium process together, in MB (from /proc; undefined off Linux). */
  browserRssMB?: number;
}

const MB = 1024 * 1024;

/** Measures what a leak would make grow: the page's heap and DOM, the sandbox's workers, the browser's memory. */
export async function measureMemory(launched: LaunchedBrowser, page: Page): Promise<MemorySample> {
  const session = await launched.context.newCDPSession(page);
  let pageHeapMB: number;
  let counters: { nodes: number; jsEventListeners: number };
  try {
    await session.send('HeapProfiler.collectGarbage');
    pageHeapMB = (await session.send('Runtime.getHeapUsage')).usedSize / MB;
    counters = await session.send('Memory.getDOMCounters');
  } finally {
    await session.detach();
  }
  const browser = await launched.browser.newBrowserCDPSession();
  try {
    const { targetInfos } = await browser.send('Target.getTargets');
    const { processInfo } = await browser.send('SystemInfo.getProcessInfo');
    return {
      pageHeapMB,
      domNodes: counters.nodes,
      listeners: counters.jsEventListeners,
      sandboxWorkers: targetInfos.filter((t) => t.type === 'worker' && t.url.startsWith('blob:null/')).length,
      browserRssMB: residentMB(processInfo.map((p) => p.id)),
    };
  } finally {
    await browser.detach();
  }
}

function residentMB(pids: number[]): number | undefined {
  if (process.platform !== 'linux') return undefined;
  let kB = 0;
  for (const pid of pids) {
    try {
      kB += Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // The process ended between listing and reading (a retired renderer).
    }
  }
  return kB / 1024;
}

/**
 * How far memory may grow over repeated runs of a cell, from the sample after the warm-up runs to any
 * later sample, however long the soak: each run gets a fresh worker, so the page's heap and DOM, the
 * number of sandbox workers and the browser's memory must level off instead of climbing.
 */
export const SOAK_BOUNDS = {
  /** Runs before the baseline sample (caches, the editor's and the charts' first use). */
  warmUpRuns: 2,
  pageHeapMB: 10,
  domNodes: 2_000,
  /** The warm spare, and the worker of a run being retired. */
  sandboxWorkers: 2,
  browserRssMB: 300,
} as const;

/** What exceeds SOAK_BOUNDS in `sample` compared with `baseline`, in words; empty when within bounds. */
export function overBounds(baseline: MemorySample, sample: MemorySample): string[] {
  const problems: string[] = [];
  const grew = (what: string, by: number, bound: number, unit: string) => {
    if (by > bound) problems.push(`${what} grew by ${by.toFixed(1)} ${unit} (bound ${bound} ${unit})`);
  };
  grew('page heap', sample.pageHeapMB - baseline.pageHeapMB, SOAK_BOUNDS.pageHeapMB, 'MB');
  grew('DOM nodes', sample.domNodes - baseline.domNodes, SOAK_BOUNDS.domNodes, 'nodes');
  if (sample.browserRssMB !== undefined && baseline.browserRssMB !== undefined) {
    grew('browser memory', sample.browserRssMB - baseline.browserRssMB, SOAK_BOUNDS.browserRssMB, 'MB');
  }
  if (sample.sandboxWorkers > SOAK_BOUNDS.sandboxWorkers) problems.push(`${sample.sandboxWorkers} sandbox workers alive (bound ${SOAK_BOUNDS.sandboxWorkers})`);
  return problems;
}
