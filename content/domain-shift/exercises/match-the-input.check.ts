import * as tf from '@tensorflow/tfjs';
import * as lesson from 'lesson';

/** The middle value of each image's pixels (its background, as most of a picture is background), averaged. */
function medianPixel(images: tf.Tensor4D): number {
  return tf.tidy(() => {
    const [n, h, w] = images.shape;
    const half = Math.floor((h * w) / 2);
    return tf.topk(images.reshape([n, h * w]), half + 1).values.slice([0, half], [n, 1]).mean().dataSync()[0]!;
  });
}

/** preprocess makes printed digits look like the model's training data, and the model reads them. */
export default async function check({ preprocess }: Record<string, unknown>): Promise<string[]> {
  if (typeof preprocess !== 'function') return ['Export the function: `export function preprocess(xs: tf.Tensor4D): tf.Tensor4D { ... }`.'];
  const printed = await lesson.loadImages('printed', { trainPerClass: 0, validationPerClass: 0, testPerClass: 20 });
  const xs = printed.test.xs;
  let out: unknown;
  try {
    out = (preprocess as (x: tf.Tensor4D) => unknown)(xs);
  } catch (error) {
    return [`preprocess threw an error: ${error instanceof Error ? error.message : String(error)}`];
  }
  if (!(out instanceof tf.Tensor)) return ['preprocess must return a tensor (the images, changed), not ' + typeof out + '.'];
  if (out.shape.join() !== xs.shape.join()) return [`preprocess returned shape [${out.shape}]; the model needs the shape it got, [${xs.shape}].`];
  const images = out as tf.Tensor4D;
  const problems: string[] = [];
  const [low, high] = tf.tidy(() => [images.min().dataSync()[0]!, images.max([1, 2, 3]).mean().dataSync()[0]!]);
  const background = medianPixel(images);
  if (!(low >= -1e-6)) problems.push(`Some pixels are below 0 (the lowest is ${low.toFixed(2)}); the model never saw a value below 0. Clip them with .relu() or tf.maximum(x, 0).`);
  if (background > 0.05) {
    problems.push(`The background is ${background.toFixed(2)} on average (the median pixel of each image); in the handwritten digits it is exactly 0. Subtract each image's paper level (its mean pixel is close to it: x.mean([1, 2, 3], true)), then clip at 0.`);
  }
  if (high < 0.9) problems.push(`The strongest stroke of an image is ${high.toFixed(2)} on average; in the handwritten digits it is 1. Divide each image by its own maximum: x.div(x.max([1, 2, 3], true)).`);
  if (problems.length > 0) {
    images.dispose();
    return problems;
  }
  const model = await lesson.loadModel('digit-cnn');
  const predictions = tf.tidy(() => Array.from((model.predict(images) as tf.Tensor).argMax(-1).dataSync()));
  images.dispose();
  const accuracy = predictions.filter((p, i) => p === printed.test.labels[i]).length / printed.test.size;
  if (accuracy < 0.85) return [`The images look right, but the model reads only ${(100 * accuracy).toFixed(1)}% of them; aim for 85%. Did you flip the colours first?`];
  return [];
}
