import * as tf from '@tensorflow/tfjs';
import * as lesson from 'lesson';

lesson.seed(1);
await lesson.useInferenceBackend(); // this cell only predicts: use the fastest backend for that
const model = await lesson.loadModel('digit-cnn');
const printed = await lesson.loadImages('printed', { trainPerClass: 0, validationPerClass: 0, testPerClass: 20 });

/**
 * Turns printed digits (dark ink on light paper, values in [0, 1], shape [n, 28, 28, 1]) into what the
 * model learned from: light strokes on a background of exactly 0, the strongest strokes at 1.
 */
export function preprocess(xs: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const flipped = tf.sub(1, xs) as tf.Tensor4D; // light strokes on a dark background
    // Most of a picture is paper, so its mean pixel is a little above the paper's level: subtract it
    // and clip at 0, and the background is 0 whatever the paper's colour or the light.
    const strokes = flipped.sub(flipped.mean([1, 2, 3], true)).relu();
    // Stretch each image so that its strongest stroke is 1, however faint or dark the ink was.
    return strokes.div(strokes.max([1, 2, 3], true)) as tf.Tensor4D;
  });
}

const inputs = preprocess(printed.test.xs);
const predictions = tf.tidy(() => Array.from((model.predict(inputs) as tf.Tensor).argMax(-1).dataSync()));
const correct = predictions.filter((p, i) => p === printed.test.labels[i]).length;
console.log(`printed digits after preprocess: accuracy ${((100 * correct) / printed.test.size).toFixed(1)}%`);
await lesson.showImages(inputs, { labels: printed.test.labels, predictions, classes: printed.classes, max: 20, title: 'What the model gets' });
inputs.dispose();
