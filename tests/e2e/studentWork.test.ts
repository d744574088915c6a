import { readFileSync } from 'node:fs';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { encodeWorkFile } from '@/components/work/workFile';
import { seriousViolations } from './axe';
import { launchBrowser, watchPageErrors, type LaunchedBrowser } from '../../scripts/browser/launch';
import { LESSON_PAGE, editorText, openEditor, setCode, type CellPage } from './cells';

// Two browsers with profiles of their own: the student's computer at home and another one (a
// classmate's, or the student's at school). Tests run in order, each starting where the last one left.
const baseUrl = inject('baseUrl');
const LESSON = 'transfer-learning';
const DRAFT_KEY = `course:v1:draft:${LESSON}:first-tensor`;
let home: LaunchedBrowser;
let other: LaunchedBrowser;
let homePage: CellPage;
let otherPage: CellPage;
let workFile: { name: string; bytes: Buffer };
let link: string;
const problems: string[] = [];

const HOME_CODE = "// written at home\nconsole.log('home', 1 + 1);";
const OTHER_CODE = "// written on the other computer\nconsole.log('other');";
const SHARED_CODE = "// for a classmate\nconsole.log('shared', [1, 2, 3].map((n) => n * 2));";

/** Opens the lesson page (or `url`) and the first-tensor cell's editor; the sandbox is not needed here. */
async function openLesson(launched: LaunchedBrowser, url = baseUrl + LESSON_PAGE): Promise<CellPage> {
  const page = await launched.context.newPage();
  await page.goto(url);
  const cell = page.locator('[data-cell-id="first-tensor"]');
  await openEditor(cell);
  return { page, cell };
}

const workPanel = (page: Page) => page.getByRole('region', { name: 'Your work' });
const savedDraft = (page: Page) => page.evaluate((key) => (JSON.parse(localStorage.getItem(key) ?? 'null') as { code: string } | null)?.code ?? null, DRAFT_KEY);
const badge = (page: Page, exercise: string) => page.getByRole('list', { name: /^Exercises on page/ }).locator('li', { hasText: exercise }).locator('[data-status]');
const drawingCount = (page: Page) => page.getByRole('region', { name: 'Drawing pad' }).getByRole('list', { name: /^Examples of/ }).getByRole('img').count();

async function chooseWorkFile(page: Page, file: { name: string; buffer: Buffer }): Promise<void> {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), workPanel(page).getByRole('button', { name: 'Restore from a file…' }).click()]);
  await chooser.setFiles({ name: file.name, mimeType: 'application/zip', buffer: file.buffer });
}

beforeAll(async () => {
  [home, other] = [await launchBrowser(), await launchBrowser()];
  for (const launched of [home, other]) launched.context.on('page', (page) => watchPageErrors(page, problems));
  homePage = await openLesson(home);
  otherPage = await openLesson(other);
});
afterAll(async () => {
  await home?.close();
  await other?.close();
});

describe('download my work, restore it elsewhere', () => {
  it('downloads one zip with every edited cell, the exercises\' progress and the drawings', async () => {
    const { page } = homePage;
    await setCode(homePage, HOME_CODE);
    // Progress and drawings as the exercise and the drawing pad save them.
    await page.evaluate((lesson) => {
      localStorage.setItem(`course:v1:progress:${lesson}:freeze-blocks`, 'passed');
      const pixels = btoa(String.fromCharCode(...Array.from({ length: 784 }, (_, i) => (i % 28 > 10 && i % 28 < 18 ? 255 : 0))));
      localStorage.setItem(`course:v1:drawings:${lesson}`, JSON.stringify({ classes: ['circle', 'cross'], examples: [{ label: 0, pixels }, { label: 1, pixels }] }));
    }, LESSON);
    // Straight after typing: the cell's pending save is flushed before the work is read.
    const [download] = await Promise.all([page.waitForEvent('download'), workPanel(page).getByRole('button', { name: 'Download my work' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^transfer-learning-work-\d{4}-\d{2}-\d{2}\.zip$/);
    workFile = { name: download.suggestedFilename(), bytes: readFileSync((await download.path())!) };
    await expect.poll(() => workPanel(page).getByRole('status').innerText()).toMatch(/^Saved transfer-learning-work-.*: 1 edited cell, 1 exercise passed, 2 drawings\.$/);

    const files = unzipSync(workFile.bytes);
    expect(strFromU8(files['cells/first-tensor/main.ts']!)).toBe(HOME_CODE);
    const manifest = JSON.parse(strFromU8(files['manifest.json']!)) as Record<string, unknown>;
    expect(manifest).toMatchObject({ format: 'course-work', version: 1, lesson: LESSON, progress: { 'freeze-blocks': 'passed' }, drawings: { classes: ['circle', 'cross'] } });
    expect(manifest.cells).toEqual([{ id: 'first-tensor', starterHash: expect.any(String), savedAt: expect.any(Number) }]);
  });

  it('on another browser, shows what the file replaces and asks first; Cancel changes nothing', async () => {
    const { page, cell } = otherPage;
    await setCode(otherPage, OTHER_CODE);
    await chooseWorkFile(page, { name: workFile.name, buffer: workFile.bytes });
    const dialog = page.getByRole('dialog', { name: `Restore your work from “${workFile.name}”?` });
    await dialog.waitFor();
    const text = await dialog.innerText();
    expect(text).toContain('first-tensor (page 1): your edit is replaced by the one in the file');
    expect(text).toContain('Exercise Freeze the right layers: not started becomes passed');
    expect(text).toContain("Drawings: the file's 2 drawings in 2 classes (this browser has none)");
    expect(await dialog.getByRole('button', { name: 'Cancel' }).evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await savedDraft(page)).toBe(OTHER_CODE);
    expect(await editorText(cell)).toBe(OTHER_CODE);
    expect(await badge(page, 'Freeze the right layers').getAttribute('data-status')).toBe('not-started');
  });

  it('restores on confirmation: the open cell, the outline and the drawing pad show it at once; Undo puts it back', async () => {
    const { page, cell } = otherPage;
    await chooseWorkFile(page, { name: workFile.name, buffer: workFile.bytes });
    const dialog = page.getByRole('dialog', { name: /^Restore your work/ });
    await dialog.getByRole('button', { name: 'Replace my work' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => editorText(cell)).toBe(HOME_CODE);
    expect(await savedDraft(page)).toBe(HOME_CODE);
    await expect.poll(() => badge(page, 'Freeze the right layers').getAttribute('data-status')).toBe('passed');
    await expect.poll(() => drawingCount(page)).toBe(2);
    expect(await workPanel(page).getByRole('status').innerText()).toMatch(/^Restored your work from “transfer-learning-work-.*\.zip”\.\s*Undo the restore$/);

    await workPanel(page).getByRole('button', { name: 'Undo the restore' }).click();
    await expect.poll(() => editorText(cell)).toBe(OTHER_CODE);
    await expect.poll(() => badge(page, 'Freeze the right layers').getAttribute('data-status')).toBe('not-started');
    await expect.poll(() => drawingCount(page)).toBe(0);

    // Restored for good: it is still there after a reload.
    await chooseWorkFile(page, { name: workFile.name, buffer: workFile.bytes });
    await page.getByRole('dialog', { name: /^Restore your work/ }).getByRole('button', { name: 'Replace my work' }).click();
    await expect.poll(() => savedDraft(page)).toBe(HOME_CODE);
    await page.reload();
    await openEditor(cell);
    await expect.poll(() => editorText(cell)).toBe(HOME_CODE);
  });

  it('refuses a file from another lesson, of another version, damaged or not a zip, with a clear message, changing nothing', async () => {
    const { page } = otherPage;
    const manifest = JSON.parse(strFromU8(unzipSync(workFile.bytes)['manifest.json']!)) as Record<string, unknown>;
    const bad: [string, Buffer, RegExp][] = [
      [
        'other-lesson.zip',
        Buffer.from(encodeWorkFile({ lesson: 'image-basics', createdAt: new Date().toISOString(), cells: [], progress: [], drawings: { classes: [], examples: [] } })),
        /another lesson \("image-basics"\), not for this one \("transfer-learning"\)/,
      ],
      ['newer.zip', Buffer.from(zipSync({ 'manifest.json': strToU8(JSON.stringify({ ...manifest, version: 2 })) })), /newer version of the course \(work format 2/],
      ['cut-off.zip', workFile.bytes.subarray(0, workFile.bytes.length - 40), /damaged or incomplete/],
      ['notes.zip', Buffer.from('these are my notes, not a zip'), /cannot be opened as a zip/],
    ];
    for (const [name, buffer, message] of bad) {
      await chooseWorkFile(page, { name, buffer });
      await expect.poll(() => workPanel(page).getByRole('alert').innerText(), { message: name }).toMatch(message);
      expect(await workPanel(page).getByRole('alert').innerText()).toMatch(/Nothing was changed\.$/);
      expect(await page.getByRole('dialog').count()).toBe(0);
      expect(await savedDraft(page)).toBe(HOME_CODE);
    }
  });
});

describe('share a cell by link', () => {
  it('copies a link that holds the cell\'s code in its fragment', async () => {
    const { page, cell } = homePage;
    await setCode(homePage, SHARED_CODE);
    await cell.getByRole('button', { name: 'Copy link' }).click();
    await cell.getByRole('status').filter({ hasText: 'Link copied.' }).waitFor();
    link = await page.evaluate(() => navigator.clipboard.readText());
    expect(link).toMatch(new RegExp(`^${baseUrl}${LESSON_PAGE}#share=1\\.first-tensor\\.[A-Za-z0-9_-]+$`));
  });

  it('opens with the shared code and a notice, leaves the saved edit alone, and goes back to it', async () => {
    const page = await other.context.newPage();
    await page.goto(link);
    const cell = page.locator('[data-cell-id="first-tensor"]');
    const notice = cell.getByRole('region', { name: 'Shared code' });
    await notice.waitFor();
    await expect.poll(() => notice.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await notice.innerText()).toMatch(/Your own version is saved and unchanged/);
    expect(await cell.locator('pre[role="textbox"]').innerText()).toContain("console.log('shared'");
    const opened: CellPage = { page, cell };
    await openEditor(cell);
    await expect.poll(() => editorText(cell)).toBe(SHARED_CODE);
    expect(await savedDraft(page)).toBe(HOME_CODE);
    expect(await seriousViolations(page)).toEqual([]);

    // Edits to shared code are not saved either.
    await setCode(opened, `${SHARED_CODE}\n// tried something`);
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    expect(await savedDraft(page)).toBe(HOME_CODE);

    await notice.getByRole('button', { name: 'Back to my code' }).click();
    await notice.waitFor({ state: 'detached' });
    await expect.poll(() => editorText(cell)).toBe(HOME_CODE);
    expect(new URL(page.url()).hash).toBe('');
    await page.close();
  });

  it('keeps the shared code only when the student chooses to', async () => {
    const { page, cell } = await openLesson(other, link);
    await cell.getByRole('region', { name: 'Shared code' }).getByRole('button', { name: 'Keep this code' }).click();
    await expect.poll(() => savedDraft(page)).toBe(SHARED_CODE);
    expect(new URL(page.url()).hash).toBe('');
    await page.reload();
    await openEditor(cell);
    await expect.poll(() => editorText(cell)).toBe(SHARED_CODE);
    expect(await cell.getByRole('region', { name: 'Shared code' }).count()).toBe(0);
    await page.close();
  });

  it('says plainly when a link is cut off, oversized, or for a cell the page does not have, and opens nothing', async () => {
    const page = await other.context.newPage();
    const cases: [string, RegExp][] = [
      [link.slice(0, -15), /damaged or incomplete/],
      [`${baseUrl}${LESSON_PAGE}#share=1.first-tensor.${'A'.repeat(9_000)}`, /too long to hold a shared cell/],
      [link.replace('.first-tensor.', '.no-such-cell.'), /shares code for the cell "no-such-cell", which is not on this page/],
      [link.replace('#share=1.', '#share=9.'), /newer version of the course/],
    ];
    for (const [url, message] of cases) {
      await page.goto('about:blank');
      await page.goto(url);
      const alert = page.getByRole('main').getByRole('alert').filter({ hasText: message });
      await alert.waitFor();
      expect(await alert.innerText()).toMatch(/your own code is unchanged/i);
      expect(await page.getByRole('region', { name: 'Shared code' }).count()).toBe(0);
      expect(await savedDraft(page)).toBe(SHARED_CODE);
    }
    await page.close();
  });

  it('refuses to make a link for code too long for one, and says what to do instead', async () => {
    const words = ['tensor', 'layer', 'batch', 'epoch', 'weights', 'frozen', 'head', 'softmax'];
    let seed = 11;
    const long = Array.from({ length: 1_500 }, (_, i) => `const v${i} = '${Array.from({ length: 6 }, () => words[(seed = (seed * 16807) % 2147483647) % words.length]).join(' ')}${seed % 997}';`).join('\n');
    await setCode(homePage, long);
    await homePage.cell.getByRole('button', { name: 'Copy link' }).click();
    await homePage.cell.getByRole('alert').filter({ hasText: /too long to share as a link.*Download my work/ }).waitFor();
  });

  it('raised no uncaught errors on any of its pages', () => {
    expect(problems.filter((problem) => problem.startsWith('pageerror'))).toEqual([]);
  });
});

