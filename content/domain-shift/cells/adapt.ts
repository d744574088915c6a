import * as tf from '@tensorflow/tfjs';
import * as lesson from 'lesson';

lesson.seed(1);

// The input fix from the exercise: light strokes on a background of 0, the strongest stroke at 1.
function preprocess(xs: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const flipped = tf.sub(1, xs) as tf.Tensor4D;
    const strokes = flipped.sub(flipped.mean([1, 2, 3], true)).relu();
    return strokes.div(strokes.max([1, 2, 3], true)) as tf.Tensor4D;
  });
}

// Everything up to dense1 stays frozen, so its output (64 numbers per image) is computed once per
// image; only the last layer, `predictions`, learns from printed examples.
const { base } = lesson.splitAt(await lesson.loadModel('digit-cnn'), 'dense1');
const handwritten = await lesson.loadImages('handwritten', { trainPerClass: 0, validationPerClass: 0, testPerClass: 50 });
const printed = await lesson.loadImages('printed', { trainPerClass: 20, validationPerClass: 0, testPerClass: 20 });
const handwrittenFeatures = await lesson.extractFeatures(base, handwritten.test.xs);
const [testInputs, poolInputs] = [preprocess(printed.test.xs), preprocess(printed.train.xs)];
const testFeatures = await lesson.extractFeatures(base, testInputs);
const poolFeatures = await lesson.extractFeatures(base, poolInputs);
tf.dispose([testInputs, poolInputs]); // the features are all that is needed from here on

// Which few examples you happen to have matters. So each size is tried with several draws from the
// 20 training digits per class (disjoint ones), always tested on the same 200 other printed digits.
const byClass = printed.classes.map((_, c) => printed.train.labels.flatMap((label, i) => (label === c ? [i] : [])));
const draw = (perClass: number, n: number) => tf.tensor1d(byClass.flatMap((indices) => indices.slice(n * perClass, (n + 1) * perClass)), 'int32');

const accuracy = (top: tf.LayersModel, features: tf.Tensor, labels: number[]) => {
  const predicted = tf.tidy(() => (top.predict(features) as tf.Tensor).argMax(-1).dataSync());
  return (100 * labels.filter((label, i) => predicted[i] === label).length) / labels.length;
};
const range = (values: number[]) =>
  values.length === 1 ? `${values[0]!.toFixed(1)}%` : `${Math.min(...values).toFixed(1)}-${Math.max(...values).toFixed(1)}%`;

console.log(`input fix only: printed ${accuracy(lesson.splitAt(await lesson.loadModel('digit-cnn'), 'dense1').top, testFeatures, printed.test.labels).toFixed(1)}%`);
const rows: Record<string, string | number>[] = [];
const curves: Record<string, [number, number][]> = { 'trained last layer': [], 'new last layer': [] };
for (const [perClass, draws] of [[1, 3], [5, 3], [20, 1]] as const) {
  for (const start of ['trained', 'new'] as const) {
    const started = performance.now();
    const printedScores: number[] = [];
    const handwrittenScores: number[] = [];
    for (let n = 0; n < draws; n++) {
      // The model's own last layer, as it learned handwriting, or a new one with random weights. A
      // trained layer is nudged with a learning rate 10 times lower than a new one needs.
      const top =
        start === 'trained'
          ? lesson.splitAt(await lesson.loadModel('digit-cnn'), 'dense1').top
          : tf.sequential({ layers: [tf.layers.dense({ inputShape: [64], units: 10, activation: 'softmax' })] });
      top.compile({ optimizer: tf.train.adam(start === 'trained' ? 1e-3 : 1e-2), loss: 'categoricalCrossentropy' });
      const picked = draw(perClass, n);
      const [xs, ys] = [tf.gather(poolFeatures, picked), tf.gather(printed.train.ys, picked)];
      await top.fit(xs, ys, { epochs: 30, batchSize: 16, verbose: 0 });
      tf.dispose([picked, xs, ys]);
      printedScores.push(accuracy(top, testFeatures, printed.test.labels));
      handwrittenScores.push(accuracy(top, handwrittenFeatures, handwritten.test.labels));
    }
    const mean = printedScores.reduce((a, b) => a + b, 0) / draws;
    const seconds = (performance.now() - started) / 1000;
    console.log(`${perClass} per class, ${start} last layer: printed ${mean.toFixed(1)}% (${range(printedScores)} over ${draws} draw(s)), handwritten ${range(handwrittenScores)} (${seconds.toFixed(1)} s)`);
    rows.push({ 'printed examples per class': perClass, 'last layer': start, 'printed test (%)': range(printedScores), 'handwritten test (%)': range(handwrittenScores) });
    curves[`${start} last layer`]!.push([perClass, mean]);
    lesson.showChart(curves, { id: 'adapt', title: 'Printed test accuracy, mean over draws (%)', xLabel: 'printed examples per class', yLabel: '%' });
  }
}
lesson.showTable(rows, { title: 'Adapting the last layer to print' });
