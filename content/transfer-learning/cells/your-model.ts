import * as tf from '@tensorflow/tfjs';
import * as lesson from 'lesson';

// Predictions only, no training: use the fastest backend for that.
console.log(`backend: ${await lesson.useInferenceBackend()}`);

// The model you fine-tuned and saved on the previous page, loaded from this browser.
const model = await lesson.loadSavedModel('clothing-fine-tuned');
console.log(`inputs ${JSON.stringify(model.inputs[0]!.shape)}, outputs ${JSON.stringify(model.outputs[0]!.shape)}, ${model.countParams().toLocaleString()} parameters`);

// The test photos of the new classes, which it never trained on: the same seed gives the same split
// as on the previous page, and the test split does not depend on how many images were trained on.
const clothes = await lesson.loadImages('fashion-new', { trainPerClass: 0, validationPerClass: 0, testPerClass: 100, seed: 1 });
const predictions = tf.tidy(() => Array.from((model.predict(clothes.test.xs) as tf.Tensor).argMax(-1).dataSync()));
const correct = predictions.filter((p, i) => p === clothes.test.labels[i]).length;
console.log(`test accuracy: ${((100 * correct) / clothes.test.size).toFixed(1)}%`);
await lesson.showImages(clothes.test.xs, { labels: clothes.test.labels, predictions, classes: clothes.classes, max: 12, title: 'Your model on photos it never trained on' });
