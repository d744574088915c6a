import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, watchPageErrors, type LaunchedBrowser } from '../../scripts/browser/launch';
import { LESSON_PAGE, openCell, output, pageRoundTripMs, run, setCode, startRun, waitForEnd, type CellPage } from './cells';
import { READY_TIMEOUT_MS } from '../../scripts/browser/cells';

/*
 * The backends cells run on. Without a GPU (this machine: WebGL is SwiftShader) the sandbox trains on
 * WebAssembly; `?backend=webgl` forces the WebGL backend, the path of every student with a GPU, which
 * SwiftShader runs here slowly but faithfully.
 */

const baseUrl = inject('baseUrl');
let launched: LaunchedBrowser;
const pageErrors: string[] = [];

beforeAll(async () => {
  launched = await launchBrowser();
  launched.context.on('page', (page) => watchPageErrors(page, pageErrors));
});
afterAll(async () => {
  await launched?.close();
});

/** A small conv net (plain and depthwise convolutions) trained on lesson digits: every gradient kernel. */
const TRAIN_CONV = (epochs: number) => `import * as tf from '@tensorflow/tfjs';
import * as lesson from 'lesson';
lesson.seed(1);
const digits = await lesson.loadImages('digits', { trainPerClass: 6, validationPerClass: 0, testPerClass: 0 });
const model = tf.sequential({
  layers: [
    tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
    tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', activation: 'relu' }),
    tf.layers.conv2d({ filters: 8, kernelSize: 1, activation: 'relu' }),
    tf.layers.flatten(),
    tf.layers.dense({ units: 10, activation: 'softmax' }),
  ],
});
model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
const before = model.layers[1]!.getWeights()[0]!.dataSync().slice();
const history = await model.fit(digits.train.xs, digits.train.ys, { epochs: ${epochs}, batchSize: 20 });
const losses = history.history.loss as number[];
const after = model.layers[1]!.getWeights()[0]!.dataSync();
console.log('trained on', tf.getBackend());
console.log('loss fell:', losses.at(-1)! < losses[0]!, 'depthwise filters moved:', after.some((w, i) => w !== before[i]));
`;

/** The pretrained backbone's predictions for a few clothing images. */
const PREDICT = `import * as tf from '@tensorflow/tfjs';
import * as lesson from 'lesson';
const backbone = await lesson.loadModel('fashion-cnn');
const fashion = await lesson.loadImages('fashion', { trainPerClass: 0, validationPerClass: 0, testPerClass: 2 });
const predicted = tf.tidy(() => (backbone.predict(fashion.test.xs) as tf.Tensor).argMax(-1).dataSync());
console.log('predicted on', tf.getBackend());
console.log('classes:', Array.from(predicted).join(','));
`;

/** The backbone's own classes in the lesson's `fashion` set (two test photos of each). */
const FASHION_CLASSES = 6;
const classesIn = (text: string) => /^classes: ([\d,]+)$/m.exec(text)?.[1]?.split(',') ?? [];
/** The backbone's predictions on WebAssembly, which WebGL must reproduce. */
let wasmClasses: string[] = [];

describe('without a GPU', () => {
  let cp: CellPage;
  beforeAll(async () => {
    cp = await openCell(launched, baseUrl);
  });
  afterAll(async () => {
    await cp?.page.close();
  });

  it('trains convolutions on WebAssembly, and says why it chose it', async () => {
    const status = cp.cell.getByText(/^Ready · /);
    expect(await status.innerText()).toBe('Ready · wasm');
    // Ready may come before the frame's probe has said which GPU WebGL runs on; the reason then follows.
    await expect.poll(() => status.getAttribute('title'), { timeout: READY_TIMEOUT_MS }).toMatch(/SwiftShader.*so WebAssembly, the fastest CPU backend, trains and predicts/);
    await setCode(cp, TRAIN_CONV(4));
    expect(await run(cp)).toBe('finished');
    const text = await output(cp.cell);
    expect(text).toContain('trained on wasm');
    expect(text).toContain('loss fell: true depthwise filters moved: true');
  });

  it('predicts with the pretrained backbone on WebAssembly', async () => {
    await setCode(cp, PREDICT);
    expect(await run(cp)).toBe('finished');
    const text = await output(cp.cell);
    expect(text).toContain('predicted on wasm');
    wasmClasses = classesIn(text);
    expect(wasmClasses).toHaveLength(FASHION_CLASSES * 2);
  });
});

describe('with the WebGL backend forced (?backend=webgl)', () => {
  let cp: CellPage;
  beforeAll(async () => {
    cp = await openCell(launched, baseUrl, 'first-tensor', `${LESSON_PAGE}?backend=webgl`);
  });
  afterAll(async () => {
    await cp?.page.close();
  });

  it('runs on WebGL through SwiftShader and says the page asked for it', async () => {
    const status = cp.cell.getByText(/^Ready · /);
    expect(await status.innerText()).toBe('Ready · webgl');
    expect(await status.getAttribute('title')).toMatch(/WebGL on .*SwiftShader.*, as the page asked \(\?backend=webgl\)/);
  });

  it('predicts with the pretrained backbone what WebAssembly predicts', async () => {
    await setCode(cp, PREDICT);
    expect(await run(cp)).toBe('finished');
    const text = await output(cp.cell);
    expect(text).toContain('predicted on webgl');
    expect(wasmClasses).toHaveLength(FASHION_CLASSES * 2);
    expect(classesIn(text)).toEqual(wasmClasses);
  });

  it('trains a conv net with live metrics', async () => {
    // Two epochs: SwiftShader compiles every shader on two busy cores, a minute for this net.
    await setCode(cp, TRAIN_CONV(2));
    await startRun(cp);
    await expect.poll(async () => Number(await cp.cell.getByRole('progressbar').getAttribute('aria-valuenow')), { timeout: 120_000 }).toBeGreaterThan(0);
    expect(await waitForEnd(cp.cell, 240_000)).toBe('finished');
    const text = await output(cp.cell);
    expect(text).toContain('trained on webgl');
    expect(text).toContain('loss fell: true depthwise filters moved: true');
  });

  it('ends a run whose GPU context is lost with a plain message; the next Run works and the page is intact', async () => {
    await setCode(
      cp,
      `import * as tf from '@tensorflow/tfjs';
const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 4 })] });
model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
const gl = (tf.backend() as unknown as { gpgpu: { gl: WebGL2RenderingContext } }).gpgpu.gl;
await model.fit(tf.ones([32, 4]), tf.ones([32, 4]), {
  epochs: 1000,
  batchSize: 8,
  callbacks: { onEpochEnd: (epoch) => { if (epoch === 2) gl.getExtension('WEBGL_lose_context')!.loseContext(); } },
});
console.log('fit returned');`,
    );
    expect(await run(cp)).toBe('failed');
    const text = await output(cp.cell);
    expect(text).toContain('WebGL context lost: The GPU context was lost during this run');
    expect(text).toContain('run it again, and it starts on a fresh GPU context');
    expect(text).not.toContain('fit returned');
    expect(await pageRoundTripMs(cp.page)).toBeLessThan(1_000);

    await setCode(cp, "import * as tf from '@tensorflow/tfjs';\nconsole.log(tf.getBackend(), tf.ones([2, 2]).matMul(tf.ones([2, 2])).dataSync().join(' '));");
    expect(await run(cp)).toBe('finished');
    expect(await output(cp.cell)).toContain('webgl 2 2 2 2');
    expect(await cp.page.getByRole('heading', { level: 1 }).count()).toBe(1);
    expect(await cp.page.locator('[data-cell-id]').count()).toBeGreaterThan(5);
  });

  it('logged no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
