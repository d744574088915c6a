import * as tf from '@tensorflow/tfjs';
import * as lesson from 'lesson';

lesson.seed(1);
const model = await lesson.loadModel('fashion-cnn');
const fashion = await lesson.loadImages('fashion', { trainPerClass: 2, validationPerClass: 0, testPerClass: 0 });
const block5 = model.getLayer('block5_pw');

/** Trains one epoch and says how far block5_pw's weights moved. */
async function trainAndMeasure(): Promise<number> {
  const before = block5.getWeights()[0]!.clone();
  await model.fit(fashion.train.xs, fashion.train.ys, { epochs: 1, batchSize: 20 });
  const moved = tf.tidy(() => block5.getWeights()[0]!.sub(before).abs().max().dataSync()[0]!);
  before.dispose();
  return moved;
}

// Feature extraction: everything but the last layer frozen, then compiled.
for (const layer of model.layers) layer.trainable = layer.name === 'predictions';
model.compile({ optimizer: tf.train.sgd(0.05), loss: 'categoricalCrossentropy' });
console.log(`frozen, compiled: block5_pw moved by ${await trainAndMeasure()}`);

// The mistake: unfreeze block 5 for fine-tuning, but do not compile again.
block5.trainable = true;
console.log(`unfrozen, NOT recompiled: block5_pw moved by ${await trainAndMeasure()}`);

// The fix: compile() again after changing `trainable`.
model.compile({ optimizer: tf.train.sgd(0.05), loss: 'categoricalCrossentropy' });
console.log(`unfrozen and recompiled: block5_pw moved by ${(await trainAndMeasure()).toExponential(2)}`);
