import * as tf from '@tensorflow/tfjs';
import * as lesson from 'lesson';

lesson.seed(1);

// Training images per class at each step of the experiment.
const PER_CLASS = [5, 30, 100];
const most = Math.max(...PER_CLASS);
// Gradient steps per model at every size, so that the sizes differ in data, not in training effort.
const STEPS = 60;

// Two new tasks for the clothing model. One is close to what it learned: clothing of four kinds it
// never saw. The other is far from it: handwritten digits.
const tasks = [
  { name: 'new clothing classes', data: await lesson.loadImages('fashion-new', { trainPerClass: most, validationPerClass: 0, testPerClass: 50 }) },
  { name: 'handwritten digits', data: await lesson.loadImages('digits', { trainPerClass: most, validationPerClass: 0, testPerClass: 50 }) },
];

// From scratch: a small CNN that this CPU trains in seconds (the backbone's own architecture from
// random weights is the from-scratch cell above; on this scale it would make the run many times longer).
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
const started = performance.now();

for (const task of tasks) {
  const { train, test, classes } = task.data;
  const accuracyOf = (model: tf.LayersModel, xs: tf.Tensor) =>
    tf.tidy(() => (model.predict(xs) as tf.Tensor).argMax(-1).dataSync().filter((p, i) => p === test.labels[i]).length / test.size);
  // The frozen parts of the backbone run once over every image (block 5 as pretrained).
  top.setWeights(pretrainedBlock5);
  const maps = { train: await lesson.extractFeatures<tf.Rank.R4>(base, train.xs), test: await lesson.extractFeatures<tf.Rank.R4>(base, test.xs) };
  const features = { train: await lesson.extractFeatures(top, maps.train), test: await lesson.extractFeatures(top, maps.test) };
  const curves: Record<string, [number, number][]> = { 'from scratch': [], 'feature extraction': [], 'fine-tuning': [] };

  for (const k of PER_CLASS) {
    const seen = new Array<number>(classes.length).fill(0);
    const picked = tf.tensor1d(train.labels.flatMap((c, i) => (seen[c]!++ < k ? [i] : [])), 'int32');
    const n = picked.size;
    const [xs, ys, pickedFeatures, pickedMaps] = [train.xs, train.ys, features.train, maps.train].map((t) => tf.gather(t, picked));
    const batchSize = Math.min(32, n);
    const epochs = Math.max(1, Math.round((STEPS * batchSize) / n));

    const scratch = compiled(smallCnn(classes.length), 0.003);
    await scratch.fit(xs!, ys!, { epochs, batchSize });

    const head = compiled(newHead(classes.length), 0.01);
    await head.fit(pickedFeatures!, ys!, { epochs, batchSize });
    const headOnly = accuracyOf(head, features.test);

    // Fine-tuning starts from this head and block 5 as pretrained, with a third of the steps.
    top.setWeights(pretrainedBlock5);
    top.trainable = true;
    const tuned = compiled(tf.sequential({ layers: [top, head] }), 1e-4);
    await tuned.fit(pickedMaps!, ys!, { epochs: Math.max(1, Math.round(epochs / 3)), batchSize });

    const measured = { 'from scratch': accuracyOf(scratch, test.xs), 'feature extraction': headOnly, 'fine-tuning': accuracyOf(tuned, maps.test) };
    for (const [method, accuracy] of Object.entries(measured)) curves[method]!.push([Math.log10(k), 100 * accuracy]);
    const percent = (a: number) => `${(100 * a).toFixed(1)}%`;
    rows.push({ task: task.name, 'images per class': k, 'training images': n, ...Object.fromEntries(Object.entries(measured).map(([method, a]) => [method, percent(a)])) });
    console.log(`${task.name}, ${k} per class: ${Object.entries(measured).map(([method, a]) => `${method} ${percent(a)}`).join(', ')}`);
    lesson.showChart(curves, { id: task.name, title: `${task.name}: test accuracy (%)`, xLabel: 'log₁₀ of training images per class', yLabel: 'test accuracy, %' });
    tf.dispose([picked, xs!, ys!, pickedFeatures!, pickedMaps!]);
    scratch.dispose();
  }
}
tf.dispose(pretrainedBlock5);
lesson.showTable(rows, { title: 'Test accuracy on 50 held-out images per class' });
console.log(`the whole experiment took ${((performance.now() - started) / 1000).toFixed(0)} s`);
