import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, type LaunchedBrowser } from '../../scripts/browser/launch';
import { PAGE_SANDBOX_GLOBAL } from '../../runtime/boot/pageSandbox';
import { LESSON_PAGE, openEditor, output, READY_TIMEOUT_MS, setCode, waitForEnd } from './cells';

/*
 * A lesson page starts with what the first Run needs and nothing else: unedited code runs as the
 * build compiled it, so neither the compiler nor the editor loads until a student edits.
 */

const baseUrl = inject('baseUrl');
let launched: LaunchedBrowser;

// Each describe is a first visit in a fresh profile: the edit one test saves as a draft must not be
// the code another test's cell runs.
function freshProfile() {
  beforeAll(async () => {
    launched = await launchBrowser();
  });
  afterAll(async () => {
    await launched?.close();
  });
}

describe('start-up', () => {
  freshProfile();
  it('runs unedited cells with the compiler and the editor unreachable; editing loads the compiler and the edited code runs', async () => {
    const page = await launched.context.newPage();
    const editorOrCompiler = /\/_gen\/editor\/|esbuild\.wasm$/;
    const refused: string[] = [];
    await page.route(editorOrCompiler, async (route) => {
      refused.push(new URL(route.request().url()).pathname);
      await route.abort();
    });
    await page.goto(baseUrl + LESSON_PAGE);
    const cell = page.locator('[data-cell-id="first-tensor"]');
    await cell.getByText(/^Ready · /).waitFor({ timeout: READY_TIMEOUT_MS });
    await cell.getByRole('button', { name: 'Run Code' }).click();
    expect(await waitForEnd(cell)).toBe('finished');
    expect(await output(cell)).toContain('x · w = Tensor float32 [2, 1]');

    // An exercise's unedited starter and its check run without a compiler too.
    const exercise = page.locator('[data-cell-id="garment-or-not"]');
    await exercise.scrollIntoViewIfNeeded();
    await exercise.getByRole('button', { name: 'Run Code' }).click();
    expect(await waitForEnd(exercise, 120_000)).toBe('finished');
    await exercise.getByRole('status').filter({ hasText: /^Not yet/ }).waitFor();

    await page.unroute(editorOrCompiler);
    await openEditor(cell);
    expect(refused.filter((path) => path.endsWith('esbuild.wasm'))).toEqual([]);
    await setCode({ page, cell }, "console.log('edited', 6 * 7);\n");
    await cell.getByRole('button', { name: /^(Run Code|Run again)$/ }).click();
    expect(await waitForEnd(cell)).toBe('finished');
    expect(await output(cell)).toContain('edited 42');
    await page.close();
  });
});

describe('a click before the page is ready', () => {
  freshProfile();
  /** A new page whose Next.js scripts are held back until `release()`. */
  async function pageWithScriptsHeld() {
    const page = await launched.context.newPage();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/_next/static/chunks/*.js', async (route) => {
      await held;
      await route.continue();
    });
    return { page, release };
  }

  it('is not lost: Run Code pressed before the page hydrated says it is starting, then runs the cell', async () => {
    // Hold the page's own scripts back, as a slow machine would, so the click lands before hydration.
    const { page, release } = await pageWithScriptsHeld();
    await page.goto(baseUrl + LESSON_PAGE, { waitUntil: 'domcontentloaded' });
    const cell = page.locator('[data-cell-id="first-tensor"]');
    const button = cell.locator('button[data-run-cell]');
    // force: click at once, as a person would, without waiting for the button to look ready.
    await button.click({ force: true });
    expect(await button.getAttribute('data-queued')).toBe('');
    expect(await button.evaluate((b) => getComputedStyle(b, '::after').content)).toBe('"Starting…"');
    // The sandbox does not wait for the page's scripts: its boot script started it, and it gets ready.
    await page.waitForFunction((global) => (window as unknown as Record<string, { host?: { getStatus(): { phase: string } } }>)[global]?.host?.getStatus().phase === 'ready', PAGE_SANDBOX_GLOBAL, { timeout: READY_TIMEOUT_MS, polling: 100 });
    expect(await button.getAttribute('data-run-ready')).toBeNull();
    release();
    expect(await waitForEnd(cell, READY_TIMEOUT_MS)).toBe('finished');
    expect(await output(cell)).toContain('x · w = Tensor float32 [2, 1]');
    expect(await button.getAttribute('data-queued')).toBeNull();
    expect(await cell.getAttribute('data-runs')).toBe('1');
    await page.close();
  });

  it('runs the cell once when Run Code is pressed while React is hydrating (React replays such a click)', async () => {
    const { page, release } = await pageWithScriptsHeld();
    await page.goto(baseUrl + LESSON_PAGE, { waitUntil: 'domcontentloaded' });
    // Clicks in the first task after React has started listening on the document (hydrateRoot) while
    // the button is not yet hydrated: the moment a click is both noted by the early-runs script and
    // queued by React for replay once the button has hydrated.
    const clicked = page.evaluate(
      () =>
        new Promise<string>((resolve, reject) => {
          const button = document.querySelector<HTMLButtonElement>('[data-cell-id="first-tensor"] button[data-run-cell]');
          if (!button) return reject(new Error('no Run button'));
          const started = performance.now();
          const poll = () => {
            if (button.hasAttribute('data-run-ready')) return resolve('too late: the button was already hydrated');
            if (Object.keys(document).some((key) => key.startsWith('_reactListening'))) {
              button.click();
              return resolve('clicked');
            }
            if (performance.now() - started > 60_000) return reject(new Error('React never started hydrating'));
            setTimeout(poll, 0);
          };
          poll();
        }),
    );
    release();
    expect(await clicked).toBe('clicked');
    const cell = page.locator('[data-cell-id="first-tensor"]');
    expect(await waitForEnd(cell, READY_TIMEOUT_MS)).toBe('finished');
    expect(await output(cell)).toContain('x · w = Tensor float32 [2, 1]');
    // Give a second run every chance to start: the next sandbox is warm, and the page is idle.
    await page.waitForFunction((global) => (window as unknown as Record<string, { host?: { getStatus(): { phase: string } } }>)[global]?.host?.getStatus().phase === 'ready', PAGE_SANDBOX_GLOBAL, { timeout: READY_TIMEOUT_MS, polling: 100 });
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
    expect(await cell.getAttribute('data-runs')).toBe('1');
    await page.close();
  });
});

describe('a page whose sandbox boot script did not load', () => {
  freshProfile();
  it('says so in every cell, with what to do, and a Run ends at once with the reason', async () => {
    const page = await launched.context.newPage();
    await page.route('**/_gen/sandbox/boot.js', (route) => route.abort());
    await page.goto(baseUrl + LESSON_PAGE);
    const cell = page.locator('[data-cell-id="first-tensor"]');
    await cell.getByText('The sandbox could not start: its start-up script did not load. Check your connection and reload the page.').waitFor({ timeout: READY_TIMEOUT_MS });
    await cell.getByRole('button', { name: 'Run Code' }).click();
    expect(await waitForEnd(cell)).toBe('failed');
    expect(await output(cell)).toContain('The sandbox could not start: its start-up script did not load.');
    await page.close();
  });
});

describe('a lesson page reached by a link', () => {
  freshProfile();
  it('opens as a document of its own, whose boot script starts its sandbox, and runs a cell', async () => {
    const page = await launched.context.newPage();
    await page.goto(baseUrl + LESSON_PAGE);
    await page.getByRole('link', { name: /Next →/ }).click();
    await page.waitForURL('**/transfer-learning/model-deployment/');
    // Not a client-side render of the page: that would skip the boot script in its HTML.
    expect(await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).name)).toMatch(/\/transfer-learning\/model-deployment\/$/);
    const cell = page.locator('[data-cell-id="your-model"]');
    await cell.scrollIntoViewIfNeeded();
    await cell.getByText(/^Ready · /).waitFor({ timeout: READY_TIMEOUT_MS });
    await cell.getByRole('button', { name: 'Run Code' }).click();
    // Nothing was saved in this fresh profile: the cell's own code says so, from the sandbox.
    expect(await waitForEnd(cell, 120_000)).toBe('failed');
    expect(await output(cell)).toContain('is saved in this browser yet');
    await page.close();
  });
});
