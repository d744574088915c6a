import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { seriousViolations } from './axe';
import { launchBrowser, watchPageErrors, type LaunchedBrowser } from '../../scripts/browser/launch';
import { LESSON_PAGE, READY_TIMEOUT_MS, openCell, openEditor, output, run, setCode, waitForEnd } from './cells';

const baseUrl = inject('baseUrl');
let launched: LaunchedBrowser;
const problems: string[] = [];

beforeAll(async () => {
  launched = await launchBrowser();
  launched.context.on('page', (page) => watchPageErrors(page, problems));
});
afterAll(async () => {
  await launched?.close();
});

/** Every page of the site: the index, each lesson page it links to, and the not-found page. */
async function sitePages(): Promise<string[]> {
  const page = await launched.context.newPage();
  await page.goto(baseUrl + '/');
  const hrefs = await page.locator('main a[href^="/"]').evaluateAll((links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
  await page.close();
  return ['/', ...new Set(hrefs), '/404'];
}

/**
 * Opens a page in a theme. On a lesson page the first cell's editor is opened, so both ways code is
 * shown get checked: Monaco there, the build's highlighted code in every other cell.
 */
async function openInTheme(path: string, colorScheme: 'light' | 'dark'): Promise<Page> {
  const page = await launched.context.newPage();
  await page.emulateMedia({ colorScheme });
  await page.goto(baseUrl + path);
  const cell = page.locator('[data-cell-id]').first();
  if ((await cell.count()) > 0) await openEditor(cell);
  return page;
}

/** Presses Tab until `target` has focus; fails after `limit` presses. */
async function tabTo(page: Page, target: Locator, limit = 60, key = 'Tab'): Promise<void> {
  for (let i = 0; i < limit; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press(key);
  }
  expect(await target.evaluate((el) => el === document.activeElement), `${key} did not reach the control within ${limit} presses`).toBe(true);
}

const announcer = (cell: Locator) => cell.locator('[data-run-announcer]');

describe('accessibility (axe-core on the built pages)', () => {
  it('finds no serious or critical violation on any page, in light and dark themes', async () => {
    const paths = await sitePages();
    expect(paths).toEqual(expect.arrayContaining(['/', LESSON_PAGE, '/transfer-learning/model-deployment/', '/404']));
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const path of paths) {
        const page = await openInTheme(path, colorScheme);
        expect(await seriousViolations(page), `${path} (${colorScheme})`).toEqual([]);
        await page.close();
      }
    }
  });

  it('finds none after a run either: status, output, memory warning and the editor\'s markers, in both themes', async () => {
    const cp = await openCell(launched, baseUrl);
    for (const colorScheme of ['light', 'dark'] as const) {
      // The page and the editor follow the system theme live.
      await cp.page.emulateMedia({ colorScheme });
      expect(await run(cp)).toBe('finished');
      expect(await seriousViolations(cp.page), colorScheme).toEqual([]);
    }
    await cp.page.close();
  });
});

describe('screen readers', () => {
  it('hear that a run started and how it ended with its first error, not every line of a flood', async () => {
    const cp = await openCell(launched, baseUrl);
    const log = cp.cell.getByRole('log');
    // The output is read on demand; errors and statuses inside the pane do not speak up by themselves.
    expect(await log.getAttribute('aria-live')).toBe('off');
    await cp.page.evaluate(() => {
      const spoken: string[] = [];
      (window as unknown as { spoken: string[] }).spoken = spoken;
      const region = document.querySelector('[data-cell-id="first-tensor"] [data-run-announcer]')!;
      new MutationObserver(() => spoken.push(region.textContent ?? '')).observe(region, { childList: true, characterData: true, subtree: true });
    });
    await setCode(cp, "for (let i = 0; i < 3000; i++) console.log('line', i);\nthrow new RangeError('boom');");
    expect(await run(cp)).toBe('failed');
    expect(await output(cp.cell)).toContain('line 2999');
    const spoken = await cp.page.evaluate(() => (window as unknown as { spoken: string[] }).spoken.filter(Boolean));
    expect(spoken[0]).toBe('Run started.');
    expect(spoken.at(-1)).toMatch(/^Run failed after [\d.]+ (milli)?seconds: RangeError: boom, at line 2\.$/);
    expect(new Set(spoken).size).toBeLessThanOrEqual(3);
    expect(await announcer(cp.cell).getAttribute('role')).toBe('status');
    expect(await log.locator('[role="alert"], [aria-live="polite"], [aria-live="assertive"]').count()).toBe(0);
    await cp.page.close();
  });
});

describe('the keyboard', () => {
  it('completes an exercise by keyboard alone: outline link, Show solution, Run Code, and hears that it passed', async () => {
    const page = await launched.context.newPage();
    await page.goto(baseUrl + LESSON_PAGE);
    const cell = page.locator('[data-cell-id="freeze-blocks"]');
    await tabTo(page, page.getByRole('navigation', { name: 'Lesson outline' }).getByRole('link', { name: 'Freeze the right layers' }));
    await page.keyboard.press('Enter');
    await page.waitForURL('**#exercise-freeze-blocks');
    await cell.getByText(/^Ready · /).waitFor({ timeout: READY_TIMEOUT_MS });

    await tabTo(page, cell.getByRole('button', { name: 'Show solution' }), 10);
    // Focus is visible where the keyboard is.
    expect(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).not.toBe('none');
    await page.keyboard.press('Enter');
    const confirm = cell.getByRole('alertdialog', { name: 'Show the solution' });
    await expect.poll(() => confirm.getByRole('button', { name: 'Cancel' }).evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await cell.getByText('main.ts now holds the solution.').waitFor();

    // Run Code is in the toolbar above the message (Tab would go on into the editor).
    await tabTo(page, cell.getByRole('button', { name: 'Run Code' }), 10, 'Shift+Tab');
    await page.keyboard.press('Enter');
    expect(await waitForEnd(cell)).toBe('finished');
    await expect.poll(() => announcer(cell).textContent()).toMatch(/^Run finished in .*Exercise passed: the check found nothing to fix\.$/);
    await expect.poll(() => page.getByRole('list', { name: 'Exercises on page 1' }).locator('li', { hasText: 'Freeze the right layers' }).locator('[data-status]').getAttribute('data-status')).toBe('passed');
    await page.close();
  });

  it('documents the shortcuts on the page, and they do what it says: Ctrl+Enter runs, Esc stops, Ctrl+M frees Tab', async () => {
    const cp = await openCell(launched, baseUrl);
    const { page, cell } = cp;
    const help = page.getByRole('group').filter({ hasText: 'Keyboard shortcuts' });
    await help.locator('summary').click();
    expect(await help.innerText()).toMatch(/Ctrl\s*\+\s*Enter\s*Run the code cell[\s\S]*Esc\s*Stop the cell's run[\s\S]*Ctrl\s*\+\s*M/);
    expect(await cell.getByRole('button', { name: 'Run Code' }).getAttribute('aria-keyshortcuts')).toContain('Control+Enter');

    await setCode(cp, "for (let i = 0; ; i++) { await new Promise((r) => setTimeout(r, 50)); if (i === 3) console.log('still going'); }");
    const runs = Number(await cell.getAttribute('data-runs'));
    // From the OUTPUT pane (not the editor): the cell's own shortcut.
    await cell.getByRole('log').focus();
    await page.keyboard.press('Control+Enter');
    await cell.getByRole('log').getByText('still going').waitFor();
    expect(Number(await cell.getAttribute('data-runs'))).toBe(runs + 1);
    await page.keyboard.press('Escape');
    expect(await waitForEnd(cell)).toBe('stopped');

    // In the editor Tab indents until Ctrl+M; then Tab leaves the editor for the next control.
    await cell.locator('.monaco-editor').click({ position: { x: 80, y: 12 } });
    // The editor shows that it has focus with a ring around it, not only a caret.
    // (The box is the cell's CSS-module class `editor`, around Monaco's own element.)
    const ring = await cell.locator('.monaco-editor').evaluate((el) => getComputedStyle(el.parentElement!.closest('[class*="_editor"]')!, '::after').borderTopWidth);
    expect(ring).toBe('2px');
    await page.keyboard.press('Control+M');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.closest('.monaco-editor') === null)).toBe(true);
    await page.close();
  });

  it('raised no uncaught errors on any of its pages', () => {
    expect(problems.filter((problem) => problem.startsWith('pageerror'))).toEqual([]);
  });
});
