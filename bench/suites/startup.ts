import type { Page } from 'playwright-core';
import { openBrowser, READY_TIMEOUT_MS, recorded } from '../lib/browser';
import type { SiteServer } from '../lib/servers';
import { category } from './coldNavigation';

/** One visit of the lesson page with Run clicked on the first cell the moment its button is there. */
export interface StartupVisit {
  /** ms since navigation start (the page's clock): Run Code was in the page and clicked. */
  clickAt: number;
  /** The first line of the cell's output was on the page. */
  firstOutputAt: number;
  /** The sandbox said it was ready. */
  sandboxReadyAt: number | null;
  /** Bodies the server sent for this visit until the first output, by category (the bench's own). */
  bodyBytes: Record<string, number>;
  /** Responses with a body (200), and revalidations without one (304). */
  downloads: number;
  revalidations: number;
  /** Whether the editor's code, the compiler or the TypeScript worker were requested before the first output. */
  editorOrCompiler: string[];
}

export interface StartupSample {
  cold: StartupVisit;
  /** Same profile, after the service worker installed: what a revalidating host sends again. */
  second: StartupVisit;
  /** Same profile with the network gone. */
  offline: StartupVisit;
}

const MARKER_TIMEOUT_MS = READY_TIMEOUT_MS;

async function visit(page: Page, url: string, site: SiteServer, cellId: string, marker: string, reload: boolean): Promise<StartupVisit> {
  const firstResponse = site.responses.length;
  const requested: string[] = [];
  const onRequest = (request: { url(): string }) => requested.push(new URL(request.url()).pathname);
  page.context().on('request', onRequest);
  try {
    if (reload) await page.reload({ waitUntil: 'commit' });
    else await page.goto(url, { waitUntil: 'commit' });
    await page.waitForFunction('window.__bench && window.__bench.watch && window.__bench.watch.outputAt !== null', undefined, { timeout: MARKER_TIMEOUT_MS, polling: 50 });
    const rec = await recorded(page);
    const origin = (await page.evaluate('performance.timeOrigin')) as number;
    const outputEpoch = origin + rec.watch!.outputAt!;
    const responses = site.responses.slice(firstResponse).filter((r) => r.at <= outputEpoch + 50);
    const bodyBytes: Record<string, number> = {};
    for (const r of responses) if (r.bytes > 0) bodyBytes[category(r.path)] = (bodyBytes[category(r.path)] ?? 0) + r.bytes;
    return {
      clickAt: rec.autoClickAt ?? NaN,
      firstOutputAt: rec.watch!.outputAt!,
      sandboxReadyAt: rec.msgs.find((m) => m.type === 'sandbox/ready')?.t ?? null,
      bodyBytes,
      downloads: responses.filter((r) => r.status === 200 && r.bytes > 0).length,
      revalidations: responses.filter((r) => r.status === 304).length,
      editorOrCompiler: requested.filter((p) => /\/_gen\/editor\/|esbuild\.wasm$|ts\.worker/.test(p)),
    };
  } finally {
    page.context().off('request', onRequest);
  }
}

/** The page's service worker has precached the course (Serwist activates it once the precache is complete). */
async function serviceWorkerActive(page: Page): Promise<void> {
  for (const started = Date.now(); Date.now() - started < 300_000; ) {
    const state = await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.active?.state ?? null);
    if (state === 'activated') return;
    await page.waitForTimeout(250);
  }
  throw new Error('the service worker did not activate within 5 minutes');
}

/**
 * Start-up as a student meets it: a fresh profile opens the lesson page and clicks Run Code on the
 * first cell the moment the button is in the page (before the page's scripts have run; the click is
 * kept and the cell runs when it can); the time to the cell's first output line. Then, in the same
 * profile once the service worker has precached the course, a second visit (what a revalidating host
 * sends again) and a visit with the network gone.
 */
export async function startup(site: SiteServer, pagePath: string, cellId: string, marker: string, runs: number, log: (line: string) => void): Promise<{ warmup: StartupSample; samples: StartupSample[] }> {
  const all: StartupSample[] = [];
  for (let i = 0; i <= runs; i++) {
    const b = await openBrowser();
    try {
      await b.page.addInitScript({ content: `window.__benchAutoClick = ${JSON.stringify({ cellId, marker })};` });
      const url = site.url + pagePath;
      const cold = await visit(b.page, url, site, cellId, marker, false);
      await serviceWorkerActive(b.page);
      const second = await visit(b.page, url, site, cellId, marker, true);
      await b.launched.context.setOffline(true);
      const offline = await visit(b.page, url, site, cellId, marker, true);
      await b.launched.context.setOffline(false);
      all.push({ cold, second, offline });
      const bodies = Object.values(second.bodyBytes).reduce((a, n) => a + n, 0);
      log(
        `  ${i === 0 ? 'warm-up' : `run ${i}/${runs}`}: first output ${Math.round(cold.firstOutputAt)} ms (clicked at ${Math.round(cold.clickAt)} ms, sandbox ready ${Math.round(cold.sandboxReadyAt ?? NaN)} ms); ` +
          `second visit: ${bodies} bytes of bodies, first output ${Math.round(second.firstOutputAt)} ms; offline: first output ${Math.round(offline.firstOutputAt)} ms`,
      );
    } finally {
      await b.close();
    }
  }
  return { warmup: all[0]!, samples: all.slice(1) };
}
