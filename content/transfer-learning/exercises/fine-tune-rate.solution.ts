import * as tf from '@tensorflow/tfjs';
import * as lesson from 'lesson';

lesson.seed(1);
const clothes = await lesson.loadImages('fashion-new', { trainPerClass: 30, validationPerClass: 10, testPerClass: 100, seed: 1 });
const backbone = await lesson.loadModel('fashion-cnn');
const { base, top } = lesson.splitAt(backbone, 'block4_pw', { upTo: 'gap' });
const maps = { train: await lesson.extractFeatures<tf.Rank.R4>(base, clothes.train.xs), test: await lesson.extractFeatures<tf.Rank.R4>(base, clothes.test.xs) };

// Feature extraction first: a new head on the frozen backbone's features.
const head = tf.sequential({ layers: [tf.layers.dense({ inputShape: [128], units: clothes.classes.length, activation: 'softmax' })] });
head.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
await head.fit(await lesson.extractFeatures(top, maps.train), clothes.train.ys, { epochs: 10, batchSize: 16 });

export const model = tf.sequential({ layers: [top, head] });
const accuracy = () =>
  tf.tidy(() => (model.predict(maps.test) as tf.Tensor).argMax(-1).dataSync().filter((p, i) => p === clothes.test.labels[i]).length / clothes.test.size);
export const headOnlyAccuracy = accuracy();

// Fine-tuning: block 5 unfrozen, trained together with the head.
// 100 times lower than the head's: nudge the pretrained weights, do not overwrite them.
export const learningRate = 1e-4;
top.trainable = true;
model.compile({ optimizer: tf.train.adam(learningRate), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
await model.fit(maps.train, clothes.train.ys, { epochs: 5, batchSize: 16 });
export const fineTunedAccuracy = accuracy();
console.log(`test accuracy: ${(100 * headOnlyAccuracy).toFixed(1)}% with the head only, ${(100 * fineTunedAccuracy).toFixed(1)}% after fine-tuning at ${learningRate}`);
