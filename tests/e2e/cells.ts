import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { LaunchedBrowser } from '../../scripts/browser/launch';
import { LESSON_PAGE, READY_TIMEOUT_MS, type CellPage } from '../../scripts/browser/cells';

export * from '../../scripts/browser/cells';

/**
 * Opens the cell's editor as a student would: scrolls to it and clicks into the code (a page shows
 * highlighted code until then, and loads Monaco only when someone starts editing).
 */
export async function openEditor(cell: Locator): Promise<void> {
  await cell.scrollIntoViewIfNeeded();
  const code = cell.locator('pre[role="textbox"]');
  if (await code.count()) await code.click({ position: { x: 60, y: 14 } });
  await cell.locator('.monaco-editor .view-lines').waitFor({ timeout: READY_TIMEOUT_MS });
}

/** Opens a lesson page, opens the cell's editor and waits until the sandbox reports ready. */
export async function openCell(launched: LaunchedBrowser, baseUrl: string, cellId = 'first-tensor', path = LESSON_PAGE): Promise<CellPage> {
  const page = await launched.context.newPage();
  await page.goto(baseUrl + path);
  const cell = page.locator(`[data-cell-id="${cellId}"]`);
  await openEditor(cell);
  await cell.getByText(/^Ready · /).waitFor({ timeout: READY_TIMEOUT_MS });
  return { page, cell };
}

/**
 * Replaces main.ts the way a student pasting code would: select everything and paste over it.
 * (Typed text would get Monaco's auto-closing brackets and indentation.)
 */
export async function setCode({ page, cell }: CellPage, code: string): Promise<void> {
  await page.evaluate((text) => navigator.clipboard.writeText(text), code);
  await cell.locator('.monaco-editor').click({ position: { x: 80, y: 12 } });
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('ControlOrMeta+V');
  await expect.poll(() => copyAll(page)).toBe(code);
}

/** The whole of main.ts, as Select All + Copy gives it (the editor only renders visible lines). */
async function copyAll(page: Page): Promise<string> {
  await page.evaluate(() => navigator.clipboard.writeText(''));
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('ControlOrMeta+C');
  const text = await page.evaluate(() => navigator.clipboard.readText());
  await page.keyboard.press('ControlOrMeta+End');
  return text;
}

/** The visible text of main.ts in the editor (Monaco renders spaces as no-break spaces). */
export async function editorText(cell: Locator): Promise<string> {
  return cell.locator('.view-lines').evaluate((el) =>
    [...el.querySelectorAll<HTMLElement>('.view-line')]
      .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
      .map((line) => line.textContent!.replace(/\u00a0/g, ' '))
      .join('\n'),
  );
}

/** Reloads the page (as a student pressing F5) and waits until the cell is ready again. */
export async function reload(cp: CellPage): Promise<void> {
  await cp.page.reload();
  // The page shows highlighted code again until someone clicks into it.
  await openEditor(cp.cell);
  await cp.cell.getByText(/^Ready · /).waitFor({ timeout: READY_TIMEOUT_MS });
}

/** Round trip to the page's main thread: stays small while the sandbox is busy or hostile. */
export async function pageRoundTripMs(page: Page): Promise<number> {
  const started = Date.now();
  await page.evaluate(() => document.title);
  return Date.now() - started;
}
