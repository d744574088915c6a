import type { Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, type LaunchedBrowser } from './browser';
import { LESSON_PAGE, output, READY_TIMEOUT_MS, waitForEnd } from './cells';

const baseUrl = inject('baseUrl');
let launched: LaunchedBrowser;

beforeAll(async () => {
  launched = await launchBrowser();
});
afterAll(async () => {
  await launched?.close();
});

describe('preloading the model and data', () => {
  it('shows the download in bytes, then "Ready", and a Run pressed before that waits and then runs', async () => {
    const page = await launched.context.newPage();
    // Hold the digits data set back until the test lets it through, as a slow network would.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/_gen/data/digits.bin', async (route: Route) => {
      await held;
      await route.continue();
    });
    await page.goto(baseUrl + LESSON_PAGE);
    const cell = page.locator('[data-cell-id="meet-the-model"]');
    const status = cell.getByRole('status').filter({ hasText: /Loading model and data|Ready|Starting|pretrained/ });
    await expect.poll(() => status.innerText(), { timeout: READY_TIMEOUT_MS }).toMatch(/^Loading model and data… \d+\.\d MB$/);

    await cell.getByRole('button', { name: 'Run Code' }).click();
    expect(await cell.getAttribute('data-run-status')).not.toBe('finished');
    expect(await status.innerText()).toMatch(/^Loading model and data…/);

    release();
    await expect.poll(() => status.innerText(), { timeout: READY_TIMEOUT_MS }).toMatch(/^Ready · (wasm|webgl)$/);
    expect(await waitForEnd(cell)).toBe('finished');
    expect(await output(cell)).toContain('trainable parameters: 36,138');
    await page.close();
  });
});
