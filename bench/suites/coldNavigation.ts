import { encodedSizes, type SiteServer } from '../lib/servers';
import { openBrowser, recorded, requestTimings, waitRunReady, type Recorded, type RequestTiming } from '../lib/browser';

/** A phase of the page load, in ms since navigation start (page clock). */
export interface Span {
  start: number;
  end: number;
}

export interface BytesByCategory {
  /** Bytes as served (Chromium accepts brotli, so mostly brotli). */
  served: Record<string, number>;
  /** The same responses with the precompressed .gz files' sizes (what a gzip-only server sends). */
  gzip: Record<string, number>;
  requests: number;
  /** Responses answered 304 Not Modified (revalidated, no body). */
  notModified: number;
  /** Paths whose body was sent (status 200). */
  downloaded: { path: string; bytes: number }[];
}

export interface Visit {
  /** The sandbox said it was ready: an unedited cell runs now (it needs neither editor nor compiler). */
  runReady: number;
  /** Monaco shown and esbuild warm, when they had loaded by Run-ready (they load on a click or an edit, or on idle after the sandbox is warm); else NaN. */
  editorReady: number;
  compilerWarm: number;
  backend: string;
  html: number;
  domContentLoaded: number;
  loadEvent: number;
  /** When the page started the runtime (sandbox download and compiler) on idle after hydration. */
  runtimeStarted: number | null;
  nextJs: Span | null;
  monaco: { download: Span | null; typings: Span | null; ready: number };
  tsWorker: { created: number | null; firstMessage: number | null };
  esbuild: { download: Span | null; instantiated: number | null; warm: number };
  tfjs: { download: Span | null; loadingTfjs: number | null; startingBackend: number | null; loadingModel: number | null };
  modelData: { download: Span | null; deserializeAndWarm: Span | null };
  mainThreadLongTasks: { count: number; ms: number };
  bytes: BytesByCategory;
}

export interface ColdNavigationSample {
  cold: Visit;
  /** The same profile navigating to the page again (warm HTTP cache). */
  second: Visit;
}

export function category(urlPath: string): string {
  const p = urlPath.split('?')[0] ?? '';
  if (p.startsWith('/_next/static/') && p.endsWith('.js')) return 'next-js';
  if (p.endsWith('.css') && p.startsWith('/_next/')) return 'css';
  if (p.startsWith('/_gen/editor/')) return p.includes('/types-') ? 'editor-typings' : 'monaco';
  if (p.endsWith('esbuild.wasm')) return 'esbuild-wasm';
  if (p.startsWith('/_gen/vendor/')) return 'tfjs';
  if (p.startsWith('/_gen/sandbox/')) return 'sandbox-runtime';
  if (p.startsWith('/_gen/lessons/')) return p.includes('/models/') ? 'model' : 'data';
  if (p.endsWith('/') || p.endsWith('.html') || p.endsWith('.txt')) return 'html-rsc';
  return 'other';
}

function bytesOf(responses: SiteServer['responses'], siteDir: string): BytesByCategory {
  const served: Record<string, number> = {};
  const gzip: Record<string, number> = {};
  const downloaded: { path: string; bytes: number }[] = [];
  let notModified = 0;
  for (const r of responses) {
    const c = category(r.path);
    served[c] = (served[c] ?? 0) + r.bytes;
    if (r.status === 304) notModified++;
    if (r.status === 200) {
      downloaded.push({ path: r.path, bytes: r.bytes });
      const sizes = encodedSizes(siteDir, r.path);
      gzip[c] = (gzip[c] ?? 0) + (sizes ? sizes.gzip : r.bytes);
    }
  }
  return { served, gzip, requests: responses.length, notModified, downloaded };
}

function span(requests: RequestTiming[], test: (url: string) => boolean): Span | null {
  const hits = requests.filter((r) => test(r.url));
  if (hits.length === 0) return null;
  return { start: Math.min(...hits.map((r) => r.start)), end: Math.max(...hits.map((r) => r.end)) };
}

interface PageTimings {
  nav: { responseEnd: number; domContentLoadedEventEnd: number; loadEventEnd: number };
  origin: number;
}

async function visit(b: Awaited<ReturnType<typeof openBrowser>>, url: string, site: SiteServer, siteDir: string): Promise<Visit> {
  b.requests.length = 0;
  const firstResponse = site.responses.length;
  await b.page.goto(url, { waitUntil: 'commit' });
  await waitRunReady(b.page);
  const rec: Recorded = await recorded(b.page);
  const timings = (await b.page.evaluate(`(() => {
    const n = performance.getEntriesByType('navigation')[0];
    return { nav: { responseEnd: n.responseEnd, domContentLoadedEventEnd: n.domContentLoadedEventEnd, loadEventEnd: n.loadEventEnd }, origin: performance.timeOrigin };
  })()`)) as PageTimings;
  const requests = await requestTimings(b);
  const msgAt = (type: string, phase?: string) => rec.msgs.find((m) => m.type === type && (phase === undefined || m.phase === phase))?.t ?? null;
  const ready = rec.msgs.find((m) => m.type === 'sandbox/ready');
  const es = rec.workers.find((w) => w.esbuild);
  const ts = rec.workers.find((w) => w.url.includes('ts.worker'));
  const editorReady = rec.editorReadyAt ?? NaN;
  const runReady = ready?.t ?? NaN;
  const compilerWarm = es?.messages[es.messages.length - 1] ?? NaN;
  const readyEpoch = timings.origin + runReady;
  // Responses until Run was ready (prefetches after that point are not part of "to Run-ready").
  const responses = site.responses.slice(firstResponse).filter((r) => r.at <= readyEpoch + 50);
  const longTasks = rec.longTasks.filter(([start]) => start < runReady);
  const loadingModel = msgAt('sandbox/progress', 'loading-model');
  return {
    runReady,
    editorReady,
    compilerWarm,
    backend: ready?.backend ?? '?',
    html: timings.nav.responseEnd,
    domContentLoaded: timings.nav.domContentLoadedEventEnd,
    loadEvent: timings.nav.loadEventEnd,
    runtimeStarted: rec.sandboxText.find((s) => s.phase === 'loading')?.t ?? null,
    nextJs: span(requests, (u) => u.includes('/_next/static/') && u.endsWith('.js')),
    monaco: {
      download: span(requests, (u) => /\/_gen\/editor\/(editor-[^/]*\.(js|css)|manifest\.json)$/.test(u)),
      typings: span(requests, (u) => u.includes('/_gen/editor/types-')),
      ready: editorReady,
    },
    tsWorker: { created: ts?.createdAt ?? null, firstMessage: ts?.messages[0] ?? null },
    esbuild: { download: span(requests, (u) => u.endsWith('/esbuild.wasm')), instantiated: es?.messages[0] ?? null, warm: compilerWarm },
    tfjs: {
      download: span(requests, (u) => u.endsWith('/tf.min.js')),
      loadingTfjs: msgAt('sandbox/progress', 'loading-tfjs'),
      startingBackend: msgAt('sandbox/progress', 'starting-backend'),
      loadingModel,
    },
    modelData: {
      download: span(requests, (u) => /\/models\/|\/data\/|\/_gen\/data\/|tfjs-backend-wasm.*\.wasm$/.test(u)),
      deserializeAndWarm: loadingModel !== null && ready ? { start: loadingModel, end: ready.t } : null,
    },
    mainThreadLongTasks: { count: longTasks.length, ms: longTasks.reduce((sum, [, d]) => sum + d, 0) },
    bytes: bytesOf(responses, siteDir),
  };
}

/**
 * Cold navigations, each in a new Chromium with a fresh profile (empty HTTP cache), to the moment Run
 * is ready; then, in the same profile, a second visit to the same page.
 */
export async function coldNavigation(site: SiteServer, siteDir: string, pagePath: string, runs: number, log: (line: string) => void): Promise<{ warmup: ColdNavigationSample; samples: ColdNavigationSample[] }> {
  const all: ColdNavigationSample[] = [];
  for (let i = 0; i <= runs; i++) {
    const b = await openBrowser();
    try {
      const cold = await visit(b, site.url + pagePath, site, siteDir);
      const second = await visit(b, site.url + pagePath, site, siteDir);
      all.push({ cold, second });
      log(`  ${i === 0 ? 'warm-up' : `run ${i}/${runs}`}: Run ready (sandbox) after ${Math.round(cold.runReady)} ms; second visit ${Math.round(second.runReady)} ms`);
    } finally {
      await b.close();
    }
  }
  return { warmup: all[0]!, samples: all.slice(1) };
}
