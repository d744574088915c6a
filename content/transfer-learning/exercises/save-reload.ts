import * as tf from '@tensorflow/tfjs';
import * as lesson from 'lesson';

export const original = await lesson.loadModel('fashion-cnn');
const fashion = await lesson.loadImages('fashion', { trainPerClass: 0, validationPerClass: 0, testPerClass: 5 });

// TODO: save `original` at half precision (float16) under the name "backbone-half",
// then load it back from the browser into `reloaded`.
export const reloaded = original;

const difference = tf.tidy(() => (original.predict(fashion.test.xs) as tf.Tensor).sub(reloaded.predict(fashion.test.xs) as tf.Tensor).abs().max().dataSync()[0]!);
console.log(`largest difference between the two models' outputs: ${difference}`);
