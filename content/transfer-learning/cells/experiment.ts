import * as tf from '@tensorflow/tfjs';
import * as lesson from 'lesson';

lesson.seed(1);

// Training images per original class; ten classes, so 10, 100 and 1,000 images in all.
const PER_CLASS = [1, 10, 100];
const most = Math.max(...PER_CLASS);

// Two new tasks for the clothing model. One is close to what it learned: sort unseen photos of
// clothing by where they are worn. The other is far from it: read handwritten digits.
const WORN = ['upper body', 'legs', 'feet', 'carried'];
const wornOn = [0, 1, 0, 0, 0, 2, 0, 2, 3, 2]; // by Fashion-MNIST class
const fashion = await lesson.loadImages('fashion', { trainPerClass: most, validationPerClass: 0, testPerClass: 50 });
const digits = await lesson.loadImages('digits', { trainPerClass: most, validationPerClass: 0, testPerClass: 50 });
const tasks = [
  { name: 'clothing: where is it worn?', data: fashion, classes: WORN, label: (c: number) => wornOn[c]! },
  { name: 'handwritten digits', data: digits, classes: digits.classes, label: (c: number) => c },
];

// From scratch: a small CNN that this CPU trains in seconds (the backbone's own architecture trains
// about twenty times slower here, too slow for this cell).
const smallCnn = (classes: number) =>
  tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 16, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
      tf.layers.conv2d({ filters: 32, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
      tf.layers.flatten(),
      tf.layers.dense({ units: classes, activation: 'softmax' }),
    ],
  });
const newHead = (classes: number) => tf.sequential({ layers: [tf.layers.dense({ inputShape: [128], units: classes, activation: 'softmax' })] });
const compiled = (model: tf.LayersModel, learningRate: number) => {
  model.compile({ optimizer: tf.train.adam(learningRate), loss: 'categoricalCrossentropy' });
  return model;
};

const backbone = await lesson.loadModel('fashion-cnn');
const { base, top } = lesson.splitAt(backbone, 'block4_pw', { upTo: 'gap' });
const pretrainedBlock5 = top.getWeights().map((w) => w.clone());
const rows: Record<string, string | number>[] = [];

for (const task of tasks) {
  const { train, test } = task.data;
  const testLabels = test.labels.map(task.label);
  const accuracyOf = (model: tf.LayersModel, xs: tf.Tensor) =>
    tf.tidy(() => (model.predict(xs) as tf.Tensor).argMax(-1).dataSync().filter((p, i) => p === testLabels[i]).length / test.size);
  // The frozen parts of the backbone run once over every image (block 5 as pretrained).
  top.setWeights(pretrainedBlock5);
  const maps = { train: await lesson.extractFeatures<tf.Rank.R4>(base, train.xs), test: await lesson.extractFeatures<tf.Rank.R4>(base, test.xs) };
  const features = { train: await lesson.extractFeatures(top, maps.train), test: await lesson.extractFeatures(top, maps.test) };
  const curves: Record<string, [number, number][]> = { 'from scratch': [], 'feature extraction': [], 'fine-tuning': [] };

  for (const k of PER_CLASS) {
    const seen = new Array<number>(10).fill(0);
    const picked = tf.tensor1d(train.labels.flatMap((c, i) => (seen[c]!++ < k ? [i] : [])), 'int32');
    const n = picked.size;
    const ys = tf.tidy(() => tf.oneHot(tf.gather(tf.tensor1d(train.labels.map(task.label), 'int32'), picked), task.classes.length).toFloat());
    const [xs, pickedFeatures, pickedMaps] = [train.xs, features.train, maps.train].map((t) => tf.gather(t, picked));
    // About 60 gradient steps at every size, so that the sizes differ in data, not in training effort.
    const batchSize = Math.min(32, n);
    const epochs = Math.max(1, Math.round((60 * batchSize) / n));

    const scratch = compiled(smallCnn(task.classes.length), 0.003);
    await scratch.fit(xs!, ys, { epochs, batchSize });

    const head = compiled(newHead(task.classes.length), 0.01);
    await head.fit(pickedFeatures!, ys, { epochs, batchSize });
    const headOnly = accuracyOf(head, features.test);

    top.setWeights(pretrainedBlock5);
    top.trainable = true;
    const tuned = compiled(tf.sequential({ layers: [top, head] }), 1e-4);
    await tuned.fit(pickedMaps!, ys, { epochs: Math.max(1, Math.round(epochs / 3)), batchSize });

    const measured = { 'from scratch': accuracyOf(scratch, test.xs), 'feature extraction': headOnly, 'fine-tuning': accuracyOf(tuned, maps.test) };
    for (const [method, accuracy] of Object.entries(measured)) curves[method]!.push([Math.log10(n), 100 * accuracy]);
    const percent = (a: number) => `${(100 * a).toFixed(1)}%`;
    rows.push({ task: task.name, 'training images': n, ...Object.fromEntries(Object.entries(measured).map(([method, a]) => [method, percent(a)])) });
    console.log(`${task.name}, ${n} images: ${Object.entries(measured).map(([method, a]) => `${method} ${percent(a)}`).join(', ')}`);
    lesson.showChart(curves, { id: task.name, title: `${task.name}: test accuracy (%)`, xLabel: 'log₁₀ of training images', yLabel: 'test accuracy, %' });
    tf.dispose([picked, ys, xs!, pickedFeatures!, pickedMaps!]);
    scratch.dispose();
  }
}
tf.dispose(pretrainedBlock5);
lesson.showTable(rows, { title: 'Test accuracy on 500 held-out images per task' });
