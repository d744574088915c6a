import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, watchForeignRequests, watchPageErrors, type LaunchedBrowser } from '../../scripts/browser/launch';

const baseUrl = inject('baseUrl');
const LESSON_PAGE = '/transfer-learning/transfer-learning/';

let launched: LaunchedBrowser;
beforeAll(async () => {
  launched = await launchBrowser();
});
afterAll(async () => {
  await launched?.close();
});

async function open(path: string, options: { colorScheme?: 'light' | 'dark'; width?: number } = {}) {
  const page = await launched.context.newPage();
  if (options.width) await page.setViewportSize({ width: options.width, height: 844 });
  if (options.colorScheme) await page.emulateMedia({ colorScheme: options.colorScheme });
  const errors = watchPageErrors(page);
  const foreign = watchForeignRequests(page, baseUrl);
  await page.goto(baseUrl + path);
  return { page, errors, foreign };
}

function backgroundLuminance(page: Page): Promise<number> {
  return page.evaluate(() => {
    const probe = document.createElement('canvas').getContext('2d')!;
    probe.fillStyle = getComputedStyle(document.body).backgroundColor;
    probe.fillRect(0, 0, 1, 1);
    const [r, g, b] = probe.getImageData(0, 0, 1, 1).data;
    return (0.2126 * r! + 0.7152 * g! + 0.0722 * b!) / 255;
  });
}

describe('course index', () => {
  it('lists the lessons and their pages in manifest order and links to them', async () => {
    const { page, errors, foreign } = await open('/');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Deep Learning in the Browser');
    const lesson = page.getByRole('link', { name: 'Transfer Learning & Model Deployment' });
    expect(await page.locator('main ol ol li').allTextContents()).toEqual([
      'Transfer Learning · page 1 of 2',
      'Model Deployment · page 2 of 2',
      'Domain Shift · page 1 of 1',
    ]);
    expect(await page.getByRole('link', { name: 'Domain Shift' }).first().getAttribute('href')).toMatch(/\/domain-shift\/domain-shift\/$/);
    await lesson.click();
    await page.waitForURL('**' + LESSON_PAGE);
    expect(errors).toEqual([]);
    expect(foreign).toEqual([]);
    await page.close();
  });
});

describe('lesson page', () => {
  it('shows the course position, the lesson title with its page, and every section of the lesson', async () => {
    const { page, errors, foreign } = await open(LESSON_PAGE);
    await expect(page.getByText('Page 1/3', { exact: true }).isVisible()).resolves.toBe(true);
    expect((await page.locator('main p').first().textContent())?.trim()).toBe('Transfer Learning & Model Deployment · Page 1 of 2');
    expect(await page.locator('main h2').allTextContents()).toEqual([
      'The cost of starting from zero',
      'Reuse what the network already knows',
      'Two ways to transfer',
      'Which layers to unfreeze',
      'Scratch or transfer: the experiment',
      'A worked example: dog breeds',
      'Pretrained models worth knowing',
      'Your own classes',
      'Try it',
    ]);
    const text = await page.locator('main').innerText();
    for (const fact of ['about 25 million', '1.2 million', '1-48', '49-50', '120', '95%', '50%', 'TensorFlow Hub', 'Hugging Face', 'PyTorch Hub']) {
      expect(text).toContain(fact);
    }
    expect(errors).toEqual([]);
    expect(foreign).toEqual([]);
    await page.close();
  });

  it('renders GitHub-style tables and callouts that a reader can see', async () => {
    const { page } = await open(LESSON_PAGE);
    const tables = page.locator('main table');
    expect(await tables.count()).toBe(5);
    for (const table of await tables.all()) expect(await table.isVisible()).toBe(true);
    const models = page.locator('main table').nth(4);
    expect(await models.locator('tbody tr td:first-child').allTextContents()).toEqual(['ResNet-50', 'BERT', 'GPT-2', 'YOLO', 'MobileNet']);
    const useWhen = page.getByRole('complementary', { name: 'Use when' });
    expect(await useWhen.count()).toBe(2);
    expect((await useWhen.first().textContent())?.replace(/\s+/g, ' ')).toMatch(/^✓Use when: your data set is small/);
    await page.close();
  });

  it('draws each step chain as a diagram: boxes joined by arrows, in a row on wide screens and a column on phones', async () => {
    const { page } = await open(LESSON_PAGE);
    const flows = page.getByRole('figure');
    expect(await flows.count()).toBe(3);
    const first = page.getByRole('figure', { name: 'Feature extraction' });
    expect(await first.getByRole('listitem').allInnerTexts()).toEqual([
      expect.stringContaining('Pretrained CNN'),
      expect.stringContaining('Remove the last layers'),
      expect.stringContaining('Add a new classification head'),
      expect.stringContaining('Train only the head'),
    ]);
    const arrows = first.locator('svg');
    expect(await arrows.count()).toBe(3);
    expect(await arrows.first().isVisible()).toBe(true);
    const boxes = first.getByRole('listitem');
    const [a, b] = [await boxes.nth(0).boundingBox(), await boxes.nth(1).boundingBox()];
    expect(b!.x).toBeGreaterThan(a!.x + a!.width);

    await page.setViewportSize({ width: 390, height: 844 });
    const [c, d] = [await boxes.nth(0).boundingBox(), await boxes.nth(1).boundingBox()];
    expect(d!.y).toBeGreaterThan(c!.y + c!.height);
    await page.close();
  });

  it('reserves the code-runner area: main.ts tab, loading state, Run Code and an empty OUTPUT pane', async () => {
    const { page } = await open(LESSON_PAGE);
    const cell = page.locator('[data-cell-id="first-tensor"]');
    await expect(cell.getByRole('tab', { name: 'main.ts' }).isVisible()).resolves.toBe(true);
    await expect(cell.getByRole('button', { name: 'Run Code' }).isVisible()).resolves.toBe(true);
    await expect(cell.getByText('OUTPUT', { exact: true }).isVisible()).resolves.toBe(true);
    await expect(cell.getByText('Click "Run Code" to execute…').isVisible()).resolves.toBe(true);
    // The starter shows in the placeholder and then in the editor (which renders spaces as U+00A0).
    await expect.poll(async () => (await cell.innerText()).replace(/\u00a0/g, ' ')).toContain("import * as tf from '@tensorflow/tfjs';");
    await page.close();
  });

  it('has one h1 and a heading outline without skipped levels', async () => {
    const { page } = await open(LESSON_PAGE);
    const levels = await page.locator('h1, h2, h3, h4, h5, h6').evaluateAll((hs) => hs.map((h) => Number(h.tagName[1])));
    expect(levels.filter((l) => l === 1)).toHaveLength(1);
    const main = await page.locator('main').locator('h1, h2, h3, h4').evaluateAll((hs) => hs.map((h) => Number(h.tagName[1])));
    main.forEach((level, i) => {
      if (i > 0) expect(level).toBeLessThanOrEqual(main[i - 1]! + 1);
    });
    await page.close();
  });

  it('moves between pages with previous/next and the outline', async () => {
    const { page, errors } = await open(LESSON_PAGE);
    await page.getByRole('link', { name: /Next →\s*Model Deployment/ }).click();
    await page.waitForURL('**/transfer-learning/model-deployment/');
    await page.getByText('Page 2/3', { exact: true }).waitFor();
    expect((await page.locator('main p').first().textContent())?.trim()).toBe('Transfer Learning & Model Deployment · Page 2 of 2');
    await page.getByRole('link', { name: /Previous\s*Transfer Learning/ }).click();
    await page.waitForURL('**' + LESSON_PAGE);
    await page.getByRole('navigation', { name: 'Lesson outline' }).getByRole('link', { name: 'Which layers to unfreeze' }).click();
    await page.waitForURL('**#which-layers-to-unfreeze');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('is keyboard reachable: the first Tab reaches "Skip to content", which moves to the lesson', async () => {
    const { page } = await open(LESSON_PAGE);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Enter');
    await page.waitForURL('**#main');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.closest('main') !== null)).toBe(true);
    await page.close();
  });

  it('fits a phone screen without sideways scrolling', async () => {
    const { page } = await open(LESSON_PAGE, { width: 390 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.close();
  });
});

describe('themes', () => {
  it('follows the system dark preference and lets the reader switch, remembering the choice', async () => {
    const { page, errors } = await open(LESSON_PAGE, { colorScheme: 'dark' });
    expect(await backgroundLuminance(page)).toBeLessThan(0.2);
    const toggle = page.getByRole('button', { name: /theme/i });
    await toggle.click(); // system -> light
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    expect(await backgroundLuminance(page)).toBeGreaterThan(0.8);
    await page.reload();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    expect(await backgroundLuminance(page)).toBeGreaterThan(0.8);
    await page.getByRole('button', { name: /theme/i }).click(); // light -> dark
    expect(await backgroundLuminance(page)).toBeLessThan(0.2);
    await page.getByRole('button', { name: /theme/i }).click(); // dark -> system (dark here)
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBeUndefined();
    expect(errors).toEqual([]);
    await page.close();
  });
});
