import * as tf from '@tensorflow/tfjs';
import * as lesson from 'lesson';

lesson.seed(1); // the same numbers on every run; remove this line to see how much they vary

// 1. The pretrained backbone, cut at its 128-value feature layer and frozen.
const backbone = await lesson.loadModel('fashion-cnn');
const extractor = lesson.cutAt(backbone, 'gap');
extractor.trainable = false;

// 2. Handwritten digits: a task the backbone never saw (it learned clothes).
const digits = await lesson.loadImages('digits', { trainPerClass: 30, validationPerClass: 10, testPerClass: 50 });
console.log(`training on ${digits.train.size} digits, testing on ${digits.test.size}`);

// 3. Run the frozen backbone once over every image; the head trains on these features.
const trainFeatures = await lesson.extractFeatures(extractor, digits.train.xs);
const validationFeatures = await lesson.extractFeatures(extractor, digits.validation.xs);
const testFeatures = await lesson.extractFeatures(extractor, digits.test.xs);

// 4. The new classification head: one output per digit.
const head = tf.sequential({
  layers: [tf.layers.dense({ inputShape: [128], units: 10, activation: 'softmax' })],
});
head.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
await head.fit(trainFeatures, digits.train.ys, {
  epochs: 40,
  batchSize: 64,
  validationData: [validationFeatures, digits.validation.ys],
});

// 5. Evaluate on the test split and look at some predictions.
const predictions = tf.tidy(() => Array.from((head.predict(testFeatures) as tf.Tensor).argMax(-1).dataSync()));
const correct = predictions.filter((p, i) => p === digits.test.labels[i]).length;
console.log(`test accuracy: ${((100 * correct) / predictions.length).toFixed(1)}%`);
await lesson.showImages(digits.test.xs, { labels: digits.test.labels, predictions, classes: digits.classes, max: 20 });
lesson.showConfusionMatrix(digits.test.labels, predictions, digits.classes);
