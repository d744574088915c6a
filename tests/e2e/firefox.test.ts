import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  clickButton,
  editorText,
  firefoxOutput,
  launchFirefox,
  openFirefoxCell,
  readyText,
  reloadFirefoxCell,
  runFirefox,
  setFirefoxCode,
  startFirefoxRun,
  waitForFirefoxEnd,
  type FirefoxCell,
  type LaunchedFirefox,
} from './firefox';

/*
 * The lesson in Firefox ESR (Debian's firefox-esr): a few paths where engines differ, kept small,
 * as the Chromium suites cover the rest. Firefox's stacks look like `fn@url:line:col`, its worker
 * has no WebGL 2 here, and its editor takes input through a textarea.
 */

const baseUrl = inject('baseUrl');
let firefox: LaunchedFirefox;
let fc: FirefoxCell;
const problems: string[] = [];

beforeAll(async () => {
  firefox = await launchFirefox();
  fc = await openFirefoxCell(firefox.browser, baseUrl, 'first-tensor', problems);
});
afterAll(async () => {
  await firefox?.close();
});

describe('the lesson in Firefox', () => {
  it('opens the lesson and runs the first cell as shipped', async () => {
    const ready = await readyText(fc);
    expect(ready.text).toMatch(/^Ready · (wasm|webgl)$/);
    expect(await runFirefox(fc)).toBe('finished');
    const text = await firefoxOutput(fc);
    expect(text).toMatch(/x · w = Tensor float32 \[2, 1\]\s*\[\[4\.5\],\s*\[9\]\]/);
    expect(text).toMatch(/^backend: (wasm|webgl)$/m);
  });

  it('maps a thrown error to its line in main.ts and marks it in the editor', async () => {
    await setFirefoxCode(fc, ['function check(value: number) {', "  if (value > 2) throw new TypeError(`too big: ${value}`);", '}', '', 'check(1);', 'check(5);'].join('\n'));
    expect(await runFirefox(fc)).toBe('failed');
    const text = await firefoxOutput(fc);
    expect(text).toContain('TypeError: too big: 5');
    expect(text).toContain('at check (main.ts:2:24)');
    expect(text).toContain('at main.ts:6:1');
    await clickButton(fc, /^main\.ts:2:24$/);
    await fc.page.waitForSelector(`${fc.cell} .squiggly-error`);
  });

  it('stops while (true) {} and runs again', async () => {
    await setFirefoxCode(fc, "console.log('spinning');\nwhile (true) {}");
    await startFirefoxRun(fc);
    await fc.page.waitForFunction((sel) => document.querySelector(`${sel} [role="log"]`)?.textContent?.includes('spinning'), {}, fc.cell);
    await clickButton(fc, /^Stop$/);
    expect(await waitForFirefoxEnd(fc, 2_000)).toBe('stopped');
    expect(await firefoxOutput(fc)).toContain('Stopped.');
    await setFirefoxCode(fc, "console.log('after the loop');");
    expect(await runFirefox(fc)).toBe('finished');
    expect(await firefoxOutput(fc)).toContain('after the loop');
  });

  it('streams training metrics while fit runs', async () => {
    await setFirefoxCode(
      fc,
      `import * as tf from '@tensorflow/tfjs';
import * as lesson from 'lesson';
const extractor = lesson.cutAt(await lesson.loadModel('fashion-cnn'), 'gap');
const digits = await lesson.loadImages('digits', { trainPerClass: 10, validationPerClass: 0, testPerClass: 0 });
const features = await lesson.extractFeatures(extractor, digits.train.xs);
const head = tf.sequential({ layers: [tf.layers.dense({ inputShape: [128], units: 10, activation: 'softmax' })] });
head.compile({ optimizer: tf.train.sgd(0.01), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
const history = await head.fit(features, digits.train.ys, { epochs: 40, batchSize: 10 });
console.log('epochs run:', history.epoch.length);`,
    );
    await startFirefoxRun(fc);
    // Progress and a chart while the run is still going: metrics arrive live, not at the end.
    await fc.page.waitForFunction(
      (sel) => {
        const cell = document.querySelector(sel)!;
        return Number(cell.querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow')) > 0 && cell.getAttribute('data-run-status') === 'running' && !cell.querySelector('[role="log"]')?.textContent?.includes('epochs run:');
      },
      { timeout: 60_000 },
      fc.cell,
    );
    expect(await waitForFirefoxEnd(fc)).toBe('finished');
    expect(await firefoxOutput(fc)).toContain('epochs run: 40');
    expect(await fc.page.$$eval(`${fc.cell} [role="img"]`, (charts) => charts.map((c) => c.getAttribute('aria-label') ?? ''))).toContainEqual(expect.stringMatching(/^loss: loss/));
  });

  it('keeps a draft across a reload', async () => {
    await setFirefoxCode(fc, "console.log('my own work in Firefox');");
    await reloadFirefoxCell(fc);
    expect(await editorText(fc)).toBe("console.log('my own work in Firefox');");
  });

  it('logged no page errors', () => {
    expect(problems).toEqual([]);
  });
});
