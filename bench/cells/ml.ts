// The benchmark's training and inference workloads for ONE tfjs backend, as a code cell: bench/run.ts
// pastes it into a lesson page's cell (the real sandbox, a fresh worker per backend) and runs the same
// compiled code on the bare reference page. Every figure is printed as one `BENCH {...}` console line.
// Each timed loop does one untimed warm-up first (shader compilation, kernel set-up, moving tensors to
// the backend) and stops early at its time cap, so a slow backend shortens its figure's sample count
// instead of running into the cell's time budget.
import * as tf from '@tensorflow/tfjs';
import * as lesson from 'lesson';

// bench/run.ts replaces this line (keep it on one line) to pick the backend and size the workloads.
const CONFIG = { backend: 'cpu', reps: 5, capMs: 15000, examples: 1000, epochs: 10, batchSize: 32, extract: true, finetune: true, finetuneExamples: 128, scratch: true, scratchExamples: 256, inferenceReps: 20 };

const report = (name: string, value: unknown) => console.log(`BENCH ${JSON.stringify({ name, value })}`);
const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 300);

/** Runs `task` once untimed, then up to `reps` timed times (fewer past CONFIG.capMs); returns the timed ms. */
async function timed(task: () => Promise<void>, reps = CONFIG.reps): Promise<number[]> {
  const samples: number[] = [];
  const started = performance.now();
  for (let i = 0; i <= reps; i++) {
    const t0 = performance.now();
    await task();
    if (i > 0) samples.push(performance.now() - t0);
    if (performance.now() - started > CONFIG.capMs && samples.length > 0) break;
  }
  return samples;
}

/** The run's own backend (the one the sandbox chose) is restored before the cell ends. */
const startBackend = tf.getBackend();
async function useBackend(): Promise<boolean> {
  try {
    return await tf.setBackend(CONFIG.backend);
  } catch {
    return false;
  }
}

const backend = CONFIG.backend;
report('backend', { start: startBackend, measured: backend });
const backbone = await lesson.loadModel('fashion-cnn');
const extractor = lesson.cutAt(backbone, 'gap');
extractor.trainable = false;
const digits = await lesson.loadImages('digits', { trainPerClass: CONFIG.examples / 10, validationPerClass: 0, testPerClass: 0 });
const { xs, ys } = digits.train;

// The frozen backbone over the training images, the lesson module's way (its inference backend:
// WebAssembly when the sandbox has no GPU), as the lesson's first cell does it.
let features: tf.Tensor2D | undefined;
const extractOnce = async () => {
  const copy = xs.clone(); // a new tensor each time, so extractFeatures' cache does not answer
  const result = await lesson.extractFeatures(extractor, copy);
  await result.data();
  copy.dispose();
  features?.dispose();
  features = result;
};
if (CONFIG.extract) report('extract', { ms: await timed(extractOnce), examples: CONFIG.examples });
else await extractOnce();
const trainFeatures = features!;

if (await useBackend()) {
  // A dense classification head on the frozen features.
  try {
    let accuracy = NaN;
    const ms = await timed(async () => {
      const head = tf.sequential({ layers: [tf.layers.dense({ inputShape: [128], units: 10, activation: 'softmax' })] });
      head.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
      const history = await head.fit(trainFeatures, ys, { epochs: CONFIG.epochs, batchSize: CONFIG.batchSize, shuffle: true });
      const acc = history.history.acc ?? history.history.accuracy;
      accuracy = Number(acc?.[acc.length - 1] ?? NaN);
      head.dispose();
    });
    report('head', { ms, examples: CONFIG.examples, epochs: CONFIG.epochs, trainAccuracy: accuracy });
  } catch (error) {
    report('head', { error: errorText(error) });
  }

  if (CONFIG.finetune) {
    // One epoch of fine-tuning the last block with blocks 1-4 frozen: first as a plain model (blocks
    // 1-4 run forward at every step), then the lesson's way (lesson.splitAt: their output computed
    // once, only block 5 and the head run at each step).
    const ftXs = xs.slice(0, CONFIG.finetuneExamples);
    const ftYs = ys.slice(0, CONFIG.finetuneExamples);
    const withHead = (base: tf.LayersModel) => {
      const model = tf.sequential({ layers: [base, tf.layers.dense({ units: 10, activation: 'softmax' })] });
      model.compile({ optimizer: tf.train.adam(1e-4), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
      return model;
    };
    try {
      const fresh = await lesson.loadModel('fashion-cnn');
      const trunk = lesson.cutAt(fresh, 'gap');
      for (const layer of trunk.layers) layer.trainable = layer.name.startsWith('block5_');
      const model = withHead(trunk);
      const ms = await timed(async () => {
        await model.fit(ftXs, ftYs, { epochs: 1, batchSize: CONFIG.batchSize });
      });
      report('finetune', { ms, examples: CONFIG.finetuneExamples });
      model.dispose();
    } catch (error) {
      report('finetune', { error: errorText(error) });
    }
    try {
      const fresh = await lesson.loadModel('fashion-cnn');
      const { base, top } = lesson.splitAt(fresh, 'block4_pw', { upTo: 'gap' });
      const cacheStarted = performance.now();
      const maps = await lesson.extractFeatures<tf.Rank.R4>(base, ftXs);
      await maps.data();
      const cacheMs = performance.now() - cacheStarted;
      await useBackend(); // extractFeatures may have switched to its inference backend and back
      top.trainable = true;
      const model = withHead(top);
      const ms = await timed(async () => {
        await model.fit(maps, ftYs, { epochs: 1, batchSize: CONFIG.batchSize });
      });
      report('finetuneCached', { ms, cacheMs, examples: CONFIG.finetuneExamples });
      model.dispose();
    } catch (error) {
      report('finetuneCached', { error: errorText(error) });
    }
  }

  if (CONFIG.scratch) {
    // The experiment cell's small CNN trained from scratch, one epoch: every convolution gradient
    // (filter and input) on this backend, nothing cached.
    const scXs = xs.slice(0, CONFIG.scratchExamples);
    const scYs = ys.slice(0, CONFIG.scratchExamples);
    try {
      const cnn = tf.sequential({
        layers: [
          tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 16, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
          tf.layers.conv2d({ filters: 32, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 10, activation: 'softmax' }),
        ],
      });
      cnn.compile({ optimizer: tf.train.adam(0.003), loss: 'categoricalCrossentropy' });
      const ms = await timed(async () => {
        await cnn.fit(scXs, scYs, { epochs: 1, batchSize: CONFIG.batchSize });
      });
      report('scratch', { ms, examples: CONFIG.scratchExamples });
      cnn.dispose();
    } catch (error) {
      report('scratch', { error: errorText(error) });
    }
    tf.dispose([scXs, scYs]);
  }

  // Inference latency of the whole backbone (image to its 10-way softmax), batch 1 and batch 32.
  try {
    const result: Record<string, number[]> = {};
    for (const batch of [1, 32]) {
      const input = tf.randomUniform([batch, 28, 28, 1]);
      result[`batch${batch}`] = await timed(async () => {
        const y = backbone.predict(input) as tf.Tensor;
        await y.data();
        y.dispose();
      }, CONFIG.inferenceReps);
      input.dispose();
    }
    report('inference', result);
  } catch (error) {
    report('inference', { error: errorText(error) });
  }
} else {
  report('unavailable', `the ${backend} backend is not available here`);
}

await tf.setBackend(startBackend);
report('memory', tf.memory());
report('done', true);
