/// <reference lib="webworker" />
/**
 * The course's service worker: it precaches every file of one deployment (the list and each file's
 * revision are written in by scripts/build-service-worker.ts) and answers from that cache, so a second
 * visit downloads nothing but this file's revalidation, and the course opens and runs offline after
 * one visit. A new deployment installs beside the old one and takes over only when the page asks
 * (the reader pressed "Reload" on the notice) or when no page of the old one is open, so one page
 * never mixes files of two builds; the old deployment's cache is then deleted.
 */
import { Serwist, type PrecacheEntry } from 'serwist';
import { SKIP_WAITING } from './messages';

declare const self: ServiceWorkerGlobalScope & { __SW_MANIFEST: (PrecacheEntry | string)[] };

const serwist = new Serwist({
  precacheEntries: self.__SW_MANIFEST,
  precacheOptions: {
    // Lesson pages are folders (trailingSlash): /lesson/page/ is /lesson/page/index.html.
    directoryIndex: 'index.html',
    cleanURLs: true,
    // Next's ?_rsc= and the page's own parameters (?backend=) select nothing the cache holds.
    ignoreURLParametersMatching: [/.*/],
    cleanupOutdatedCaches: true,
    concurrency: 4,
  },
  skipWaiting: false,
  clientsClaim: false,
  navigationPreload: false,
  disableDevLogs: true,
});

self.addEventListener('message', (event) => {
  if ((event.data as { type?: unknown } | null)?.type === SKIP_WAITING) void self.skipWaiting();
});

serwist.addEventListeners();
