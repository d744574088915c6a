import * as tf from '@tensorflow/tfjs';
import * as lesson from 'lesson';

await lesson.useInferenceBackend(); // predictions only: the fastest backend for them
const model = await lesson.loadSavedModel('clothing-fine-tuned');
const clothes = await lesson.loadImages('fashion-new', { trainPerClass: 0, validationPerClass: 0, testPerClass: 100, seed: 1 }); // the test split it never trained on
const reference = model.predict(clothes.test.xs) as tf.Tensor;

const rows = [];
for (const precision of ['float32', 'float16', 'uint8'] as const) {
  // The weights go through storage at this precision and back, as an app loading the files would see them.
  const { model: stored, weightBytes } = await lesson.quantize(model, precision);
  const [accuracy, drift] = tf.tidy(() => {
    const output = stored.predict(clothes.test.xs) as tf.Tensor;
    const predicted = output.argMax(-1).dataSync();
    const correct = predicted.filter((p, i) => p === clothes.test.labels[i]).length;
    return [correct / clothes.test.size, output.sub(reference).abs().max().dataSync()[0]!];
  });
  rows.push({
    precision,
    'weights (KB)': Number((weightBytes / 1024).toFixed(1)),
    'test accuracy': `${(100 * accuracy).toFixed(1)}%`,
    'largest change in a probability': drift.toExponential(1),
  });
  console.log(`${precision}: ${(weightBytes / 1024).toFixed(1)} KB of weights, test accuracy ${(100 * accuracy).toFixed(1)}%`);
  stored.dispose();
}
reference.dispose();
lesson.showTable(rows, { title: `Weight precision, ${clothes.test.size} test photos` });

// Keep the 8-bit version too: it is the one you would ship. The download links appear below.
await lesson.saveModel(model, 'clothing-uint8', { precision: 'uint8' });
