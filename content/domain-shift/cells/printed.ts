import * as tf from '@tensorflow/tfjs';
import * as lesson from 'lesson';

lesson.seed(1);
await lesson.useInferenceBackend(); // this cell only predicts: use the fastest backend for that
const model = await lesson.loadModel('digit-cnn');

// Printed digits from 29 fonts, photographed-looking: dark ink on light paper. The site resized each
// picture to 28x28 and made it grayscale, so the shapes fit the model's input.
const printed = await lesson.loadImages('printed', { trainPerClass: 0, validationPerClass: 0, testPerClass: 20 });
const { xs, labels } = printed.test;

const accuracy = (images: tf.Tensor4D) => {
  const predictions = tf.tidy(() => Array.from((model.predict(images) as tf.Tensor).argMax(-1).dataSync()));
  const correct = predictions.filter((p, i) => p === labels[i]).length;
  return { predictions, percent: (100 * correct) / labels.length };
};

const asIs = accuracy(xs);
console.log(`printed digits as they are: accuracy ${asIs.percent.toFixed(1)}%`);
const zeros = asIs.predictions.filter((p) => p === 0).length;
console.log(`${zeros} of ${labels.length} printed digits were read as "0"`);
await lesson.showImages(xs, { labels, predictions: asIs.predictions, classes: printed.classes, max: 20, title: 'Printed digits, as the model gets them' });
lesson.showConfusionMatrix(labels, asIs.predictions, printed.classes, { title: 'Printed digits as they are' });

// The obvious first repair: the model learned light strokes on a dark background, so flip the colours.
const inverted = tf.tidy(() => tf.sub(1, xs) as tf.Tensor4D);
const flipped = accuracy(inverted);
console.log(`printed digits with colours flipped: accuracy ${flipped.percent.toFixed(1)}%`);
await lesson.showImages(inverted, { labels, predictions: flipped.predictions, classes: printed.classes, max: 20, title: 'Colours flipped' });

// Still far from what the model was trained on. Most of a picture is background, so the middle value
// of its pixels (the median) says how dark the background is: 0 in the handwritten digits.
const medianPixel = (images: tf.Tensor4D) =>
  tf.tidy(() => {
    const [n, h, w] = images.shape;
    const half = Math.floor((h * w) / 2);
    return tf.topk(images.reshape([n, h * w]), half + 1).values.slice([0, half], [n, 1]).mean().dataSync()[0]!;
  });
const handwritten = await lesson.loadImages('handwritten', { trainPerClass: 0, validationPerClass: 0, testPerClass: 20 });
console.log(`background (median pixel): handwritten ${medianPixel(handwritten.test.xs).toFixed(2)}, printed flipped ${medianPixel(inverted).toFixed(2)}`);
inverted.dispose();
