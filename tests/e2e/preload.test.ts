import type { Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, type LaunchedBrowser } from '../../scripts/browser/launch';
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
  it('is ready before the data has arrived: a cell that needs none runs at once, one that needs it waits for it and then runs', async () => {
    const page = await launched.context.newPage();
    // Hold a data set back until the test lets it through, as a slow network would.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/_gen/lessons/transfer-learning/data/fashion-*.bin', async (route: Route) => {
      await held;
      await route.continue();
    });
    await page.goto(baseUrl + LESSON_PAGE);
    const first = page.locator('[data-cell-id="first-tensor"]');
    const status = first.getByRole('status').filter({ hasText: /Loading|Ready|Starting/ });
    await expect.poll(() => status.innerText(), { timeout: READY_TIMEOUT_MS }).toMatch(/^Ready · (wasm|webgl) · model and data \d+\.\d of \d+\.\d MB$/);

    await first.getByRole('button', { name: 'Run Code' }).click();
    expect(await waitForEnd(first)).toBe('finished');

    const meet = page.locator('[data-cell-id="meet-the-model"]');
    await meet.scrollIntoViewIfNeeded();
    await meet.getByRole('button', { name: 'Run Code' }).click();
    await expect.poll(() => meet.getAttribute('data-run-status'), { timeout: READY_TIMEOUT_MS }).toBe('running');
    expect(await status.innerText()).toMatch(/model and data/);

    release();
    await expect.poll(() => status.innerText(), { timeout: READY_TIMEOUT_MS }).toMatch(/^Ready · (wasm|webgl)$/);
    expect(await waitForEnd(meet)).toBe('finished');
    expect(await output(meet)).toContain('trainable parameters: 35,622');
    await page.close();
  });
});
