import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, type LaunchedBrowser } from '../../scripts/browser/launch';
import { openCell, output, run, setCode, startRun, waitForEnd, type CellPage } from './cells';

const baseUrl = inject('baseUrl');
let launched: LaunchedBrowser;
let cp: CellPage;

beforeAll(async () => {
  launched = await launchBrowser();
  cp = await openCell(launched, baseUrl);
});
afterAll(async () => {
  await launched?.close();
});

/** A tiny dense model on features of the pretrained backbone: quick on any backend. */
const TRAIN_HEAD = (epochs: number, learningRate = 0.01) => `import * as tf from '@tensorflow/tfjs';
import * as lesson from 'lesson';
const extractor = lesson.cutAt(await lesson.loadModel('fashion-cnn'), 'gap');
const digits = await lesson.loadImages('digits', { trainPerClass: 10, validationPerClass: 5, testPerClass: 5 });
const features = await lesson.extractFeatures(extractor, digits.train.xs);
const validation = await lesson.extractFeatures(extractor, digits.validation.xs);
const head = tf.sequential({ layers: [tf.layers.dense({ inputShape: [128], units: 10, activation: 'softmax' })] });
head.compile({ optimizer: tf.train.sgd(${learningRate}), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
const before = head.getWeights()[0]!.sum().dataSync()[0];
const history = await head.fit(features, digits.train.ys, { epochs: ${epochs}, batchSize: 10, validationData: [validation, digits.validation.ys] });
console.log('epochs run:', history.epoch.length);
console.log('weights changed:', head.getWeights()[0]!.sum().dataSync()[0] !== before);
`;

describe('the pretrained model and training, live', () => {
  it('runs on the backend the sandbox chose, and says which and why', async () => {
    const status = cp.cell.getByText(/^Ready · /);
    // Headless Chromium here renders WebGL with SwiftShader, so the sandbox picks WebAssembly and says why.
    expect(await status.innerText()).toBe('Ready · wasm');
    expect(await status.getAttribute('title')).toMatch(/TensorFlow\.js backend: wasm \(WebGL is emulated in software here .*SwiftShader.*so WebAssembly, the fastest CPU backend, trains and predicts\)/);
    await setCode(cp, "import * as tf from '@tensorflow/tfjs';\nconsole.log(tf.getBackend());");
    expect(await run(cp)).toBe('finished');
    expect(await output(cp.cell)).toMatch(/^wasm$/m);
  });

  it('streams metrics while fit runs: the chart and progress grow before fit resolves', async () => {
    await setCode(cp, TRAIN_HEAD(60));
    await startRun(cp);
    const progress = cp.cell.getByRole('progressbar');
    await progress.waitFor();
    await expect.poll(async () => Number(await progress.getAttribute('aria-valuenow')), { timeout: 60_000 }).toBeGreaterThan(0);
    expect(await cp.cell.getAttribute('data-run-status')).toBe('running');
    expect(await output(cp.cell)).not.toContain('epochs run:');
    // Validation series join the charts at the first epoch's end, so wait for them rather than assume.
    await expect.poll(() => cp.cell.getByRole('img', { name: /^loss: loss, val_loss/ }).count()).toBe(1);
    await expect.poll(() => cp.cell.getByRole('img', { name: /^acc: acc, val_acc/ }).count()).toBe(1);
    expect(await cp.cell.locator('canvas').count()).toBeGreaterThan(0);
    expect(await waitForEnd(cp.cell)).toBe('finished');
    const text = await output(cp.cell);
    expect(text).toContain('epochs run: 60');
    expect(text).toMatch(/done in [\d.]+ (ms|s)/);
    expect(await progress.getAttribute('aria-valuenow')).toBe('100');
  });

  it('ends training at the next batch on the first Stop, keeping what was learned, then runs the code after fit', async () => {
    await setCode(cp, TRAIN_HEAD(10_000));
    await startRun(cp);
    await expect.poll(async () => Number(await cp.cell.getByRole('progressbar').getAttribute('aria-valuenow')), { timeout: 60_000 }).toBeGreaterThan(0);
    await cp.cell.getByRole('button', { name: 'Stop' }).click();
    expect(await waitForEnd(cp.cell)).toBe('finished');
    const text = await output(cp.cell);
    expect(text).toMatch(/epochs run: \d+/);
    expect(Number(/epochs run: (\d+)/.exec(text)![1])).toBeLessThan(10_000);
    expect(text).toContain('weights changed: true');
    expect(text).toContain('the model keeps what it learned');
  });

  it('says what the first Stop does during training, and kills the run on a second Stop', async () => {
    await setCode(cp, `import * as tf from '@tensorflow/tfjs';
const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [1], units: 1 })] });
model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
await model.fit(tf.ones([8, 1]), tf.ones([8, 1]), { epochs: 1_000_000 });
console.log('after fit');
while (true) {}`);
    await startRun(cp);
    await cp.cell.getByRole('progressbar').waitFor();
    await cp.cell.getByRole('button', { name: 'Stop' }).click();
    await cp.cell.getByText(/Stopping training after the current batch; the code after fit will still run/).waitFor();
    await cp.cell.getByRole('log').getByText('after fit').waitFor();
    await cp.cell.getByRole('button', { name: 'Stop now' }).click();
    expect(await waitForEnd(cp.cell, 2_000)).toBe('stopped');
  });

  it('shows a NaN loss plainly instead of a broken chart', async () => {
    await setCode(cp, `import * as tf from '@tensorflow/tfjs';
const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 1 })] });
model.compile({ optimizer: tf.train.sgd(1e6), loss: 'meanSquaredError' });
await model.fit(tf.randomNormal([64, 4]), tf.randomNormal([64, 1]), { epochs: 20, batchSize: 16 });`);
    expect(await run(cp)).toBe('finished');
    expect(await cp.cell.getByRole('alert').filter({ hasText: /loss became (NaN|Infinity).*training diverged/ }).count()).toBeGreaterThan(0);
  });

  it('labels each fit of a run separately and draws the previous run\'s curves beside this run\'s', async () => {
    await setCode(
      cp,
      `import * as tf from '@tensorflow/tfjs';
const model = tf.sequential({ name: 'tiny', layers: [tf.layers.dense({ inputShape: [2], units: 1 })] });
model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
const xs = tf.randomUniform([16, 2]);
const ys = xs.sum(1, true);
await model.fit(xs, ys, { epochs: 3, batchSize: 8 });
await model.fit(xs, ys, { epochs: 2, batchSize: 8 });`,
    );
    expect(await run(cp)).toBe('finished');
    const bars = cp.cell.getByRole('progressbar');
    expect(await bars.evaluateAll((els) => els.map((el) => el.getAttribute('aria-label')))).toEqual(['Training progress of fit 1 · tiny', 'Training progress of fit 2 · tiny']);
    expect(await run(cp)).toBe('finished');
    // Each fit's loss chart now also holds the same fit of the run before, dashed (fit 2 had none before).
    expect(await cp.cell.getByRole('img', { name: /^loss: loss, loss \(previous run\)$/ }).count()).toBe(2);
  });

  it('gives each run a fresh model, whatever the previous run did to it', async () => {
    await setCode(cp, "import * as lesson from 'lesson';\nconst model = await lesson.loadModel('fashion-cnn');\nmodel.getLayer('predictions').trainable = false;\nmodel.dispose();\nconsole.log('disposed');");
    expect(await run(cp)).toBe('finished');
    await setCode(cp, "import * as tf from '@tensorflow/tfjs';\nimport * as lesson from 'lesson';\nconst model = await lesson.loadModel('fashion-cnn');\nconsole.log(model.getLayer('predictions').trainable, (model.predict(tf.zeros([1, 28, 28, 1])) as tf.Tensor).shape);");
    expect(await run(cp)).toBe('finished');
    expect(await output(cp.cell)).toContain('true [1, 6]'); // one output per pretraining class
  });

  it('warns when a run leaves tensors behind, and not when it cleans up', async () => {
    await setCode(cp, "import * as tf from '@tensorflow/tfjs';\nfor (let i = 0; i < 5; i++) tf.ones([100]).add(1);");
    expect(await run(cp)).toBe('finished');
    expect(await output(cp.cell)).toMatch(/This run left \d+ tensors it created undisposed/);

    await setCode(cp, "import * as tf from '@tensorflow/tfjs';\nfor (let i = 0; i < 5; i++) tf.tidy(() => { tf.ones([100]).add(1); });\nconst kept = tf.ones([3]);\nkept.dispose();");
    expect(await run(cp)).toBe('finished');
    const text = await output(cp.cell);
    expect(text).toMatch(/tensors \([\d.]+ (KB|MB)\) in memory after the run/);
    expect(text).not.toContain('undisposed');
  });

  it('shows a grid of predictions with the wrong ones marked', async () => {
    await setCode(cp, "import * as lesson from 'lesson';\nconst { test, classes } = await lesson.loadImages('digits', { trainPerClass: 0, validationPerClass: 0, testPerClass: 1 });\nawait lesson.showImages(test.xs, { labels: test.labels, predictions: test.labels.map((l, i) => (i < 2 ? (l + 1) % 10 : l)), classes, title: 'Predictions' });");
    expect(await run(cp)).toBe('finished');
    const grid = cp.cell.getByRole('figure').filter({ hasText: 'Predictions' });
    expect(await grid.getByRole('listitem').count()).toBe(10);
    expect(await grid.locator('[data-correct="false"]').count()).toBe(2);
    expect(await grid.innerText()).toContain('8 of 10 correct');
  });
});
