import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
const FIREFOX_CANDIDATES = [process.env.FIREFOX_PATH, '/usr/bin/firefox-esr', '/usr/bin/firefox'];

/** The Chromium binary the browser tests drive, or a message saying how to get one. */
export function findChromium(): string {
  const found = CANDIDATES.find((candidate): candidate is string => !!candidate && existsSync(candidate));
  if (!found) {
    throw new Error('No Chromium found. Install Debian\'s "chromium" package (apt-get install chromium) or set CHROMIUM_PATH.');
  }
  return found;
}

/** The Firefox binary the Firefox suite drives (Debian's firefox-esr), or a message saying how to get one. */
export function findFirefox(): string {
  const found = FIREFOX_CANDIDATES.find((candidate): candidate is string => !!candidate && existsSync(candidate));
  if (!found) {
    throw new Error('No Firefox found. Install Debian\'s "firefox-esr" package (apt-get install firefox-esr) or set FIREFOX_PATH.');
  }
  return found;
}

/**
 * Flags from the environment's CHROMIUM_EXTRA_ARGS (space-separated), added to the ones below: e.g.
 * `--disable-gpu-compositing`, to measure what the page costs when frames are not composited through
 * SwiftShader (see the README's Performance section). None in a normal run.
 */
export const CHROMIUM_EXTRA_ARGS = (process.env.CHROMIUM_EXTRA_ARGS ?? '').split(' ').filter(Boolean);

/**
 * Flags for a quiet, offline, reproducible headless Chromium. WebGL comes from SwiftShader (software),
 * pinned so the tfjs backend the tests see does not depend on the machine's GPU.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-default-apps',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--ignore-gpu-blocklist',
  ...CHROMIUM_EXTRA_ARGS,
];

export interface LaunchedBrowser {
  browser: Browser;
  context: BrowserContext;
  close(): Promise<void>;
}

export interface LaunchOptions {
  colorScheme?: 'light' | 'dark';
  viewport?: { width: number; height: number };
  /** A phone: touch events, and the mobile viewport behaviour of <meta name="viewport">. */
  phone?: boolean;
  /**
   * Let the course's service worker install (default: blocked). Once it has precached the course it
   * answers the page's requests itself, so routes a test sets up to hold or refuse files would no
   * longer see them; only the offline tests and the benchmark want it.
   */
  serviceWorkers?: boolean;
}

/** Launches Chromium with a fresh profile directory that is deleted again on close. */
export async function launchBrowser(options: LaunchOptions = {}): Promise<LaunchedBrowser> {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'course-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: findChromium(),
    headless: true,
    args: CHROMIUM_ARGS,
    colorScheme: options.colorScheme ?? 'light',
    viewport: options.viewport ?? { width: 1280, height: 900 },
    hasTouch: options.phone ?? false,
    isMobile: options.phone ?? false,
    serviceWorkers: options.serviceWorkers ? 'allow' : 'block',
    // Tests paste code into the editor as a student would.
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  const browser = context.browser() as Browser;
  return {
    browser,
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Collects what a page reports that a person would call broken: console errors and page errors. */
export function watchPageErrors(page: Page, problems: string[] = []): string[] {
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console.error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  return problems;
}

/**
 * Records every request for another origin that the browser let go out (the offline promise).
 * Requests the Content-Security-Policy refused never leave the browser, so they are not counted;
 * tests that expect such refusals check them with `blockedByPolicy`.
 */
export function watchForeignRequests(page: Page | BrowserContext, origin: string): string[] {
  const foreign: string[] = [];
  const pending = new Map<object, string>();
  page.on('request', (request) => {
    const url = request.url();
    if (url.startsWith('data:') || url.startsWith('blob:') || url.startsWith('about:') || url.startsWith(origin)) return;
    pending.set(request, url);
    foreign.push(url);
  });
  page.on('requestfailed', (request) => {
    const reason = request.failure()?.errorText;
    if (pending.has(request) && (reason === 'csp' || reason === 'net::ERR_BLOCKED_BY_CSP')) {
      foreign.splice(foreign.indexOf(pending.get(request)!), 1);
      blocked.push(pending.get(request)!);
    }
  });
  const blocked: string[] = [];
  blockedByPolicy.set(foreign, blocked);
  return foreign;
}

const blockedByPolicy = new WeakMap<string[], string[]>();

/** The foreign requests that the Content-Security-Policy stopped, for a list from watchForeignRequests. */
export function blockedByCsp(foreign: string[]): string[] {
  return blockedByPolicy.get(foreign) ?? [];
}
