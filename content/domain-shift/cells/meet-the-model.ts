import * as tf from '@tensorflow/tfjs';
import * as lesson from 'lesson';

lesson.seed(1);
await lesson.useInferenceBackend(); // this cell only predicts: use the fastest backend for that

// A small CNN trained on handwritten digits: about 7,500 of them, white strokes on black.
const model = await lesson.loadModel('digit-cnn');
model.summary(80);

// How it learned: the training script logged loss and accuracy after every epoch.
const log = await lesson.loadTable('training-log');
const column = (name: string) => log.rows.map((row) => [Number(row[0]), Number(row[log.columns.indexOf(name)])] as const);
lesson.showChart({ 'training loss': column('loss'), 'validation loss': column('val_loss') }, { title: 'Loss while training', xLabel: 'epoch' });
lesson.showChart({ training: column('accuracy'), validation: column('val_accuracy') }, { title: 'Accuracy while training', xLabel: 'epoch' });
const last = log.rows.at(-1)!;
console.log(`after ${last[0]} epochs: validation accuracy ${(100 * Number(last[log.columns.indexOf('val_accuracy')])).toFixed(1)}%`);

// Handwritten digits it never saw during training: the kind of data it was made for.
const handwritten = await lesson.loadImages('handwritten', { trainPerClass: 0, validationPerClass: 0, testPerClass: 50 });
const predictions = tf.tidy(() => Array.from((model.predict(handwritten.test.xs) as tf.Tensor).argMax(-1).dataSync()));
const correct = predictions.filter((p, i) => p === handwritten.test.labels[i]).length;
console.log(`handwritten test digits: ${correct} of ${handwritten.test.size} right, accuracy ${((100 * correct) / handwritten.test.size).toFixed(1)}%`);
await lesson.showImages(handwritten.test.xs, { labels: handwritten.test.labels, predictions, classes: handwritten.classes, max: 20, title: 'Handwritten test digits' });
