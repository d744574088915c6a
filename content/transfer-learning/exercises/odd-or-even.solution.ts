import * as tf from '@tensorflow/tfjs';
import * as lesson from 'lesson';

lesson.seed(1);
const digits = await lesson.loadImages('digits', { trainPerClass: 30, validationPerClass: 0, testPerClass: 50 });
const extractor = lesson.cutAt(await lesson.loadModel('fashion-cnn'), 'gap');
const trainFeatures = await lesson.extractFeatures(extractor, digits.train.xs);
const testFeatures = await lesson.extractFeatures(extractor, digits.test.xs);

// The new task has two classes: 0 = even, 1 = odd.
const parity = (labels: number[]) => labels.map((digit) => digit % 2);
const trainYs = tf.oneHot(tf.tensor1d(parity(digits.train.labels), 'int32'), 2).toFloat();

// One output per class of the new task, softmax so the two outputs are probabilities.
export const head = tf.sequential({
  layers: [tf.layers.dense({ inputShape: [128], units: 2, activation: 'softmax' })],
});
head.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
await head.fit(trainFeatures, trainYs, { epochs: 40, batchSize: 64 });

const predicted = tf.tidy(() => Array.from((head.predict(testFeatures) as tf.Tensor).argMax(-1).dataSync()));
export const testAccuracy = predicted.filter((p, i) => p === parity(digits.test.labels)[i]).length / digits.test.size;
console.log(`odd-or-even test accuracy: ${(100 * testAccuracy).toFixed(1)}%`);
