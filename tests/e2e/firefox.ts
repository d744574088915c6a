import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type ElementHandle, type Page } from 'puppeteer-core';
import { findFirefox } from '../../scripts/browser/launch';
import { LESSON_PAGE, READY_TIMEOUT_MS, RUN_TIMEOUT_MS, type EndStatus } from './cells';

/*
 * Firefox, driven over WebDriver BiDi with puppeteer-core. (playwright-core 1.65 drives Firefox over
 * BiDi too, but starts every context with emulation.setMediaFeaturesOverride, which Firefox ESR 153
 * does not know, so it cannot open a page there.) The helpers mirror cells.ts for Chromium.
 */

export interface LaunchedFirefox {
  browser: Browser;
  close(): Promise<void>;
}

/** Launches headless Firefox with a fresh profile that is deleted again on close. */
export async function launchFirefox(): Promise<LaunchedFirefox> {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'course-firefox-'));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: findFirefox(),
    headless: true,
    userDataDir: profile,
    defaultViewport: { width: 1280, height: 900 },
    extraPrefsFirefox: {
      // Quiet and offline, like the Chromium flags: no update, telemetry or settings downloads.
      'app.update.enabled': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      'services.settings.server': 'http://127.0.0.1:9/',
      'network.captive-portal-service.enabled': false,
    },
  });
  return {
    browser,
    async close() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Collects console errors and uncaught page errors, as watchPageErrors does for Chromium. */
export function watchFirefoxErrors(page: Page, problems: string[] = []): string[] {
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console.error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${String(error)}`));
  return problems;
}

export interface FirefoxCell {
  page: Page;
  /** CSS selector of the cell. */
  cell: string;
}

const readyStatus = (cell: string) =>
  [...document.querySelectorAll(`${cell} [role="status"]`)].some((el) => el.textContent?.startsWith('Ready · '));

/**
 * Opens the cell's editor as a student would (a page shows highlighted code until someone clicks into
 * it, and loads Monaco then), and waits until the sandbox reports ready.
 */
async function waitUntilReady({ page, cell }: FirefoxCell): Promise<void> {
  await page.$eval(cell, (el) => el.scrollIntoView({ block: 'center' }));
  const code = await page.$(`${cell} pre[role="textbox"]`);
  if (code) {
    await code.click({ offset: { x: 60, y: 14 } });
    await code.dispose();
  }
  await page.waitForSelector(`${cell} .monaco-editor .view-lines`, { timeout: READY_TIMEOUT_MS });
  await page.waitForFunction(readyStatus, { timeout: READY_TIMEOUT_MS }, cell);
}

export async function openFirefoxCell(browser: Browser, baseUrl: string, cellId = 'first-tensor', problems?: string[]): Promise<FirefoxCell> {
  const page = await browser.newPage();
  if (problems) watchFirefoxErrors(page, problems);
  await page.goto(baseUrl + LESSON_PAGE);
  const fc = { page, cell: `[data-cell-id="${cellId}"]` };
  await waitUntilReady(fc);
  return fc;
}

export async function reloadFirefoxCell(fc: FirefoxCell): Promise<void> {
  await fc.page.reload();
  await waitUntilReady(fc);
}

/** The sandbox's status line once ready: its text and its title (which backend, and why). */
export function readyText({ page, cell }: FirefoxCell): Promise<{ text: string; title: string }> {
  return page.$eval(cell, (el) => {
    const status = [...el.querySelectorAll('[role="status"]')].find((s) => s.textContent?.startsWith('Ready · '));
    return { text: status?.textContent ?? '', title: status?.getAttribute('title') ?? '' };
  });
}

/** The whole of main.ts as Monaco renders it (the lesson's cells are short enough to be all on screen). */
export function editorText({ page, cell }: FirefoxCell): Promise<string> {
  return page.$eval(`${cell} .view-lines`, (el) =>
    [...el.querySelectorAll<HTMLElement>('.view-line')]
      .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
      .map((line) => line.textContent!.replace(/\u00a0/g, ' '))
      .join('\n'),
  );
}

/**
 * Replaces main.ts as a student pasting would: the text goes to the clipboard, then Ctrl+A and
 * Ctrl+V in Monaco's focused textarea (typed text would get Monaco's auto-closing brackets and
 * indentation).
 */
export async function setFirefoxCode(fc: FirefoxCell, code: string): Promise<void> {
  const { page, cell } = fc;
  // A click in the editor, as a student's: it focuses Monaco's textarea and gives the page the user
  // activation Firefox wants for a clipboard write (BiDi's own activation is not always enough).
  await page.click(`${cell} .monaco-editor .view-lines`);
  await page.evaluate((text) => navigator.clipboard.writeText(text), code);
  await page.focus(`${cell} .monaco-editor textarea`);
  await page.keyboard.down('Control');
  await page.keyboard.press('KeyA');
  await page.keyboard.press('KeyV');
  await page.keyboard.up('Control');
  await page.waitForFunction(
    (sel, expected) => {
      const lines = [...document.querySelectorAll<HTMLElement>(`${sel} .view-line`)].sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top));
      return lines.map((line) => line.textContent!.replace(/\u00a0/g, ' ')).join('\n') === expected;
    },
    {},
    cell,
    code,
  );
}

/** Clicks the button of the cell whose text matches; waits until it exists. */
export async function clickButton({ page, cell }: FirefoxCell, name: RegExp): Promise<void> {
  const handle = await page.waitForFunction(
    (sel, source) => [...document.querySelectorAll<HTMLButtonElement>(`${sel} button`)].find((b) => new RegExp(source).test(b.textContent?.trim() ?? '') && !b.disabled) ?? false,
    {},
    cell,
    name.source,
  );
  await (handle.asElement() as ElementHandle<HTMLButtonElement>).click();
  await handle.dispose();
}

const runCount = (cell: string) => Number(document.querySelector(cell)?.getAttribute('data-runs'));

/** Clicks Run Code and resolves once that new run has started. */
export async function startFirefoxRun(fc: FirefoxCell): Promise<void> {
  const before = await fc.page.evaluate(runCount, fc.cell);
  await clickButton(fc, /^(Run Code|Run again)$/);
  await fc.page.waitForFunction((sel, n) => Number(document.querySelector(sel)?.getAttribute('data-runs')) === n, {}, fc.cell, before + 1);
}

export async function waitForFirefoxEnd({ page, cell }: FirefoxCell, timeout = RUN_TIMEOUT_MS): Promise<EndStatus> {
  const ended = await page.waitForFunction((sel) => {
    const status = document.querySelector(sel)?.getAttribute('data-run-status');
    return status === 'finished' || status === 'failed' || status === 'stopped' ? status : false;
  }, { timeout }, cell);
  return (await ended.jsonValue()) as EndStatus;
}

export async function runFirefox(fc: FirefoxCell, timeout = RUN_TIMEOUT_MS): Promise<EndStatus> {
  await startFirefoxRun(fc);
  return waitForFirefoxEnd(fc, timeout);
}

export function firefoxOutput({ page, cell }: FirefoxCell): Promise<string> {
  return page.$eval(`${cell} [role="log"]`, (el) => (el as HTMLElement).innerText);
}
