import * as tf from '@tensorflow/tfjs';
import * as lesson from 'lesson';

// Predictions only, no training: use the fastest backend for that.
console.log(`backend: ${await lesson.useInferenceBackend()}`);

// The model you fine-tuned and saved on the previous page, loaded from this browser.
const model = await lesson.loadSavedModel('digits-fine-tuned');
console.log(`inputs ${JSON.stringify(model.inputs[0]!.shape)}, outputs ${JSON.stringify(model.outputs[0]!.shape)}, ${model.countParams().toLocaleString()} parameters`);

// Held-out digits it never trained on.
const digits = await lesson.loadImages('digits', { trainPerClass: 0, validationPerClass: 0, testPerClass: 50, seed: 2 });
const predictions = tf.tidy(() => Array.from((model.predict(digits.test.xs) as tf.Tensor).argMax(-1).dataSync()));
const correct = predictions.filter((p, i) => p === digits.test.labels[i]).length;
console.log(`test accuracy: ${((100 * correct) / digits.test.size).toFixed(1)}%`);
await lesson.showImages(digits.test.xs, { labels: digits.test.labels, predictions, classes: digits.classes, max: 12, title: 'Your model on new digits' });
