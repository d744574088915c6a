import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeImageSet } from '@/runtime/data/imageSet';
import { RUN_INPUT, type Display, type LessonData } from '@/runtime/protocol';
import { createLessonModule, warmModels } from '@/runtime/sandbox/lesson/lessonModule';
import { splitIndices } from '@/runtime/sandbox/lesson/splits';
import { committedLessonData, readCard, useBackend } from '../model/loadModel';

const data: LessonData = committedLessonData();

function moduleWith(shown: Display[] = [], extra: Partial<Parameters<typeof createLessonModule>[0]> = {}) {
  return createLessonModule({ tf, data, show: (d) => shown.push(d), own: () => {}, ...extra });
}

beforeAll(async () => {
  await useBackend('wasm');
});

describe('splitIndices', () => {
  const labels = Array.from({ length: 300 }, (_, i) => i % 3);

  it('gives disjoint splits with the asked number per class, the same for the same seed', () => {
    const a = splitIndices(labels, 3, { trainPerClass: 10, validationPerClass: 5, testPerClass: 20, seed: 7 });
    const b = splitIndices(labels, 3, { trainPerClass: 10, validationPerClass: 5, testPerClass: 20, seed: 7 });
    expect(a).toEqual(b);
    const all = [...a.train, ...a.validation, ...a.test];
    expect(new Set(all).size).toBe(all.length);
    for (const [split, n] of [['train', 10], ['validation', 5], ['test', 20]] as const) {
      for (let c = 0; c < 3; c++) expect(a[split].filter((i) => labels[i] === c)).toHaveLength(n);
    }
    expect(splitIndices(labels, 3, { trainPerClass: 10, validationPerClass: 5, testPerClass: 20, seed: 8 }).train).not.toEqual(a.train);
  });

  it('keeps the test set fixed when only the training size changes, and grows training sets by inclusion', () => {
    const small = splitIndices(labels, 3, { trainPerClass: 5, validationPerClass: 5, testPerClass: 20, seed: 1 });
    const big = splitIndices(labels, 3, { trainPerClass: 50, validationPerClass: 5, testPerClass: 20, seed: 1 });
    expect([...small.test].sort()).toEqual([...big.test].sort());
    expect(small.train.every((i) => big.train.includes(i))).toBe(true);
  });

  it('says which class is short when asking for too many', () => {
    expect(() => splitIndices(labels, 3, { trainPerClass: 90, validationPerClass: 5, testPerClass: 10, seed: 1 })).toThrow(
      'class 0 has 100 examples, fewer than the 105 asked for',
    );
  });
});

describe('the lesson module', () => {
  it('loads seeded, disjoint splits as tensors with one-hot labels', async () => {
    const lesson = moduleWith();
    const set = await lesson.loadImages('fashion', { trainPerClass: 10, validationPerClass: 2, testPerClass: 5, seed: 3 });
    expect(set.name).toBe('fashion');
    // The committed sample holds the backbone's own classes (scripts/pretrain/train.py).
    const classes = readCard().classes;
    expect(set.classes).toEqual(classes);
    expect(set.train.xs.shape).toEqual([10 * classes.length, 28, 28, 1]);
    expect(set.train.ys.shape).toEqual([10 * classes.length, classes.length]);
    expect(set.test.size).toBe(5 * classes.length);
    expect(set.train.ys.argMax(-1).arraySync()).toEqual(set.train.labels);
    const max = set.train.xs.max().dataSync()[0]!;
    expect(max).toBeGreaterThan(0.5);
    expect(max).toBeLessThanOrEqual(1);
    await expect(lesson.loadImages('fashion', { trainPerClass: -1 })).rejects.toThrow('trainPerClass must be a whole number');
  });

  it('knows assets only by the names the lesson declares, and says which names those are', async () => {
    const table = new TextEncoder().encode(JSON.stringify({ columns: ['epoch', 'loss'], rows: [[1, 0.5], [2, 0.25]] }));
    const lesson = moduleWith([], {
      data: {
        ...data,
        datasets: { ...data.datasets, log: { kind: 'table', bytes: table.buffer as ArrayBuffer }, broken: { error: 'The data set "broken" could not be downloaded (HTTP 404).' } },
      },
    });
    await expect(lesson.loadModel('mobilenet')).rejects.toThrow('This lesson declares no model named "mobilenet". It declares: "fashion-cnn".');
    await expect(lesson.loadImages('digits')).rejects.toThrow('This lesson declares no image data set named "digits". It declares: "fashion", "broken".');
    await expect(lesson.loadImages('broken')).rejects.toThrow('could not be downloaded (HTTP 404)');
    await expect(lesson.loadImages('log')).rejects.toThrow('"log" is a table, not an image data set: load it with lesson.loadTable("log")');
    await expect(lesson.loadTable('fashion')).rejects.toThrow('"fashion" is an image data set, not a table');
    await expect(lesson.loadTable('points')).rejects.toThrow('This lesson declares no table named "points". It declares: "log", "broken".');
    const first = await lesson.loadTable('log');
    expect(first).toEqual({ columns: ['epoch', 'loss'], rows: [[1, 0.5], [2, 0.25]] });
    first.rows[0]![1] = 99;
    expect((await lesson.loadTable('log')).rows[0]).toEqual([1, 0.5]);
    const none = moduleWith([], { data: { models: {}, datasets: {} } });
    await expect(none.loadModel('fashion-cnn')).rejects.toThrow('This lesson declares no model named "fashion-cnn". It declares no models.');
  });

  it('hands out the warm model first, then a fresh copy on every call, so changing one leaves the next intact', async () => {
    const warm = await warmModels(tf, data.models);
    expect([...warm.keys()]).toEqual(['fashion-cnn']);
    const lesson = moduleWith([], { warmModels: warm });
    const first = await lesson.loadModel('fashion-cnn');
    expect(first).toBe(warm.get('fashion-cnn'));
    first.getLayer('predictions').setWeights(first.getLayer('predictions').getWeights().map((w) => tf.zerosLike(w)));
    first.getLayer('block1_dw').trainable = false;
    const second = await lesson.loadModel('fashion-cnn');
    expect(second).not.toBe(first);
    expect(second.getLayer('block1_dw').trainable).toBe(true);
    expect(second.getLayer('predictions').getWeights()[0]!.abs().sum().dataSync()[0]).toBeGreaterThan(0);
  });

  it('cuts a model at a named layer and explains an unknown name', async () => {
    const lesson = moduleWith();
    const backbone = await lesson.loadModel('fashion-cnn');
    expect(lesson.cutAt(backbone, 'gap').outputs[0]!.shape).toEqual([null, 128]);
    expect(() => lesson.cutAt(backbone, 'block9_pw')).toThrow(/no layer named "block9_pw". Its layers are: input, stem_conv, block1_dw/);
  });

  it('splits a model into a base and a top that together compute the same thing', async () => {
    const lesson = moduleWith();
    const backbone = await lesson.loadModel('fashion-cnn');
    const { base, top } = lesson.splitAt(backbone, 'block4_pw');
    expect(base.outputs[0]!.shape).toEqual([null, 7, 7, 128]);
    expect(top.layers.map((l) => l.name).slice(1)).toEqual(['block5_dw', 'block5_pw', 'gap', 'dropout', 'predictions']);
    const x = tf.randomUniform([2, 28, 28, 1]);
    const whole = backbone.predict(x) as tf.Tensor;
    const parts = top.predict(base.predict(x) as tf.Tensor) as tf.Tensor;
    expect(Math.max(...(await whole.sub(parts).abs().data()))).toBeLessThan(1e-5);
    expect(lesson.splitAt(backbone, 'block4_pw', { upTo: 'gap' }).top.outputs[0]!.shape).toEqual([null, 128]);
    expect(() => lesson.splitAt(backbone, 'gap', { upTo: 'block1_dw' })).toThrow('"block1_dw" comes before "gap"');
  });

  it('computes features once per model and images, in batches', async () => {
    const lesson = moduleWith();
    const features = lesson.cutAt(await lesson.loadModel('fashion-cnn'), 'gap');
    const { test } = await lesson.loadImages('fashion', { trainPerClass: 1, validationPerClass: 0, testPerClass: 30, seed: 1 });
    const a = await lesson.extractFeatures(features, test.xs, { batchSize: 64 });
    expect(a.shape).toEqual([30 * readCard().classes.length, 128]); // more than one batch of 64
    expect(await lesson.extractFeatures(features, test.xs)).toBe(a);
    const direct = features.predict(test.xs.slice(0, 5)) as tf.Tensor;
    expect(Math.max(...(await a.slice(0, 5).sub(direct).abs().data()))).toBeLessThan(1e-4);
  });

  it('runs feature extraction on a faster inference backend and comes back to the training backend', async () => {
    const lesson = moduleWith([], { inferenceBackend: 'cpu' });
    const features = lesson.cutAt(await lesson.loadModel('fashion-cnn'), 'gap');
    const { test } = await lesson.loadImages('fashion', { trainPerClass: 1, validationPerClass: 0, testPerClass: 2, seed: 2 });
    const viaCpu = await lesson.extractFeatures(features, test.xs);
    expect(tf.getBackend()).toBe('wasm');
    const direct = features.predict(test.xs) as tf.Tensor;
    expect(Math.max(...(await viaCpu.sub(direct).abs().data()))).toBeLessThan(1e-4);
  });

  it('shows an image grid with captions that mark wrong predictions', async () => {
    const shown: Display[] = [];
    const lesson = moduleWith(shown);
    const { test, classes } = await lesson.loadImages('fashion', { trainPerClass: 0, validationPerClass: 0, testPerClass: 1, seed: 1 });
    await lesson.showImages(test.xs, { labels: test.labels, predictions: test.labels.map((l, i) => (i === 0 ? (l + 1) % 10 : l)), classes, max: 4 });
    const display = shown[0] as Extract<Display, { kind: 'images' }>;
    expect(display).toMatchObject({ kind: 'images', width: 28, height: 28, channels: 1 });
    expect(display.pixels.byteLength).toBe(4 * 28 * 28);
    expect(display.captions).toHaveLength(4);
    expect(display.captions[0]).toMatchObject({ correct: false, label: classes[test.labels[0]!] });
    expect(display.captions.slice(1).every((c) => c.correct)).toBe(true);
  });

  it('counts a confusion matrix and builds tables and charts', () => {
    const shown: Display[] = [];
    const lesson = moduleWith(shown);
    lesson.showConfusionMatrix([0, 0, 1, 1], [0, 1, 1, 1], ['cat', 'dog']);
    lesson.showTable([{ size: 10, accuracy: 0.5 }, { size: 100, method: 'fine-tune' }], { title: 'Runs' });
    lesson.showChart({ 'feature extraction': [[10, 0.6], [100, 0.8]] }, { title: 'Accuracy', xLabel: 'examples' });
    expect(shown).toEqual([
      { kind: 'confusion', title: undefined, classes: ['cat', 'dog'], matrix: [[1, 1], [0, 2]] },
      { kind: 'table', title: 'Runs', columns: ['size', 'accuracy', 'method'], rows: [[10, 0.5, null], [100, null, 'fine-tune']] },
      { kind: 'chart', id: 'Accuracy', title: 'Accuracy', xLabel: 'examples', yLabel: '', series: [{ name: 'feature extraction', points: [[10, 0.6], [100, 0.8]] }] },
    ]);
    expect(() => lesson.showConfusionMatrix([0], [5], ['a', 'b'])).toThrow('class index out of range');
  });

  it('turns the student\'s drawings into a data set, and says what to do when there are none', async () => {
    await expect(moduleWith().loadDrawings()).rejects.toThrow(/There are no drawings yet/);
    const count = 8;
    const encoded = encodeImageSet({
      name: 'drawings',
      classes: ['circle', 'cross'],
      count,
      width: 28,
      height: 28,
      channels: 1,
      source: 'test',
      pixels: new Uint8Array(count * 784).fill(255),
      labels: Uint8Array.from([0, 0, 0, 0, 1, 1, 1, 1]),
    });
    const lesson = moduleWith([], { inputs: { [RUN_INPUT.drawings]: encoded.buffer.slice(encoded.byteOffset, encoded.byteOffset + encoded.byteLength) as ArrayBuffer } });
    const set = await lesson.loadDrawings({ testFraction: 0.25 });
    expect(set.classes).toEqual(['circle', 'cross']);
    expect(set.train.size).toBe(6);
    expect(set.test.size).toBe(2);
    expect([...set.test.labels].sort()).toEqual([0, 1]);
  });
});

describe('lesson.seed', () => {
  it('makes TensorFlow.js initial weights repeat: same seed, same model; another seed, another model', () => {
    const original = Math.random;
    const weightsAfter = (seed: number) => {
      moduleWith([], { setRandom: (random) => (Math.random = random) }).seed(seed);
      const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 3 })] });
      return Array.from(model.getWeights()[0]!.dataSync());
    };
    try {
      expect(weightsAfter(7)).toEqual(weightsAfter(7));
      expect(weightsAfter(7)).not.toEqual(weightsAfter(8));
    } finally {
      Math.random = original;
    }
  });
});

describe('lesson.loadModel with random weights', () => {
  it('gives the same architecture untrained, repeatably after lesson.seed', async () => {
    const original = Math.random;
    try {
      const lesson = moduleWith([], { setRandom: (random) => (Math.random = random) });
      const pretrained = await lesson.loadModel('fashion-cnn');
      lesson.seed(3);
      const a = await lesson.loadModel('fashion-cnn', { weights: 'random' });
      lesson.seed(3);
      const b = await lesson.loadModel('fashion-cnn', { weights: 'random' });
      expect(a.layers.map((l) => [l.name, l.outputShape])).toEqual(pretrained.layers.map((l) => [l.name, l.outputShape]));
      const kernel = (m: tf.LayersModel) => Array.from(m.getLayer('stem_conv').getWeights()[0]!.dataSync());
      expect(kernel(a)).toEqual(kernel(b));
      expect(kernel(a)).not.toEqual(kernel(pretrained));
      await expect(lesson.loadModel('fashion-cnn', { weights: 'imagenet' as 'random' })).rejects.toThrow('weights must be "pretrained" or "random"');
    } finally {
      Math.random = original;
    }
  });
});
