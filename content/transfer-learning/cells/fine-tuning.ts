import * as tf from '@tensorflow/tfjs';
import * as lesson from 'lesson';

lesson.seed(1);
const clothes = await lesson.loadImages('fashion-new', { trainPerClass: 30, validationPerClass: 10, testPerClass: 100, seed: 1 });
const backbone = await lesson.loadModel('fashion-cnn');

// Blocks 1-4 stay frozen in both steps, so their output for an image never changes: compute it once.
// `top` is block 5 plus the pooling layer; it shares its layers and weights with the backbone.
const { base, top } = lesson.splitAt(backbone, 'block4_pw', { upTo: 'gap' });
const maps = {
  train: await lesson.extractFeatures<tf.Rank.R4>(base, clothes.train.xs),
  validation: await lesson.extractFeatures<tf.Rank.R4>(base, clothes.validation.xs),
  test: await lesson.extractFeatures<tf.Rank.R4>(base, clothes.test.xs),
};

// Step 1, feature extraction: block 5 frozen too, so run it once as well and train only the new head,
// as in the feature-extraction cell.
const features = {
  train: await lesson.extractFeatures(top, maps.train),
  validation: await lesson.extractFeatures(top, maps.validation),
};
const head = tf.sequential({ layers: [tf.layers.dense({ inputShape: [128], units: clothes.classes.length, activation: 'softmax' })] });
head.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
await head.fit(features.train, clothes.train.ys, { epochs: 10, batchSize: 16, validationData: [features.validation, clothes.validation.ys] });

// Step 2, fine-tuning: block 5 and the trained head as one model. Unfreeze block 5, compile with a
// learning rate 100 times lower than the head's, and train briefly.
const model = tf.sequential({ layers: [top, head] });
const testAccuracy = () =>
  tf.tidy(() => {
    const predicted = (model.predict(maps.test) as tf.Tensor).argMax(-1).dataSync();
    return predicted.filter((p, i) => p === clothes.test.labels[i]).length / clothes.test.size;
  });
const headOnly = testAccuracy();
top.trainable = true;
model.compile({ optimizer: tf.train.adam(1e-4), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
await model.fit(maps.train, clothes.train.ys, { epochs: 8, batchSize: 16, validationData: [maps.validation, clothes.validation.ys] });
const fineTuned = testAccuracy();
console.log(`test accuracy, head only: ${(100 * headOnly).toFixed(1)}%`);
console.log(`test accuracy, fine-tuned: ${(100 * fineTuned).toFixed(1)}%`);

lesson.showTable(
  [
    { model: 'feature extraction (head only)', 'test accuracy': `${(100 * headOnly).toFixed(1)}%` },
    { model: 'fine-tuned (block 5 + head, lr 1e-4)', 'test accuracy': `${(100 * fineTuned).toFixed(1)}%` },
  ],
  { title: `New clothing classes, ${clothes.train.size} training images` },
);

// One model from pixels to the new classes: the backbone up to `gap` (block 5 now fine-tuned), then
// the head. Saved in this browser, so the Model Deployment page can load it.
const deployable = tf.model({
  inputs: backbone.inputs,
  // getOutputAt(0): `gap` as the backbone itself applies it (splitAt applied its layers a second time).
  outputs: head.layers[0]!.apply(backbone.getLayer('gap').getOutputAt(0)) as tf.SymbolicTensor,
});
await lesson.saveModel(deployable, 'clothing-fine-tuned');
