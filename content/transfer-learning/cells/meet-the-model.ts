import * as tf from '@tensorflow/tfjs';
import * as lesson from 'lesson';

await lesson.useInferenceBackend(); // predictions only: the fastest backend for them

// The pretrained backbone: a small MobileNet-style CNN that learned to sort six kinds of clothing.
const model = await lesson.loadModel('fashion-cnn');
model.summary(86);
const count = (weights: tf.LayerVariable[]) => weights.reduce((sum, w) => sum + w.read().size, 0);
console.log(`trainable parameters: ${count(model.trainableWeights).toLocaleString()}, frozen: ${count(model.nonTrainableWeights).toLocaleString()}`);

const predict = (xs: tf.Tensor) => tf.tidy(() => Array.from((model.predict(xs) as tf.Tensor).argMax(-1).dataSync()));

// 1. Photos of its own six classes that it never trained on.
const known = await lesson.loadImages('fashion', { trainPerClass: 0, validationPerClass: 0, testPerClass: 100 });
const knownPredictions = predict(known.test.xs);
const right = knownPredictions.filter((p, i) => p === known.test.labels[i]).length;
console.log(`its own classes (${known.classes.join(', ')}): ${((100 * right) / known.test.size).toFixed(1)}% of ${known.test.size} test photos right`);
await lesson.showImages(known.test.xs, { labels: known.test.labels, predictions: knownPredictions, classes: known.classes, max: 12, title: 'The backbone on its own task' });

// 2. Four kinds of clothing it has never seen at all. It can only answer with a class it knows.
const unknown = await lesson.loadImages('fashion-new', { trainPerClass: 0, validationPerClass: 0, testPerClass: 100 });
const unknownPredictions = predict(unknown.test.xs);
const rows = unknown.classes.map((name, c) => {
  const answers = unknownPredictions.filter((_, i) => unknown.test.labels[i] === c);
  const share = (k: number) => (100 * answers.filter((p) => p === k).length) / answers.length;
  const ranked = known.classes.map((answer, k) => ({ answer, percent: share(k) })).filter((r) => r.percent > 0).sort((a, b) => b.percent - a.percent);
  console.log(`${name} is called: ${ranked.map((r) => `${r.answer} ${r.percent.toFixed(0)}%`).join(', ')}`);
  return { 'new class': name, 'the backbone calls it': ranked.map((r) => `${r.answer} ${r.percent.toFixed(0)}%`).join(', ') };
});
lesson.showTable(rows, { title: `What the backbone calls ${unknown.test.size} photos of classes it never saw` });
// One list of names for both: the true (new) class under each photo, the backbone's answer beside it.
const names = [...known.classes, ...unknown.classes];
await lesson.showImages(unknown.test.xs, {
  labels: unknown.test.labels.map((c) => known.classes.length + c),
  predictions: unknownPredictions,
  classes: names,
  max: 12,
  title: 'The backbone on clothing it never saw',
});
