import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, watchPageErrors, type LaunchedBrowser } from '../../scripts/browser/launch';
import { LESSON_PAGE, openCell, output, reload, run, setCode, type CellPage } from './cells';

// The lesson page holds <DrawingPad classes="circle, cross" /> (content/transfer-learning/01-transfer-learning.mdx).
// The tests run in order on one browser profile, each starting from the examples the previous one left.
const baseUrl = inject('baseUrl');
let launched: LaunchedBrowser;
let cp: CellPage;
const problems: string[] = [];

beforeAll(async () => {
  launched = await launchBrowser();
  launched.context.on('page', (page) => watchPageErrors(page, problems));
  cp = await openCell(launched, baseUrl);
});
afterAll(async () => {
  await launched?.close();
});

const padOf = (page: Page) => page.getByRole('region', { name: 'Drawing pad' });
const examplesOf = (pad: Locator, name: string) => pad.getByRole('list', { name: `Examples of “${name}”` }).getByRole('img');
const countOf = (pad: Locator, name: string) => examplesOf(pad, name).count();

type Point = readonly [number, number];

/** Draws one stroke with the mouse through `points`, given as fractions of the canvas (0 to 1). */
async function stroke(page: Page, canvas: Locator, points: readonly Point[]): Promise<void> {
  const box = (await canvas.boundingBox())!;
  const at = ([x, y]: Point): [number, number] => [box.x + x * box.width, box.y + y * box.height];
  await page.mouse.move(...at(points[0]!));
  await page.mouse.down();
  for (const point of points.slice(1)) await page.mouse.move(...at(point), { steps: 3 });
  await page.mouse.up();
}

const circle = (radius: number, dx = 0): Point[] =>
  Array.from({ length: 25 }, (_, i) => [0.5 + dx + radius * Math.cos((i / 24) * 2 * Math.PI), 0.5 + radius * Math.sin((i / 24) * 2 * Math.PI)] as const);

/** Picks the class, draws an example with `strokes`, presses Add and waits for its thumbnail. */
async function drawExample(page: Page, name: string, strokes: readonly (readonly Point[])[]): Promise<void> {
  const pad = padOf(page);
  await pad.getByRole('radio', { name }).check();
  const canvas = pad.getByRole('img', { name: `Drawing area for “${name}”` });
  await canvas.scrollIntoViewIfNeeded();
  const before = await countOf(pad, name);
  for (const points of strokes) await stroke(page, canvas, points);
  await pad.getByRole('button', { name: `Add to “${name}”` }).click();
  await expect.poll(() => countOf(pad, name)).toBe(before + 1);
}

/** A PNG made in the page: a dark ring on white paper, like a photo of a drawing. */
async function ringPicture(page: Page, ink: string): Promise<Buffer> {
  const url = await page.evaluate((colour) => {
    const canvas = document.createElement('canvas');
    canvas.width = 300;
    canvas.height = 200;
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#f4f1ea';
    ctx.fillRect(0, 0, 300, 200);
    ctx.strokeStyle = colour;
    ctx.lineWidth = 14;
    ctx.beginPath();
    ctx.arc(180, 90, 60, 0, Math.PI * 2);
    ctx.stroke();
    return canvas.toDataURL('image/png');
  }, ink);
  return Buffer.from(url.split(',')[1]!, 'base64');
}

async function upload(page: Page, files: { name: string; mimeType: string; buffer: Buffer }[]): Promise<void> {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), padOf(page).getByRole('button', { name: 'Upload picture…' }).click()]);
  await chooser.setFiles(files);
}

describe('the drawing pad on the lesson page', () => {
  it('starts empty with the lesson\'s classes and says what to do', async () => {
    const pad = padOf(cp.page);
    await expect.poll(() => pad.getAttribute('data-ready')).toBe('true');
    expect(await pad.innerText()).toMatch(/No examples yet[\s\S]*draw one example in the black square[\s\S]*lesson\.loadDrawings\(\)/);
    expect(await pad.getByRole('radio').evaluateAll((radios) => radios.map((r) => r.parentElement!.textContent))).toEqual(['circle', 'cross']);
    expect(await pad.getByRole('radio', { name: 'circle' }).isChecked()).toBe(true);
    const canvas = pad.getByRole('img', { name: 'Drawing area for “circle”' });
    expect(await canvas.getAttribute('aria-describedby').then((id) => cp.page.locator(`[id="${id}"]`).innerText())).toMatch(/mouse, finger or pen.*upload a picture/);
    expect(await pad.getByRole('button', { name: 'Add to “circle”' }).isDisabled()).toBe(true);
  });

  it('keeps drawn examples of two classes across a reload, and deletes one', async () => {
    const { page } = cp;
    const pad = padOf(page);
    for (const [radius, dx] of [[0.3, 0], [0.2, -0.1], [0.35, 0.05]] as const) await drawExample(page, 'circle', [circle(radius, dx)]);
    for (const size of [0.3, 0.2, 0.4]) {
      await drawExample(page, 'cross', [
        [[0.5 - size, 0.5 - size], [0.5 + size, 0.5 + size]],
        [[0.5 + size, 0.5 - size], [0.5 - size, 0.5 + size]],
      ]);
    }
    expect(await pad.innerText()).toContain('6 examples in 2 classes');

    // A drawing is preprocessed like MNIST: light ink on black, centred in 28x28.
    const centre = await examplesOf(pad, 'cross').first().evaluate((canvas: HTMLCanvasElement) => {
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, 28, 28);
      let mass = 0, x = 0, y = 0;
      for (let i = 0; i < 28 * 28; i++) {
        mass += data[i * 4]!;
        x += ((i % 28) + 0.5) * data[i * 4]!;
        y += (Math.floor(i / 28) + 0.5) * data[i * 4]!;
      }
      return { x: x / mass, y: y / mass, corner: data[0] };
    });
    expect(centre.corner).toBe(0);
    expect(Math.abs(centre.x - 14)).toBeLessThan(1);
    expect(Math.abs(centre.y - 14)).toBeLessThan(1);

    await reload(cp);
    await expect.poll(() => countOf(pad, 'circle')).toBe(3);
    expect(await countOf(pad, 'cross')).toBe(3);
    expect(await pad.innerText()).toContain('6 examples in 2 classes');

    await pad.getByRole('button', { name: 'Delete “cross” example 3' }).click();
    await expect.poll(() => countOf(pad, 'cross')).toBe(2);
    expect(await pad.getByRole('status').innerText()).toBe('Deleted example 3 of “cross”.');
  });

  it('hands the examples to a code cell through lesson.loadDrawings()', async () => {
    await setCode(
      cp,
      `import * as lesson from 'lesson';
const data = await lesson.loadDrawings();
console.log('classes:', data.classes.join(', '));
console.log('train:', data.train.size, 'test:', data.test.size, 'validation:', data.validation.size);
console.log('labels:', [...data.train.labels, ...data.test.labels].sort().join(''));
console.log('shape:', data.train.xs.shape.join('x'), 'max:', data.train.xs.max().dataSync()[0]);`,
    );
    expect(await run(cp)).toBe('finished');
    const text = await output(cp.cell);
    expect(text).toContain('classes: circle, cross');
    // 3 circles and 2 crosses; a quarter of each class, at least one, is held out for testing.
    expect(text).toContain('train: 3 test: 2 validation: 0');
    expect(text).toContain('labels: 00011');
    expect(text).toContain('shape: 3x28x28x1 max: 1');
  });

  it('adds uploaded pictures to the chosen class and says plainly why a file cannot be used', async () => {
    const { page } = cp;
    const pad = padOf(page);
    await pad.getByRole('radio', { name: 'circle' }).check();
    await upload(page, [{ name: 'ring.png', mimeType: 'image/png', buffer: await ringPicture(page, '#202020') }]);
    await expect.poll(() => countOf(pad, 'circle')).toBe(4);
    expect(await pad.getByRole('status').innerText()).toBe('Added a picture to “circle”, which now has 4 examples.');

    await upload(page, [{ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a picture') }]);
    await expect.poll(() => pad.getByRole('alert').innerText()).toBe('“notes.txt” is not an image. Choose a PNG, JPEG, GIF or WebP picture.');
    await upload(page, [{ name: 'blank.png', mimeType: 'image/png', buffer: await ringPicture(page, '#f4f1ea') }]);
    await expect.poll(() => pad.getByRole('alert').innerText()).toMatch(/^No shape found in “blank\.png”/);
    await upload(page, [{ name: 'broken.png', mimeType: 'image/png', buffer: Buffer.from('not really a png') }]);
    await expect.poll(() => pad.getByRole('alert').innerText()).toMatch(/^“broken\.png” could not be opened as a picture/);
    expect(await countOf(pad, 'circle')).toBe(4);

    // When the browser refuses to store more, the student is told, and the pad shows what is really saved.
    await page.evaluate(() => {
      const setItem = Storage.prototype.setItem;
      (window as unknown as { restoreStorage(): void }).restoreStorage = () => (Storage.prototype.setItem = setItem);
      Storage.prototype.setItem = () => {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      };
    });
    await upload(page, [{ name: 'ring.png', mimeType: 'image/png', buffer: await ringPicture(page, '#202020') }]);
    await expect.poll(() => pad.getByRole('alert').innerText()).toBe(
      'The drawings could not be saved in this browser (storage is full or disabled). The last change was not kept.',
    );
    expect(await countOf(pad, 'circle')).toBe(4);
    await page.evaluate(() => (window as unknown as { restoreStorage(): void }).restoreStorage());
  });

  it('renames, adds and removes classes, with Undo, and keeps another tab in sync', async () => {
    const { page } = cp;
    const pad = padOf(page);
    const other = await launched.context.newPage();
    await other.goto(baseUrl + LESSON_PAGE);
    const otherPad = padOf(other);
    await expect.poll(() => countOf(otherPad, 'circle')).toBe(4);

    const name = pad.getByRole('textbox', { name: 'Name of class 2' });
    await name.fill('circle');
    await name.press('Enter');
    await pad.getByText('There is already a class called “circle”.').waitFor();
    await name.fill('plus');
    await name.press('Enter');
    await pad.getByRole('radio', { name: 'plus' }).waitFor();
    expect(await countOf(pad, 'plus')).toBe(2);
    await expect.poll(() => countOf(otherPad, 'plus')).toBe(2);

    await pad.getByRole('button', { name: 'Add a class' }).click();
    const third = pad.getByRole('textbox', { name: 'Name of class 3' });
    await expect.poll(() => third.evaluate((input) => input === document.activeElement)).toBe(true);
    expect(await third.inputValue()).toBe('class 3');
    expect(await pad.getByRole('radio', { name: 'class 3' }).isChecked()).toBe(true);

    await pad.getByRole('button', { name: 'Remove the class “circle”' }).click();
    expect(await pad.getByRole('status').innerText()).toBe('Removed the class “circle” and its 4 examples.');
    expect(await pad.getByRole('radio').count()).toBe(2);
    await expect.poll(() => otherPad.getByRole('radio').count()).toBe(2);
    await pad.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => countOf(pad, 'circle')).toBe(4);
    await expect.poll(() => countOf(otherPad, 'circle')).toBe(4);
    await other.close();
  });

  it('fits a phone screen without scrolling sideways', async () => {
    const phone = await launched.context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(baseUrl + LESSON_PAGE);
    const pad = padOf(phone);
    await expect.poll(() => countOf(pad, 'circle')).toBe(4);
    const box = (await pad.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const canvas = (await pad.getByRole('img', { name: /^Drawing area/ }).boundingBox())!;
    expect(canvas.width).toBeGreaterThan(200);
    await phone.close();
  });

  it('raised no uncaught errors on any of its pages', () => {
    expect(problems.filter((problem) => problem.startsWith('pageerror'))).toEqual([]);
  });
});
