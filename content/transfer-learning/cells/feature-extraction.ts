import * as tf from '@tensorflow/tfjs';
import * as lesson from 'lesson';

lesson.seed(1); // the same numbers on every run; remove this line to see how much they vary

// 1. The pretrained backbone, cut at its 128-value feature layer and frozen.
const backbone = await lesson.loadModel('fashion-cnn');
const extractor = lesson.cutAt(backbone, 'gap');
extractor.trainable = false;

// 2. The new task: four kinds of clothing the backbone never saw, with 30 training photos of each.
const clothes = await lesson.loadImages('fashion-new', { trainPerClass: 30, validationPerClass: 10, testPerClass: 100, seed: 1 });
console.log(`classes: ${clothes.classes.join(', ')}`);
console.log(`training on ${clothes.train.size} images, testing on ${clothes.test.size}`);

// 3. Run the frozen backbone once over every image; the head trains on these features.
const trainFeatures = await lesson.extractFeatures(extractor, clothes.train.xs);
const validationFeatures = await lesson.extractFeatures(extractor, clothes.validation.xs);
const testFeatures = await lesson.extractFeatures(extractor, clothes.test.xs);

// 4. The new classification head: one output per new class.
const head = tf.sequential({
  layers: [tf.layers.dense({ inputShape: [128], units: clothes.classes.length, activation: 'softmax' })],
});
head.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
await head.fit(trainFeatures, clothes.train.ys, {
  epochs: 10,
  batchSize: 16,
  validationData: [validationFeatures, clothes.validation.ys],
});

// 5. Evaluate on the test split and look at some predictions.
const predictions = tf.tidy(() => Array.from((head.predict(testFeatures) as tf.Tensor).argMax(-1).dataSync()));
const correct = predictions.filter((p, i) => p === clothes.test.labels[i]).length;
console.log(`test accuracy: ${((100 * correct) / predictions.length).toFixed(1)}%`);
await lesson.showImages(clothes.test.xs, { labels: clothes.test.labels, predictions, classes: clothes.classes, max: 20 });
lesson.showConfusionMatrix(clothes.test.labels, predictions, clothes.classes);
