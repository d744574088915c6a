import * as tf from '@tensorflow/tfjs';
import * as lesson from 'lesson';

// In Keras (Python), a change to `trainable` only takes effect at the next compile(): forgetting to
// recompile after freezing layers is a classic bug there. What does TensorFlow.js do?
const model = await lesson.loadBackbone();
const fashion = await lesson.loadFashion({ trainPerClass: 2, validationPerClass: 0, testPerClass: 0 });
model.compile({ optimizer: tf.train.sgd(0.05), loss: 'categoricalCrossentropy' });

// Freeze everything but the last layer AFTER compiling, and do not recompile.
for (const layer of model.layers) layer.trainable = layer.name === 'predictions';
const block5 = model.getLayer('block5_pw');
const before = block5.getWeights()[0]!.clone();
await model.fit(fashion.train.xs, fashion.train.ys, { epochs: 1, batchSize: 20 });
const moved = tf.tidy(() => block5.getWeights()[0]!.sub(before).abs().max().dataSync()[0]!);
console.log(`largest change in the "frozen" block5_pw after training: ${moved}`);
console.log(moved === 0 ? 'TensorFlow.js honoured the freeze without a recompile (and warned).' : 'The frozen layer changed: recompile after changing trainable.');
before.dispose();
