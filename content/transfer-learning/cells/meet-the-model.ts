import * as tf from '@tensorflow/tfjs';
import * as lesson from 'lesson';

// The pretrained backbone: a small MobileNet-style CNN that learned to sort clothing.
const model = await lesson.loadModel('fashion-cnn');
model.summary(86);

const count = (weights: tf.LayerVariable[]) => weights.reduce((sum, w) => sum + w.read().size, 0);
console.log(`trainable parameters: ${count(model.trainableWeights).toLocaleString()}, frozen: ${count(model.nonTrainableWeights).toLocaleString()}`);

// What does it say about clothing it never saw during training?
const fashion = await lesson.loadImages('fashion', { trainPerClass: 0, validationPerClass: 0, testPerClass: 2 });
const predictions = tf.tidy(() => Array.from((model.predict(fashion.test.xs) as tf.Tensor).argMax(-1).dataSync()));
await lesson.showImages(fashion.test.xs, {
  labels: fashion.test.labels,
  predictions,
  classes: fashion.classes,
  title: 'The backbone on its own task',
});
