import * as tf from '@tensorflow/tfjs';
import * as lesson from 'lesson';

lesson.seed(1);
const digits = await lesson.loadImages('digits', { trainPerClass: 20, validationPerClass: 0, testPerClass: 50 });
const backbone = await lesson.loadModel('fashion-cnn');
const { base, top } = lesson.splitAt(backbone, 'block4_pw', { upTo: 'gap' });
const maps = { train: await lesson.extractFeatures<tf.Rank.R4>(base, digits.train.xs), test: await lesson.extractFeatures<tf.Rank.R4>(base, digits.test.xs) };

// Feature extraction first: a new head on the frozen backbone's features.
const head = tf.sequential({ layers: [tf.layers.dense({ inputShape: [128], units: 10, activation: 'softmax' })] });
head.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
await head.fit(await lesson.extractFeatures(top, maps.train), digits.train.ys, { epochs: 40, batchSize: 64 });

export const model = tf.sequential({ layers: [top, head] });
const accuracy = () =>
  tf.tidy(() => (model.predict(maps.test) as tf.Tensor).argMax(-1).dataSync().filter((p, i) => p === digits.test.labels[i]).length / digits.test.size);
export const headOnlyAccuracy = accuracy();

// Fine-tuning: block 5 unfrozen, trained together with the head.
// TODO: this is the learning rate that trained the new head. Choose one suited to pretrained weights.
export const learningRate = 0.01;
top.trainable = true;
model.compile({ optimizer: tf.train.adam(learningRate), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
await model.fit(maps.train, digits.train.ys, { epochs: 3, batchSize: 32 });
export const fineTunedAccuracy = accuracy();
console.log(`test accuracy: ${(100 * headOnlyAccuracy).toFixed(1)}% with the head only, ${(100 * fineTunedAccuracy).toFixed(1)}% after fine-tuning at ${learningRate}`);
