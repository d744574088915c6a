import * as tf from '@tensorflow/tfjs';
import * as lesson from 'lesson';

export const original = await lesson.loadModel('fashion-cnn');
const fashion = await lesson.loadImages('fashion', { trainPerClass: 0, validationPerClass: 0, testPerClass: 5 });

// Half precision: 2 bytes a weight instead of 4.
const saved = await lesson.saveModel(original, 'backbone-half', { precision: 'float16' });
console.log(`saved ${saved.weightBytes} bytes of weights`);
export const reloaded = await lesson.loadSavedModel('backbone-half');

const difference = tf.tidy(() => (original.predict(fashion.test.xs) as tf.Tensor).sub(reloaded.predict(fashion.test.xs) as tf.Tensor).abs().max().dataSync()[0]!);
console.log(`largest difference between the two models' outputs: ${difference}`);
