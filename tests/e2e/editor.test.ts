import type { Locator, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, watchForeignRequests, watchPageErrors, type LaunchedBrowser } from '../../scripts/browser/launch';
import { READY_TIMEOUT_MS, waitForEnd } from './cells';

const baseUrl = inject('baseUrl');
const LESSON_PAGE = '/transfer-learning/transfer-learning/';
const CELL = '[data-cell-id="first-tensor"]';
const EDITOR_LOAD_MS = 45_000;

let launched: LaunchedBrowser;
let foreign: string[];
const editorRequests: string[] = [];
beforeAll(async () => {
  launched = await launchBrowser();
  foreign = watchForeignRequests(launched.context, baseUrl);
  launched.context.on('request', (request) => {
    if (request.url().includes('/_gen/editor/')) editorRequests.push(new URL(request.url()).pathname);
  });
});
afterAll(async () => {
  await launched?.close();
});

/** Monaco renders spaces as no-break spaces. */
function visibleText(text: string): string {
  return text.replace(/\u00a0/g, ' ');
}

/** The editor's own "Opening the editor…" line (the cell has other status lines, e.g. the sandbox's). */
function editorLoading(cell: Locator): Locator {
  return cell.locator('[data-editor-path] ~ [role="status"]');
}

/** Opens the cell's editor by clicking into its code, and waits until Monaco has replaced the placeholder. */
async function editorReady(cell: Locator): Promise<void> {
  await cell.scrollIntoViewIfNeeded();
  const code = cell.locator('pre[role="textbox"]');
  if (await code.count()) await code.click({ position: { x: 60, y: 14 } });
  await editorShown(cell);
}

/** Waits until Monaco has replaced the placeholder (once something opened the editor). */
async function editorShown(cell: Locator): Promise<void> {
  await cell.locator('.monaco-editor .view-lines').waitFor({ timeout: EDITOR_LOAD_MS });
  await editorLoading(cell).waitFor({ state: 'detached', timeout: EDITOR_LOAD_MS });
}

/** Where the first character of line 1's code is drawn, in the placeholder or the editor (its topmost line). */
function firstCharacterX(cell: Locator, selector: string): Promise<number> {
  return cell.evaluate((root, selector) => {
    const lines = [...root.querySelectorAll<HTMLElement>(selector)].sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top);
    const line = lines[0]!;
    const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement?.matches('[data-line] > [aria-hidden="true"]')) continue; // the placeholder's line number
      const at = node.textContent!.search(/\S/);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + 1);
      return range.getBoundingClientRect().left;
    }
    throw new Error('no text on the line');
  }, selector);
}

/** Luminance (0 dark … 1 light) of the editor's background as rendered. */
function editorLuminance(page: Page): Promise<number> {
  return page.evaluate((selector) => {
    const background = document.querySelector(`${selector} .monaco-editor-background`)!;
    const probe = document.createElement('canvas').getContext('2d')!;
    probe.fillStyle = getComputedStyle(background).backgroundColor;
    probe.fillRect(0, 0, 1, 1);
    const [r, g, b] = probe.getImageData(0, 0, 1, 1).data;
    return (0.2126 * r! + 0.7152 * g! + 0.0722 * b!) / 255;
  }, CELL);
}

async function waitForEditorTheme(page: Page, dark: boolean): Promise<void> {
  await expect.poll(() => editorLuminance(page), { timeout: 5_000 }).toSatisfy((l: number) => (dark ? l < 0.2 : l > 0.8));
}

/** Screen point over `word` where the editor renders it on the line containing `line` (tokens split unpredictably). */
async function pointAtWord(cell: Locator, line: string, word: string): Promise<{ x: number; y: number }> {
  return cell.locator('.view-lines').evaluate(
    (lines, [line, word]) => {
      const rendered = [...lines.querySelectorAll('.view-line')].find((el) => el.textContent!.replace(/\u00a0/g, ' ').includes(line!));
      if (!rendered) throw new Error(`line not rendered: ${line}`);
      const walker = document.createTreeWalker(rendered, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent!.indexOf(word!);
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + word!.length);
        const rect = range.getBoundingClientRect();
        return { x: rect.x + rect.width / 2, y: rect.y + rect.height / 2 };
      }
      throw new Error(`"${word}" not found in one text node of: ${line}`);
    },
    [line, word],
  );
}

/**
 * Points at `target` until Monaco's hover shows text matching `expected`. Each try leaves the editor
 * first, so a hover computed before the worker was ready (or hidden by a late widget) is not stuck.
 */
async function hoverUntil(page: Page, target: () => Promise<{ x: number; y: number }>, expected: RegExp): Promise<void> {
  const hover = page.locator('.monaco-hover:not(.hidden)');
  for (let attempt = 1; ; attempt++) {
    await page.mouse.move(0, 0);
    // Measured on each try: the editor may still be settling its scroll position after an edit.
    const point = await target();
    await page.mouse.move(point.x, point.y, { steps: 3 });
    try {
      await expect.poll(() => hover.allTextContents(), { timeout: 10_000 }).toContainEqual(expect.stringMatching(expected));
      break;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
  await page.mouse.move(0, 0);
}

/** The gutter's line number drawn at the same height as `element` (Monaco positions both by `top`). */
async function lineNumberAt(cell: Locator, element: Locator): Promise<number> {
  const box = (await element.boundingBox())!;
  const numbers = cell.locator('.margin-view-overlays .line-numbers');
  for (const number of await numbers.all()) {
    const numberBox = (await number.boundingBox())!;
    if (Math.abs(numberBox.y + numberBox.height / 2 - (box.y + box.height / 2)) < numberBox.height / 2) return Number(await number.textContent());
  }
  throw new Error('no line number beside the element');
}

describe('code cell editor', () => {
  let page: Page;
  let errors: string[];
  let cell: Locator;

  beforeAll(async () => {
    page = await launched.context.newPage();
    errors = watchPageErrors(page);
    cell = page.locator(CELL);
  });
  afterAll(async () => {
    await page?.close();
  });

  it('shows the starter code highlighted before any editor code loads; a click opens the editor without moving anything', async () => {
    // Hold the editor's manifest until the placeholder has been measured; the editor cannot start without it.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/_gen/editor/manifest.json', async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(baseUrl + LESSON_PAGE);

    const placeholder = cell.locator('pre[role="textbox"]');
    expect(await placeholder.textContent()).toContain('const x = tf.tensor2d([');
    // Highlighted as the editor colours it: the keyword `const` in the keyword colour, not the text's.
    const [keywordColor, textColor] = await placeholder.evaluate((pre) => {
      const keyword = [...pre.querySelectorAll('span[style]')].find((s) => s.textContent === 'const')!;
      return [getComputedStyle(keyword).color, getComputedStyle(pre.querySelector('code')!).color];
    });
    expect(keywordColor).toBe('rgb(0, 0, 255)');
    expect(textColor).not.toBe(keywordColor);
    await cell.scrollIntoViewIfNeeded();
    const cellBefore = (await cell.boundingBox())!;
    const outputBefore = (await cell.getByLabel('Output').boundingBox())!;
    const codeXBefore = await firstCharacterX(cell, '[data-line="1"]');

    await placeholder.click({ position: { x: 60, y: 14 } });
    await expect.poll(() => editorLoading(cell).textContent()).toBe('Opening the editor…');
    release();
    // The click above opened it: clicking the placeholder again would race with its replacement.
    await editorShown(cell);
    expect(await placeholder.count()).toBe(0);
    const cellAfter = (await cell.boundingBox())!;
    const outputAfter = (await cell.getByLabel('Output').boundingBox())!;
    expect(cellAfter.height).toBe(cellBefore.height);
    expect(outputAfter.y).toBe(outputBefore.y);
    expect(Math.abs((await firstCharacterX(cell, '.view-line')) - codeXBefore)).toBeLessThanOrEqual(1);
    await page.unroute('**/_gen/editor/manifest.json');

    const text = visibleText(await cell.locator('.view-lines').innerText());
    expect(text).toContain("import * as tf from '@tensorflow/tfjs';");
    expect(text).toContain('const x = tf.tensor2d([');
    expect(await cell.getByRole('textbox', { name: 'main.ts of code cell first-tensor' }).count()).toBe(1);
  });

  it('starts the TypeScript worker with the first edit, not when the editor opens', async () => {
    expect(editorRequests.filter((p) => p.includes('ts.worker'))).toEqual([]);
    await cell.locator('.view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' ');
    await expect.poll(() => editorRequests.filter((p) => p.includes('ts.worker')).length, { timeout: 30_000 }).toBe(1);
    await page.keyboard.press('Backspace');
  });

  it('types into main.ts and completes tfjs names after "tf." and tensor methods', async () => {
    // Every edit happens on a new last line, which Ctrl+Shift+K (delete line) removes again.
    await cell.locator('.view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('tf.');
    const suggestions = page.locator('.suggest-widget.visible');
    await suggestions.waitFor({ timeout: 30_000 });
    await page.keyboard.type('tensor2');
    await expect.poll(() => suggestions.locator('.monaco-list-row').allTextContents(), { timeout: 30_000 }).toContainEqual(expect.stringMatching(/^tensor2d/));
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Shift+K');

    await page.keyboard.press('Enter');
    await page.keyboard.type('x.');
    await suggestions.waitFor({ timeout: 30_000 });
    await page.keyboard.type('matM');
    await expect.poll(() => suggestions.locator('.monaco-list-row').allTextContents(), { timeout: 30_000 }).toContainEqual(expect.stringMatching(/^matMul/));
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Shift+K');
    await expect.poll(() => cell.locator('.margin-view-overlays .line-numbers').allTextContents()).not.toContain('14');
    expect(visibleText(await cell.locator('.view-lines').innerText())).not.toMatch(/^(tf\.tensor2|x\.matM)$/m);
  });

  it('shows the type of a tfjs call on hover', async () => {
    await page.keyboard.press('Escape');
    await hoverUntil(page, () => pointAtWord(cell, 'const x = tf.tensor2d([', 'tensor2d'), /tensor2d\(values: TensorLike.*Tensor2D/);
  });

  it('underlines a type error on its own line (and nothing in the starter code) and explains it on hover', async () => {
    await cell.locator('.view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    // One edit, so the worker never checks a half-typed line.
    await page.keyboard.insertText("const n: number = 'x';");
    const squiggles = cell.locator('.squiggly-error');
    await squiggles.first().waitFor({ timeout: 30_000 });
    expect(await squiggles.count()).toBe(1);
    expect(await lineNumberAt(cell, squiggles.first())).toBe(14);

    const squiggleCenter = async () => {
      const box = (await squiggles.first().boundingBox())!;
      return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    };
    await hoverUntil(page, squiggleCenter, /Type 'string' is not assignable to type 'number'\./);
  });

  it('runs the cell on Ctrl+Enter instead of inserting a line', async () => {
    await cell.getByText(/^Ready · /).waitFor({ timeout: READY_TIMEOUT_MS });
    expect(await cell.getAttribute('data-run-status')).toBe('idle');
    const lastLine = async () => Math.max(...(await cell.locator('.margin-view-overlays .line-numbers').allTextContents()).map(Number));
    await cell.locator('.view-lines').click();
    await page.keyboard.press('Control+End');
    const before = await lastLine();
    await page.keyboard.press('Control+Enter');
    // Type errors warn but do not block a run, so the cell with its type error runs to the end.
    await expect(waitForEnd(cell)).resolves.toBe('finished');
    expect(await lastLine()).toBe(before);
  });

  it('loads every editor file from this site and logs no errors', async () => {
    expect(errors).toEqual([]);
    expect(foreign).toEqual([]);
    const kinds = editorRequests.map((path) => path.replace(/^\/_gen\/editor\//, '').replace(/-[A-Za-z0-9]{8,10}\./, '-HASH.'));
    expect(new Set(kinds)).toEqual(
      new Set(['manifest.json', 'editor-HASH.js', 'editor-HASH.css', 'types-HASH.json', 'editor.worker-HASH.js', 'ts.worker-HASH.js', 'codicon-HASH.ttf']),
    );
  });
});

describe('editor theme', () => {
  it('follows the system preference and the page theme toggle, live', async () => {
    const page = await launched.context.newPage();
    const errors = watchPageErrors(page);
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(baseUrl + LESSON_PAGE);
    await editorReady(page.locator(CELL));
    await waitForEditorTheme(page, false);

    await page.emulateMedia({ colorScheme: 'dark' });
    await waitForEditorTheme(page, true);
    await page.emulateMedia({ colorScheme: 'light' });
    await waitForEditorTheme(page, false);

    const toggle = page.getByRole('button', { name: /theme/i });
    await toggle.click(); // system -> light
    await waitForEditorTheme(page, false);
    await toggle.click(); // light -> dark
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await waitForEditorTheme(page, true);
    // The editor sits on the page's code background, like the placeholder before it.
    const [editorBackground, codeBackground] = await page.evaluate((selector) => {
      const probe = document.createElement('div');
      probe.style.background = 'var(--code-bg)';
      document.body.append(probe);
      const code = getComputedStyle(probe).backgroundColor;
      probe.remove();
      return [getComputedStyle(document.querySelector(`${selector} .monaco-editor-background`)!).backgroundColor, code];
    }, CELL);
    expect(editorBackground).toBe(codeBackground);
    await toggle.click(); // dark -> system (light here)
    await waitForEditorTheme(page, false);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('page weight', () => {
  it('keeps Monaco out of the JavaScript Next.js ships with the page', async () => {
    const page = await launched.context.newPage();
    const scripts: Response[] = [];
    const onResponse = (response: Response) => {
      if (new URL(response.url()).pathname.startsWith('/_next/') && response.request().resourceType() === 'script') scripts.push(response);
    };
    page.on('response', onResponse);
    await page.goto(baseUrl + LESSON_PAGE);
    await editorReady(page.locator(CELL));
    // Read the bodies of what came until the editor was up; a chunk arriving later is not waited for
    // (reading it would fail once the page is closed).
    page.off('response', onResponse);
    const pageScripts = await Promise.all(scripts.map((response) => response.text()));
    expect(pageScripts.length).toBeGreaterThan(0);
    // A class name only Monaco's own code uses; the loader and the component do not mention it.
    expect(pageScripts.filter((script) => script.includes('monaco-editor-background'))).toEqual([]);
    await page.close();
  });
});
