import * as tf from '@tensorflow/tfjs';
import * as lesson from 'lesson';

lesson.seed(1);

// How many of the backbone's five blocks to fine-tune, counted from the top (0 = head only).
// Try other choices, up to 5; every extra block costs training time.
const CHOICES = [0, 1, 2];

const clothes = await lesson.loadImages('fashion-new', { trainPerClass: 30, validationPerClass: 10, testPerClass: 100, seed: 1 }); // the running example's images
// The last layer below each block: everything up to it stays frozen.
const BELOW_BLOCK = ['stem_conv', 'block1_pw', 'block2_pw', 'block3_pw', 'block4_pw'];
const count = (weights: tf.LayerVariable[]) => weights.reduce((sum, w) => sum + w.read().size, 0);
const rows: Record<string, string | number>[] = [];

for (const blocks of CHOICES) {
  const started = performance.now();
  const backbone = await lesson.loadModel('fashion-cnn');
  // The frozen part runs once; `top` holds the unfrozen blocks (none when blocks is 0).
  const { base, top } = blocks === 0 ? { base: lesson.cutAt(backbone, 'gap'), top: null } : lesson.splitAt(backbone, BELOW_BLOCK[5 - blocks]!, { upTo: 'gap' });
  const trainMaps = await lesson.extractFeatures(base, clothes.train.xs);
  const testMaps = await lesson.extractFeatures(base, clothes.test.xs);

  // First a head on the frozen features, as in feature extraction.
  const trainFeatures = top ? await lesson.extractFeatures(top, trainMaps) : trainMaps;
  const head = tf.sequential({ layers: [tf.layers.dense({ inputShape: [128], units: clothes.classes.length, activation: 'softmax' })] });
  head.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  await head.fit(trainFeatures, clothes.train.ys, { epochs: 10, batchSize: 16 });

  // Then the chosen blocks and the head together, with a low learning rate.
  const model = top ? tf.sequential({ layers: [top, head] }) : head;
  if (top) {
    top.trainable = true;
    model.compile({ optimizer: tf.train.adam(1e-4), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    await model.fit(trainMaps, clothes.train.ys, { epochs: 8, batchSize: 16 });
  }
  const accuracy = tf.tidy(() => {
    const predicted = (model.predict(testMaps) as tf.Tensor).argMax(-1).dataSync();
    return predicted.filter((p, i) => p === clothes.test.labels[i]).length / clothes.test.size;
  });
  rows.push({
    'blocks unfrozen': blocks,
    'trainable parameters': count(model.trainableWeights),
    'test accuracy': `${(100 * accuracy).toFixed(1)}%`,
    seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
  });
  console.log(`${blocks} block(s) unfrozen: ${count(model.trainableWeights)} trainable parameters, test accuracy ${(100 * accuracy).toFixed(1)}%`);
}
lesson.showTable(rows, { title: `Fine-tuning more blocks, ${clothes.train.size} training images of the new classes` });
