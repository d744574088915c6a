import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStaticServer, type StaticServer } from '../../scripts/staticServer.mjs';
import { launchBrowser, watchPageErrors, type LaunchedBrowser } from '../../scripts/browser/launch';
import { LESSON_PAGE, openEditor, output, READY_TIMEOUT_MS, setCode, waitForEnd } from './cells';

/*
 * After one visit the course needs no network: its service worker precached the whole deployment.
 * A new deployment takes over as a whole, never mixed with the old one. Each test serves its own copy
 * of the build on its own port (a service worker belongs to one origin) and stops it to go offline.
 */

let launched: LaunchedBrowser;
const dirs: string[] = [];

beforeAll(async () => {
  launched = await launchBrowser({ serviceWorkers: true });
});
afterAll(async () => {
  await launched?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** The page's service worker, installed and active (Serwist activates only once the precache is complete). */
async function serviceWorkerActive(page: Page): Promise<void> {
  const state = () => page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.active?.state ?? 'none');
  await expect.poll(state, { timeout: 180_000, interval: 250 }).toBe('activated');
}

async function runCell(page: Page, id: string): Promise<string> {
  const cell = page.locator(`[data-cell-id="${id}"]`);
  await cell.scrollIntoViewIfNeeded();
  await cell.getByText(/^Ready · /).waitFor({ timeout: READY_TIMEOUT_MS });
  await cell.getByRole('button', { name: /^(Run Code|Run again)$/ }).click();
  expect(await waitForEnd(cell, 120_000), await output(cell)).toBe('finished');
  return output(cell);
}

/** A copy of the build that a test may change and serve as a deployment of its own. */
function copyOfBuild(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'course-deploy-'));
  dirs.push(dir);
  cpSync('out', dir, { recursive: true });
  return dir;
}

describe('offline', () => {
  it('opens the lesson, runs its cells and compiles an edit with the network gone, after one visit', { timeout: 300_000 }, async () => {
    const site = copyOfBuild();
    const server: StaticServer = await startStaticServer({ dir: site, port: 0 });
    const origin = server.url;
    const page = await launched.context.newPage();
    await page.goto(origin + LESSON_PAGE);
    await runCell(page, 'first-tensor');
    await serviceWorkerActive(page);
    await page.close();
    await server.close();

    const offline = await launched.context.newPage();
    const problems = watchPageErrors(offline);
    await offline.goto(origin + LESSON_PAGE);
    expect(await runCell(offline, 'first-tensor')).toContain('x · w = Tensor float32 [2, 1]');
    expect(await runCell(offline, 'meet-the-model')).toContain('trainable parameters: 35,622');
    const cell = offline.locator('[data-cell-id="first-tensor"]');
    await openEditor(cell);
    await setCode({ page: offline, cell }, "console.log('offline edit', 6 * 7);\n");
    expect(await runCell(offline, 'first-tensor')).toContain('offline edit 42');
    expect(problems.filter((p) => !/Failed to load resource|net::ERR_CONNECTION_REFUSED/.test(p))).toEqual([]);
    await offline.close();
  });
});

describe('a new deployment', () => {
  it('installs beside the old one, offers a reload, and then serves the new build as a whole', { timeout: 400_000 }, async () => {
    const oldSite = copyOfBuild();
    const newSite = copyOfBuild();
    // The second deployment: a changed lesson page and a changed runtime file, with its own service
    // worker (the same post-build step `npm run build` runs).
    const pageFile = path.join(newSite, 'transfer-learning/transfer-learning/index.html');
    // Marked after </html>: a change inside the page's markup would not match the React tree it hydrates.
    writeFileSync(pageFile, readFileSync(pageFile, 'utf8') + '<!-- deployment 2 -->');
    const vendorFile = path.join(newSite, '_gen/vendor/tf-backend-wasm.min.js');
    writeFileSync(vendorFile, readFileSync(vendorFile, 'utf8') + '\n/* deployment 2 */\n');
    const rebuilt = spawnSync('npx', ['tsx', 'scripts/build-service-worker.ts', newSite], { encoding: 'utf8' });
    expect(rebuilt.status, rebuilt.stderr).toBe(0);
    // Their precompressed twins would be the first deployment's; the server sends the files themselves.
    for (const file of [pageFile, vendorFile, path.join(newSite, 'sw.js')]) for (const twin of ['.br', '.gz']) rmSync(file + twin, { force: true });

    let server = await startStaticServer({ dir: oldSite, port: 0 });
    const origin = server.url;
    const port = Number(new URL(origin).port);
    const page = await launched.context.newPage();
    await page.goto(origin + LESSON_PAGE);
    await serviceWorkerActive(page);
    // Which deployment the page came from: its own document, as the browser holds it.
    const deployment = () => page.evaluate(() => (document.lastChild?.nodeType === Node.COMMENT_NODE && document.lastChild.textContent?.includes('deployment 2') ? 1 : 0));
    const vendorScript = () => page.evaluate(async () => (await fetch('/_gen/vendor/tf-backend-wasm.min.js')).text());

    await server.close();
    server = await startStaticServer({ dir: newSite, port });
    await page.reload();
    // Still the first deployment, whole: its page and its files, although the server has the new one.
    expect(await deployment()).toBe(0);
    expect(await vendorScript()).not.toContain('deployment 2');
    const notice = page.getByRole('status').filter({ hasText: 'A newer version of this course is ready.' });
    await notice.waitFor({ timeout: 180_000 });
    await runCell(page, 'first-tensor');

    await notice.getByRole('button', { name: 'Reload to use it' }).click();
    // The page reloads itself once the new deployment has taken over.
    await expect.poll(deployment, { timeout: 60_000 }).toBe(1);
    expect(await vendorScript()).toContain('deployment 2');
    expect(await runCell(page, 'first-tensor')).toContain('x · w = Tensor float32 [2, 1]');
    // The old deployment's cache is gone: one precache, holding the new files.
    const caches = await page.evaluate(async () => Promise.all((await globalThis.caches.keys()).map(async (name) => [name, (await (await globalThis.caches.open(name)).keys()).length] as const)));
    expect(caches.filter(([name]) => name.includes('precache'))).toHaveLength(1);
    await page.close();
    await server.close();
  });
});
