import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, watchPageErrors, type LaunchedBrowser } from '../../scripts/browser/launch';
import { LESSON_PAGE, READY_TIMEOUT_MS, openEditor, setCode, waitForEnd, type CellPage } from './cells';

// A 375 px phone with touch (the narrowest common one): the lesson must stay usable on it.
const WIDTH = 375;
const baseUrl = inject('baseUrl');
let phone: LaunchedBrowser;
let cp: CellPage;
const problems: string[] = [];

beforeAll(async () => {
  phone = await launchBrowser({ viewport: { width: WIDTH, height: 812 }, phone: true });
  phone.context.on('page', (page) => watchPageErrors(page, problems));
  const page = await phone.context.newPage();
  await page.goto(baseUrl + LESSON_PAGE);
  const cell = page.locator('[data-cell-id="first-tensor"]');
  await openEditor(cell);
  // The sandbox's status line is hidden on a phone; the element still says when it is ready.
  await cell.locator('[data-phase="ready"]').waitFor({ state: 'attached', timeout: READY_TIMEOUT_MS });
  cp = { page, cell };
});
afterAll(async () => {
  await phone?.close();
});

const sidewaysScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

/** The control is on screen in full, across the phone's width, and big enough to hit with a finger. */
async function expectTappable(control: Locator): Promise<void> {
  await control.scrollIntoViewIfNeeded();
  const box = (await control.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(WIDTH);
  expect(box.height).toBeGreaterThanOrEqual(24);
  expect(await control.isVisible()).toBe(true);
}

describe('on a 375 px phone with touch', () => {
  it('no page scrolls sideways, in light or dark', async () => {
    for (const path of ['/', LESSON_PAGE, '/transfer-learning/model-deployment/']) {
      const page = await phone.context.newPage();
      await page.goto(baseUrl + path);
      expect(await sidewaysScroll(page), path).toBeLessThanOrEqual(0);
      await page.emulateMedia({ colorScheme: 'dark' });
      expect(await sidewaysScroll(page), `${path} (dark)`).toBeLessThanOrEqual(0);
      await page.close();
    }
  });

  it('runs a cell with a tap and shows readable output, still without sideways scroll', async () => {
    const run = cp.cell.getByRole('button', { name: 'Run Code' });
    await expectTappable(run);
    await run.tap();
    expect(await waitForEnd(cp.cell)).toBe('finished');
    const log = cp.cell.getByRole('log');
    expect(await log.innerText()).toContain('backend:');
    const box = (await log.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(WIDTH);
    expect(await log.evaluate((el) => parseFloat(getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(12);
    // Long lines wrap inside the pane instead of widening the page.
    expect(await log.locator('[data-level="log"]').first().evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    expect(await sidewaysScroll(cp.page)).toBeLessThanOrEqual(0);
  });

  it('stops a long run with a tap on Stop', async () => {
    await setCode(cp, "for (let i = 0; ; i++) { await new Promise((r) => setTimeout(r, 50)); if (i === 2) console.log('running'); }");
    await cp.cell.getByRole('button', { name: 'Run Code' }).tap();
    await cp.cell.getByRole('log').getByText('running').waitFor();
    const stop = cp.cell.getByRole('button', { name: 'Stop', exact: true });
    await expectTappable(stop);
    await stop.tap();
    expect(await waitForEnd(cp.cell)).toBe('stopped');
    expect(await sidewaysScroll(cp.page)).toBeLessThanOrEqual(0);
  });

  it('reaches Run Code with Tab from the text above the cell, and Enter runs it', async () => {
    await setCode(cp, "console.log('by keyboard');");
    // Where a reader who scrolled to the cell starts: the paragraph just before it.
    const before = cp.cell.locator('xpath=preceding-sibling::*[1]');
    await before.scrollIntoViewIfNeeded();
    await before.click();
    const run = cp.cell.getByRole('button', { name: 'Run Code' });
    for (let i = 0; i < 6 && !(await run.evaluate((el) => el === document.activeElement)); i++) await cp.page.keyboard.press('Tab');
    expect(await run.evaluate((el) => el === document.activeElement)).toBe(true);
    const runs = Number(await cp.cell.getAttribute('data-runs'));
    await cp.page.keyboard.press('Enter');
    expect(await waitForEnd(cp.cell)).toBe('finished');
    expect(Number(await cp.cell.getAttribute('data-runs'))).toBe(runs + 1);
    expect(await cp.cell.getByRole('log').innerText()).toContain('by keyboard');
  });

  it('has Download my work and Restore on the phone too', async () => {
    const panel = cp.page.getByRole('region', { name: 'Your work' });
    const download = panel.getByRole('button', { name: 'Download my work' });
    await expectTappable(download);
    await expectTappable(panel.getByRole('button', { name: 'Restore from a file…' }));
    const [file] = await Promise.all([cp.page.waitForEvent('download'), download.tap()]);
    expect(file.suggestedFilename()).toMatch(/^transfer-learning-work-.*\.zip$/);
  });

  it('raised no uncaught errors on any of its pages', () => {
    expect(problems.filter((problem) => problem.startsWith('pageerror'))).toEqual([]);
  });
});
