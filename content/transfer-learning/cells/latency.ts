import * as tf from '@tensorflow/tfjs';
import * as lesson from 'lesson';

const model = await lesson.loadSavedModel('clothing-fine-tuned');
const clothes = await lesson.loadImages('fashion-new', { trainPerClass: 0, validationPerClass: 0, testPerClass: 8, seed: 1 });
const one = clothes.test.xs.slice(0, 1);
const batch = clothes.test.xs.slice(0, 32);

/** Median and 95th percentile of `runs` timed predictions, after warm-up runs that are not counted. */
async function time(input: tf.Tensor, runs: number) {
  for (let i = 0; i < 3; i++) tf.tidy(() => (model.predict(input) as tf.Tensor).dataSync()); // warm-up: kernels, shaders, caches
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    tf.tidy(() => (model.predict(input) as tf.Tensor).dataSync()); // dataSync waits for the result
    times.push(performance.now() - started);
    await tf.nextFrame();
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(runs / 2)]!, p95: times[Math.min(runs - 1, Math.ceil(runs * 0.95) - 1)]! };
}

const rows = [];
const chosen = tf.getBackend();
for (const backend of ['cpu', 'wasm', 'webgl']) {
  if (!(await tf.setBackend(backend).catch(() => false))) {
    console.log(`${backend}: not available in this browser`);
    continue;
  }
  const single = await time(one, 30);
  const batched = await time(batch, 10);
  rows.push({
    backend,
    'batch 1, median ms': Number(single.median.toFixed(2)),
    'batch 1, p95 ms': Number(single.p95.toFixed(2)),
    'batch 32, median ms': Number(batched.median.toFixed(2)),
    'per image in a batch of 32, ms': Number((batched.median / 32).toFixed(3)),
  });
  console.log(`${backend}: ${single.median.toFixed(2)} ms for one image, ${(batched.median / 32).toFixed(3)} ms per image in a batch of 32`);
}
await tf.setBackend(chosen);
lesson.showTable(rows, { title: 'Inference latency of your model' });
