/**
 * Measures what the transfer-learning lesson's cells will measure, in Node, the way the sandbox runs
 * them: TensorFlow.js 4.22 on the cpu backend with the sandbox's fast convolution kernels and Cast fix
 * for training, the wasm backend for the frozen backbone's features (lesson.extractFeatures), the
 * lesson module's own cutAt/splitAt/seed, and the same seeded per-class splits as lesson.loadImages
 * (runtime/sandbox/lesson/splits.ts). Writes nothing; prints one line per run and Markdown tables.
 *
 *   npx tsx scripts/pretrain/transfer-check.ts [--part meet|running|grid|all] [--seeds 1,2,3,4,5] [--plain]
 *
 * --plain adds, for the running example, the backbone's own architecture trained from random weights
 * (slow: every layer trains, on the cpu backend).
 *
 * Reads the committed backbone and data sets under content/transfer-learning/ (the digits are packed
 * by scripts/pack-digits.ts). The figures it printed are in
 * scripts/pretrain/transfer-figures.md, with the settings; lesson cells that use the same settings
 * should land within a few points of them (a browser's cpu backend computes the same sums).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type * as Lesson from 'lesson';
import { parseImageSet, type ImageSet } from '../../runtime/data/imageSet';
import type { LessonData } from '../../runtime/protocol';
import { registerTypedCpuCast } from '../../runtime/sandbox/cpuCast';
import { registerFastCpuKernels } from '../../runtime/sandbox/fastCpuKernels';
import { createLessonModule } from '../../runtime/sandbox/lesson/lessonModule';
import { splitIndices } from '../../runtime/sandbox/lesson/splits';

const root = (path: string) => new URL(`../../${path}`, import.meta.url);
const MODEL_DIR = 'content/transfer-learning/models/fashion-cnn/';
const NEW_TASK = 'content/transfer-learning/data/fashion-new.bin';
const SAMPLE = 'content/transfer-learning/data/fashion-sample.bin';
const DIGITS = 'content/transfer-learning/data/digits.bin';

const { values } = parseArgs({
  options: {
    part: { type: 'string', default: 'all' },
    seeds: { type: 'string', default: '1,2,3,4,5' },
    'grid-seeds': { type: 'string', default: '1,2,3' },
    plain: { type: 'boolean', default: false },
  },
});
const seeds = values.seeds.split(',').map(Number);
const gridSeeds = values['grid-seeds'].split(',').map(Number);

/** The settings the cells use; transfer-figures.md quotes them. */
const SETTINGS = {
  /** The running example (feature-extraction, fine-tuning cells): images per class. */
  running: { trainPerClass: 30, validationPerClass: 10, testPerClass: 100 },
  /** The head on the frozen features: the feature-extraction cell's. */
  head: { learningRate: 0.01, epochs: 40, batchSize: 16 },
  /** From scratch, "the same effort": the head's epochs and batch size, so the same gradient steps. */
  scratch: { learningRate: 0.003 },
  /** Fine-tuning block 5 with the trained head: a learning rate 100 times lower than the head's. */
  fineTune: { learningRate: 1e-4, epochs: 10, batchSize: 16 },
  /** The experiment cell: images per class, and test images per class. */
  grid: { perClass: [5, 10, 30, 100], testPerClass: 50, steps: 120, maxBatch: 32 },
};

// ---------------------------------------------------------------------------------------------
// Set-up: the sandbox's backends and the lesson module, on the committed files.

function bytes(path: string): ArrayBuffer {
  const b = readFileSync(root(path));
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

async function setUp(): Promise<typeof Lesson> {
  registerFastCpuKernels(tf);
  registerTypedCpuCast(tf);
  setWasmPaths(fileURLToPath(root('node_modules/@tensorflow/tfjs-backend-wasm/dist/')));
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialise');
  if (!(await tf.setBackend('cpu'))) throw new Error('the cpu backend did not initialise');
  const data: LessonData = {
    models: { 'fashion-cnn': { json: readFileSync(root(`${MODEL_DIR}model.json`), 'utf8'), weights: bytes(`${MODEL_DIR}weights.bin`) } },
    datasets: {},
  };
  return createLessonModule({ tf, data, inferenceBackend: 'wasm', show: () => {}, own: () => {} });
}

/** What lesson.loadImages(name, options) returns: the same split algorithm, pixels / 255. */
function loadImages(set: ImageSet, options: { trainPerClass: number; validationPerClass: number; testPerClass: number; seed: number }): Lesson.DataSet {
  const indices = splitIndices(set.labels, set.classes.length, options);
  const split = (picked: number[]): Lesson.Split => {
    const size = set.width * set.height * set.channels;
    const xs = new Float32Array(picked.length * size);
    picked.forEach((index, row) => {
      for (let p = 0; p < size; p++) xs[row * size + p] = set.pixels[index * size + p]! / 255;
    });
    const labels = picked.map((i) => set.labels[i]!);
    return {
      xs: tf.tensor4d(xs, [picked.length, set.height, set.width, set.channels]),
      ys: tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), set.classes.length).toFloat() as tf.Tensor2D),
      labels,
      size: picked.length,
    };
  };
  return { name: set.name, classes: [...set.classes], train: split(indices.train), validation: split(indices.validation), test: split(indices.test) };
}

function disposeData(data: Lesson.DataSet): void {
  for (const s of [data.train, data.validation, data.test]) tf.dispose([s.xs, s.ys]);
}

// ---------------------------------------------------------------------------------------------
// The three ways to get a classifier, as the cells write them.

const accuracy = (model: tf.LayersModel, xs: tf.Tensor, labels: readonly number[]) =>
  tf.tidy(() => {
    const predicted = (model.predict(xs) as tf.Tensor).argMax(-1).dataSync();
    return predicted.filter((p, i) => p === labels[i]).length / labels.length;
  });

const newHead = (classes: number) => tf.sequential({ layers: [tf.layers.dense({ inputShape: [128], units: classes, activation: 'softmax' })] });

/** The experiment cell's small CNN: this CPU trains it in seconds. */
const smallCnn = (classes: number) =>
  tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 16, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
      tf.layers.conv2d({ filters: 32, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
      tf.layers.flatten(),
      tf.layers.dense({ units: classes, activation: 'softmax' }),
    ],
  });

const compiled = <M extends tf.LayersModel>(model: M, learningRate: number): M => {
  model.compile({ optimizer: tf.train.adam(learningRate), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
};

interface Effort {
  epochs: number;
  batchSize: number;
}

interface Outcome {
  scratch: number;
  featureExtraction: number;
  fineTuned: number;
  /** CPU seconds of this process (user + system): on a shared machine, wall time says more about the neighbours. */
  seconds: { scratch: number; featureExtraction: number; fineTuning: number };
}

/** CPU seconds this process has used so far. */
function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/**
 * Trains all three on `train` and tests them on `test`. `effort` is the head's and the small CNN's
 * (the same, so that both get the same number of gradient steps); fine-tuning starts from the trained
 * head, as the fine-tuning cell does.
 */
async function threeWays(
  lesson: typeof Lesson,
  train: Lesson.Split,
  test: Lesson.Split,
  classes: number,
  effort: Effort,
  fineTune: Effort & { learningRate: number },
): Promise<Outcome> {
  const backbone = await lesson.loadModel('fashion-cnn');
  const { base, top } = lesson.splitAt(backbone, 'block4_pw', { upTo: 'gap' });
  let started = cpuSeconds();
  const maps = { train: await lesson.extractFeatures<tf.Rank.R4>(base, train.xs), test: await lesson.extractFeatures<tf.Rank.R4>(base, test.xs) };
  const features = { train: await lesson.extractFeatures(top, maps.train), test: await lesson.extractFeatures(top, maps.test) };
  const head = compiled(newHead(classes), SETTINGS.head.learningRate);
  await head.fit(features.train, train.ys, { ...effort, verbose: 0 });
  const featureExtraction = accuracy(head, features.test, test.labels);
  const feSeconds = cpuSeconds() - started;

  started = cpuSeconds();
  top.trainable = true;
  const tuned = compiled(tf.sequential({ layers: [top, head] }), fineTune.learningRate);
  await tuned.fit(maps.train, train.ys, { epochs: fineTune.epochs, batchSize: fineTune.batchSize, verbose: 0 });
  const fineTuned = accuracy(tuned, maps.test, test.labels);
  const ftSeconds = cpuSeconds() - started;

  started = cpuSeconds();
  const scratchModel = compiled(smallCnn(classes), SETTINGS.scratch.learningRate);
  await scratchModel.fit(train.xs, train.ys, { ...effort, verbose: 0 });
  const scratch = accuracy(scratchModel, test.xs, test.labels);
  const scSeconds = cpuSeconds() - started;

  tf.dispose([maps.train, maps.test, features.train, features.test]);
  scratchModel.dispose();
  tuned.dispose();
  backbone.dispose();
  return { scratch, featureExtraction, fineTuned, seconds: { scratch: scSeconds, featureExtraction: feSeconds, fineTuning: ftSeconds } };
}

/**
 * The backbone's architecture with fresh random weights (the initializers its model.json names), cut at
 * `gap`, with a new head, every layer trained: "the same network from scratch" of the dog-breed story.
 */
async function plainScratch(train: Lesson.Split, test: Lesson.Split, classes: number, effort: Effort, learningRate: number): Promise<number> {
  const topology = (JSON.parse(readFileSync(root(`${MODEL_DIR}model.json`), 'utf8')) as { modelTopology: tf.io.ModelJSON['modelTopology'] }).modelTopology;
  const fresh = await tf.models.modelFromJSON({ modelTopology: topology });
  const features = tf.model({ inputs: fresh.inputs, outputs: fresh.getLayer('gap').output as tf.SymbolicTensor });
  const model = compiled(tf.sequential({ layers: [features, newHead(classes)] }), learningRate);
  await model.fit(train.xs, train.ys, { ...effort, verbose: 0 });
  const result = accuracy(model, test.xs, test.labels);
  model.dispose();
  return result;
}

// ---------------------------------------------------------------------------------------------
// Reports.

const pct = (a: number) => `${(100 * a).toFixed(1)}%`;
const stats = (xs: number[]) => {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  return `${pct(mean)} (${pct(Math.min(...xs))}–${pct(Math.max(...xs))})`;
};
const meanOf = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

/** The backbone on its own classes, and what it calls the classes it never saw (the "meet the model" cell). */
async function meetTheModel(lesson: typeof Lesson, sample: ImageSet, newTask: ImageSet): Promise<void> {
  const backbone = await lesson.loadModel('fashion-cnn');
  const own = loadImages(sample, { trainPerClass: 0, validationPerClass: 0, testPerClass: sample.count / sample.classes.length, seed: 1 });
  console.log(`the backbone on the ${own.test.size} sample images of its own ${sample.classes.length} classes: ${pct(accuracy(backbone, own.test.xs, own.test.labels))}`);
  const unseen = loadImages(newTask, { trainPerClass: 0, validationPerClass: 0, testPerClass: newTask.count / newTask.classes.length, seed: 1 });
  const predicted = tf.tidy(() => Array.from((backbone.predict(unseen.test.xs) as tf.Tensor).argMax(-1).dataSync()));
  newTask.classes.forEach((name, c) => {
    const counts = new Map<string, number>();
    predicted.forEach((p, i) => {
      if (unseen.test.labels[i] === c) counts.set(sample.classes[p]!, (counts.get(sample.classes[p]!) ?? 0) + 1);
    });
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const top = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${((100 * v) / total).toFixed(0)}%`);
    console.log(`held-out ${name}: the backbone calls it ${top.join(', ')}`);
  });
  disposeData(own);
  disposeData(unseen);
  backbone.dispose();
}

async function runningExample(lesson: typeof Lesson, set: ImageSet): Promise<void> {
  const { trainPerClass, validationPerClass, testPerClass } = SETTINGS.running;
  const rows: Outcome[] = [];
  const plain: number[] = [];
  for (const seed of seeds) {
    lesson.seed(seed);
    const data = loadImages(set, { trainPerClass, validationPerClass, testPerClass, seed });
    const outcome = await threeWays(lesson, data.train, data.test, data.classes.length, SETTINGS.head, SETTINGS.fineTune);
    rows.push(outcome);
    if (values.plain) {
      const started = cpuSeconds();
      plain.push(await plainScratch(data.train, data.test, data.classes.length, SETTINGS.head, SETTINGS.scratch.learningRate));
      console.log(`running example, seed ${seed}: the backbone's architecture from scratch ${pct(plain.at(-1)!)} (CPU seconds ${(cpuSeconds() - started).toFixed(1)})`);
    }
    console.log(
      `running example, seed ${seed}, ${data.train.size} training images: from scratch ${pct(outcome.scratch)}, feature extraction ${pct(outcome.featureExtraction)}, ` +
        `fine-tuned ${pct(outcome.fineTuned)} (CPU seconds: ${Object.entries(outcome.seconds).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')})`,
    );
    disposeData(data);
  }
  const gap = rows.map((r) => r.featureExtraction - r.scratch);
  console.log('\n| method | mean (min–max) over seeds ' + seeds.join(', ') + ' |\n|---|---|');
  console.log(`| from scratch (small CNN) | ${stats(rows.map((r) => r.scratch))} |`);
  if (plain.length > 0) console.log(`| from scratch (the backbone's architecture) | ${stats(plain)} |`);
  console.log(`| feature extraction | ${stats(rows.map((r) => r.featureExtraction))} |`);
  console.log(`| fine-tuning block 5 | ${stats(rows.map((r) => r.fineTuned))} |`);
  console.log(`| feature extraction − scratch | ${(100 * meanOf(gap)).toFixed(1)} points (${(100 * Math.min(...gap)).toFixed(1)}–${(100 * Math.max(...gap)).toFixed(1)}) |\n`);
}

async function grid(lesson: typeof Lesson, tasks: Array<{ name: string; set: ImageSet }>): Promise<void> {
  const { perClass, testPerClass, steps, maxBatch } = SETTINGS.grid;
  const table: string[] = ['| task | images per class | training images | from scratch | feature extraction | fine-tuning | CPU seconds (scratch / fe / ft) |', '|---|---:|---:|---|---|---|---|'];
  for (const task of tasks) {
    for (const k of perClass) {
      const rows: Outcome[] = [];
      for (const seed of gridSeeds) {
        lesson.seed(seed);
        // The largest size decides which images are free for training; smaller sizes take a prefix of it.
        const data = loadImages(task.set, { trainPerClass: k, validationPerClass: 0, testPerClass, seed });
        const n = data.train.size;
        // The same number of gradient steps at every size, so that the sizes differ in data, not effort.
        const batchSize = Math.min(maxBatch, n);
        const epochs = Math.max(1, Math.round((steps * batchSize) / n));
        const outcome = await threeWays(lesson, data.train, data.test, data.classes.length, { epochs, batchSize }, { learningRate: SETTINGS.fineTune.learningRate, epochs: Math.max(1, Math.round(epochs / 2)), batchSize });
        rows.push(outcome);
        console.log(`${task.name}, ${k} per class (${n} images), seed ${seed}: from scratch ${pct(outcome.scratch)}, feature extraction ${pct(outcome.featureExtraction)}, fine-tuning ${pct(outcome.fineTuned)}`);
        disposeData(data);
      }
      const secs = (key: keyof Outcome['seconds']) => meanOf(rows.map((r) => r.seconds[key])).toFixed(1);
      const n = k * (task.set.classes.length);
      table.push(
        `| ${task.name} | ${k} | ${n} | ${stats(rows.map((r) => r.scratch))} | ${stats(rows.map((r) => r.featureExtraction))} | ${stats(rows.map((r) => r.fineTuned))} | ${secs('scratch')} / ${secs('featureExtraction')} / ${secs('fineTuning')} |`,
      );
    }
  }
  console.log('\n' + table.join('\n') + '\n');
}

const lesson = await setUp();
const newTask = parseImageSet(bytes(NEW_TASK));
console.log(`new task: ${newTask.name}, classes ${newTask.classes.join(', ')}, ${newTask.count} images; backend ${tf.getBackend()}`);
if (values.part === 'meet' || values.part === 'all') await meetTheModel(lesson, parseImageSet(bytes(SAMPLE)), newTask);
if (values.part === 'running' || values.part === 'all') await runningExample(lesson, newTask);
if (values.part === 'grid' || values.part === 'all') {
  await grid(lesson, [
    { name: 'new clothing classes', set: newTask },
    { name: 'handwritten digits', set: parseImageSet(bytes(DIGITS)) },
  ]);
}
