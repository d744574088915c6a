import * as tf from '@tensorflow/tfjs';
import * as lesson from 'lesson';

lesson.seed(1);

// The same network as in feature extraction, but with random weights: nothing learned before.
const untrained = await lesson.loadModel('fashion-cnn', { weights: 'random' });
const clothes = await lesson.loadImages('fashion-new', { trainPerClass: 30, validationPerClass: 10, testPerClass: 100, seed: 1 });

// Cut at the same layer and given the same new head; this time every layer trains.
const features = lesson.cutAt(untrained, 'gap');
const head = tf.layers.dense({ units: clothes.classes.length, activation: 'softmax' });
const model = tf.model({ inputs: features.inputs, outputs: head.apply(features.outputs[0]!) as tf.SymbolicTensor });
// A learning rate for training from scratch (0.001 and 0.01 did no better here).
model.compile({ optimizer: tf.train.adam(0.003), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
console.log(`trainable parameters: ${model.countParams()}`);
// How much signal reaches the feature layer through eleven layers of random weights?
const strongest = tf.tidy(() => (features.predict(clothes.train.xs) as tf.Tensor).abs().max().dataSync()[0]!);
console.log(`largest feature value at gap before training: ${strongest.toExponential(1)}`);

// The same images, epochs and batch size as the head in feature extraction: the same effort.
const history = await model.fit(clothes.train.xs, clothes.train.ys, {
  epochs: 10,
  batchSize: 16,
  validationData: [clothes.validation.xs, clothes.validation.ys],
});

const losses = history.history.loss as number[];
console.log(`training loss: ${losses[0]!.toFixed(3)} after the first epoch, ${losses.at(-1)!.toFixed(3)} after the last`);

const predictions = tf.tidy(() => Array.from((model.predict(clothes.test.xs) as tf.Tensor).argMax(-1).dataSync()));
const correct = predictions.filter((p, i) => p === clothes.test.labels[i]).length;
console.log(`test accuracy: ${((100 * correct) / predictions.length).toFixed(1)}%`);
lesson.showConfusionMatrix(clothes.test.labels, predictions, clothes.classes);
