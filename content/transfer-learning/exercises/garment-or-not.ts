import * as tf from '@tensorflow/tfjs';
import * as lesson from 'lesson';

lesson.seed(1);
const clothes = await lesson.loadImages('fashion-new', { trainPerClass: 30, validationPerClass: 10, testPerClass: 100, seed: 1 });
const extractor = lesson.cutAt(await lesson.loadModel('fashion-cnn'), 'gap');
const trainFeatures = await lesson.extractFeatures(extractor, clothes.train.xs);
const testFeatures = await lesson.extractFeatures(extractor, clothes.test.xs);

// The new task has two classes: 0 = a garment (Pullover, Dress), 1 = not a garment (Sandal, Bag).
const garment = (labels: number[]) => labels.map((c) => (clothes.classes[c] === 'Pullover' || clothes.classes[c] === 'Dress' ? 0 : 1));
const trainYs = tf.oneHot(tf.tensor1d(garment(clothes.train.labels), 'int32'), 2).toFloat();

// TODO 1: this head still has one output per clothing class. Give it one output per class of the new task.
export const head = tf.sequential({
  layers: [tf.layers.dense({ inputShape: [128], units: clothes.classes.length, activation: 'softmax' })],
});
head.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });

// TODO 2: train the head on trainFeatures and trainYs (40 epochs is plenty).

const predicted = tf.tidy(() => Array.from((head.predict(testFeatures) as tf.Tensor).argMax(-1).dataSync()));
export const testAccuracy = predicted.filter((p, i) => p === garment(clothes.test.labels)[i]).length / clothes.test.size;
console.log(`garment-or-not test accuracy: ${(100 * testAccuracy).toFixed(1)}%`);
