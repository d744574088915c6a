import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BASE_PATH_BUILD } from './basePathBuild.mjs';
import { launchBrowser, watchPageErrors, type LaunchedBrowser } from '../../scripts/browser/launch';
import { LESSON_PAGE, openEditor, output, READY_TIMEOUT_MS, setCode, waitForEnd } from './cells';

/*
 * The course built with BASE_PATH=/course and served under /course/ (a project site), as
 * `npm test` builds it: every page, script, model and data set comes from below that path.
 */

const basePathUrl = inject('basePathUrl');
let launched: LaunchedBrowser;

beforeAll(async () => {
  launched = await launchBrowser({ serviceWorkers: true });
});
afterAll(async () => {
  await launched?.close();
});

describe(`the course under ${BASE_PATH_BUILD.base}/`, () => {
  it('serves every page, runs cells that use the model and data, compiles an edit, and asks for nothing outside its path', async () => {
    if (basePathUrl === null) throw new Error(`no build under a base path: run \`npm test\`, or BASE_PATH=${BASE_PATH_BUILD.base} EXPORT_DIR=${BASE_PATH_BUILD.dir} npm run build:site`);
    const page = await launched.context.newPage();
    const problems = watchPageErrors(page);
    const outside: string[] = [];
    const failed: string[] = [];
    page.on('request', (request) => {
      const { pathname, protocol } = new URL(request.url());
      if (protocol.startsWith('http') && !pathname.startsWith(BASE_PATH_BUILD.base + '/')) outside.push(pathname);
    });
    page.on('response', (response) => {
      if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
    });
    await page.goto(basePathUrl + '/');
    await page.getByRole('link', { name: /Transfer Learning/ }).first().click();
    await page.waitForURL(`**${BASE_PATH_BUILD.base}${LESSON_PAGE}`);

    for (const id of ['first-tensor', 'meet-the-model']) {
      const cell = page.locator(`[data-cell-id="${id}"]`);
      await cell.scrollIntoViewIfNeeded();
      await cell.getByText(/^Ready · /).waitFor({ timeout: READY_TIMEOUT_MS });
      await cell.getByRole('button', { name: 'Run Code' }).click();
      expect(await waitForEnd(cell, 120_000), await output(cell)).toBe('finished');
    }
    expect(await output(page.locator('[data-cell-id="meet-the-model"]'))).toContain('trainable parameters: 35,622');

    const cell = page.locator('[data-cell-id="first-tensor"]');
    await openEditor(cell);
    await setCode({ page, cell }, "console.log('under a base path', 6 * 7);\n");
    await cell.getByRole('button', { name: /^(Run Code|Run again)$/ }).click();
    expect(await waitForEnd(cell)).toBe('finished');
    expect(await output(cell)).toContain('under a base path 42');

    // The service worker registers once the page has settled, for the sub-path only.
    const scope = () => page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.scope ?? null);
    await expect.poll(scope, { timeout: 120_000, interval: 500 }).toBe(`${basePathUrl}/`);
    expect(outside).toEqual([]);
    expect(failed).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });
});
