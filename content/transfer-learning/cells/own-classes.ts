import * as tf from '@tensorflow/tfjs';
import * as lesson from 'lesson';

// Your drawings from the pad above, as a data set of your own classes.
const mine = await lesson.loadDrawings();
console.log(`classes: ${mine.classes.join(', ')} · ${mine.train.size} to train on, ${mine.test.size} held out`);

// The frozen backbone turns every drawing into 128 numbers, once.
const extractor = lesson.cutAt(await lesson.loadModel('fashion-cnn'), 'gap');
const trainFeatures = await lesson.extractFeatures(extractor, mine.train.xs);

// A new head with one output per class of yours, trained on those features.
const head = tf.sequential({
  layers: [tf.layers.dense({ inputShape: [128], units: mine.classes.length, activation: 'softmax' })],
});
head.compile({ optimizer: tf.train.adam(0.02), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
await head.fit(trainFeatures, mine.train.ys, { epochs: 60, batchSize: 16 });

// How does it do on the drawings it never saw?
if (mine.test.size > 0) {
  const testFeatures = await lesson.extractFeatures(extractor, mine.test.xs);
  const predictions = tf.tidy(() => Array.from((head.predict(testFeatures) as tf.Tensor).argMax(-1).dataSync()));
  await lesson.showImages(mine.test.xs, { labels: mine.test.labels, predictions, classes: mine.classes, title: 'Held-out drawings' });
} else {
  console.log('Draw at least two examples of a class to hold one out for testing.');
}
