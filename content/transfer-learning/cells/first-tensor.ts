import * as tf from '@tensorflow/tfjs';

// A batch of two "images" with three features each.
const x = tf.tensor2d([
  [1, 2, 3],
  [4, 5, 6],
]);
const weights = tf.tensor2d([[0.5], [-1], [2]]);

console.log('input', x);
console.log('x · w =', x.matMul(weights));
console.log('backend:', tf.getBackend());
