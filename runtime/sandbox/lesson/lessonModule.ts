import type * as TF from '@tensorflow/tfjs';
import type * as Lesson from 'lesson';
import { parseImageSet, type ImageSet } from '../../data/imageSet';
import { SAVED_MODEL_NAME, type Display, type ImageCaption, type SandboxData, type SavedModel } from '../../protocol';
import { deserializeModel, serializeModel, type Precision } from './modelIo';
import { seededRandom, shuffled, splitIndices, validateCount } from './splits';

export interface LessonModuleDeps {
  tf: typeof TF;
  data: SandboxData;
  /** The student's drawings for this run (image-set bytes), if the page has a drawing pad. */
  drawings?: ArrayBuffer;
  /** The backbone deserialized while the sandbox was warming up, handed out by the first loadBackbone(). */
  warmBackbone?: TF.LayersModel;
  /** A faster backend for inference (wasm), when the run trains on a slower one (cpu, as a page may ask); used by extractFeatures. */
  inferenceBackend?: string;
  /** Models this lesson saved in earlier runs, by name. */
  savedModels?: Record<string, SavedModel>;
  /** Hands a saved model to the page, which keeps it and offers it as a download (without it, saving lasts for this run). */
  saveModel?(name: string, model: SavedModel): void;
  show(display: Display): void;
  /** Replaces the run's Math.random (TensorFlow.js draws its initializer, dropout and shuffle seeds from it). */
  setRandom?(random: () => number): void;
  /** Records tensors the module created, so the leak report does not blame the student for them. */
  own(tensor: TF.Tensor): void;
}

export const DIGIT_CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
export const FASHION_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
const MAX_IMAGE_SIDE = 64;

/** Deserializes the backbone from the bytes the page fetched. */
export async function deserializeBackbone(tf: typeof TF, model: SandboxData['model']): Promise<TF.LayersModel> {
  if ('error' in model) throw new Error(model.error);
  return deserializeModel(tf, model);
}

/** The lesson helper module as cells see it (`import * as lesson from 'lesson'`), for one run. */
export function createLessonModule(deps: LessonModuleDeps): typeof Lesson {
  const { tf } = deps;
  let warm = deps.warmBackbone;
  const parsed = new Map<string, ImageSet>();
  const featureCache = new WeakMap<TF.LayersModel, WeakMap<TF.Tensor, TF.Tensor>>();
  const saved = new Map(Object.entries(deps.savedModels ?? {}));

  function imageSet(name: string, what: string): ImageSet {
    const cached = parsed.get(name);
    if (cached) return cached;
    const bytes = deps.data.datasets[name];
    if (!bytes) throw new Error(`The ${what} could not be downloaded, so this cell cannot use it. Reload the page to try again.`);
    const set = parseImageSet(bytes);
    parsed.set(name, set);
    return set;
  }

  function cutAt(model: TF.LayersModel, layerName: string): TF.LayersModel {
    let layer: TF.layers.Layer;
    try {
      layer = model.getLayer(layerName);
    } catch {
      throw new Error(`The model has no layer named "${layerName}". Its layers are: ${model.layers.map((l) => l.name).join(', ')}`);
    }
    return tf.model({ inputs: model.inputs, outputs: layer.output as TF.SymbolicTensor, name: `${model.name}_to_${layerName}` });
  }

  function toSplit(set: ImageSet, indices: readonly number[]): Lesson.Split {
    const pixelsPerImage = set.width * set.height * set.channels;
    const values = new Float32Array(indices.length * pixelsPerImage);
    const labels: number[] = [];
    indices.forEach((index, row) => {
      const start = index * pixelsPerImage;
      for (let p = 0; p < pixelsPerImage; p++) values[row * pixelsPerImage + p] = set.pixels[start + p]! / 255;
      labels.push(set.labels[index]!);
    });
    const xs = tf.tensor4d(values, [indices.length, set.height, set.width, set.channels]);
    const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), set.classes.length).toFloat() as TF.Tensor2D);
    deps.own(xs);
    deps.own(ys);
    return { xs, ys, labels, size: indices.length };
  }

  function loadSplits(name: string, what: string, options: Lesson.SplitOptions = {}): Lesson.DataSet {
    const set = imageSet(name, what);
    const indices = splitIndices(set.labels, set.classes.length, {
      trainPerClass: validateCount('trainPerClass', options.trainPerClass, 100),
      validationPerClass: validateCount('validationPerClass', options.validationPerClass, 20),
      testPerClass: validateCount('testPerClass', options.testPerClass, 100),
      seed: validateCount('seed', options.seed, 1),
    });
    return {
      name: set.name,
      classes: [...set.classes],
      train: toSplit(set, indices.train),
      validation: toSplit(set, indices.validation),
      test: toSplit(set, indices.test),
    };
  }

  return {
    fashionClasses: FASHION_CLASSES,
    digitClasses: DIGIT_CLASSES,

    async loadBackbone() {
      if (warm) {
        const model = warm;
        warm = undefined;
        return model;
      }
      return deserializeBackbone(tf, deps.data.model);
    },

    cutAt,

    splitAt(model, layerName, options = {}) {
      const names = model.layers.map((l) => l.name);
      const at = names.indexOf(layerName);
      const end = options.upTo === undefined ? names.length - 1 : names.indexOf(options.upTo);
      if (at < 0) throw new Error(`The model has no layer named "${layerName}". Its layers are: ${names.join(', ')}`);
      if (end < 0) throw new Error(`The model has no layer named "${options.upTo}". Its layers are: ${names.join(', ')}`);
      if (end <= at) throw new Error(`"${options.upTo}" comes before "${layerName}"; upTo must name a later layer`);
      const layers = model.layers.slice(at + 1, end + 1);
      layers.forEach((layer, i) => {
        // The first inbound node is the layer's place in `model`; later ones come from other splits.
        const own = layer.inboundNodes[0];
        const previous = i === 0 ? model.layers[at]! : layers[i - 1]!;
        if (!own || own.inboundLayers.length !== 1 || own.inboundLayers[0] !== previous) {
          throw new Error(`splitAt works on a chain of layers; "${layer.name}" does not simply follow "${previous.name}"`);
        }
      });
      const input = tf.input({ shape: (model.getLayer(layerName).outputShape as (number | null)[]).slice(1) as number[] });
      const output = layers.reduce<TF.SymbolicTensor>((x, layer) => layer.apply(x) as TF.SymbolicTensor, input);
      return {
        base: cutAt(model, layerName),
        top: tf.model({ inputs: input, outputs: output, name: `${model.name}_from_${layerName}` }),
      };
    },

    async useInferenceBackend() {
      const backend = deps.inferenceBackend ?? tf.getBackend();
      await tf.setBackend(backend);
      return backend;
    },

    seed(seed) {
      const random = seededRandom(validateCount('seed', seed, 1));
      if (deps.setRandom) deps.setRandom(random);
      else Math.random = random;
    },

    async saveModel(model, name = 'my-model', options = {}) {
      if (typeof name !== 'string' || !SAVED_MODEL_NAME.test(name)) {
        throw new Error(`"${String(name)}" cannot name a saved model: use lowercase letters, digits and dashes, at most 40 (for example "my-model")`);
      }
      const precision = validatePrecision(options.precision);
      const serialized = await serializeModel(tf, model, name, precision);
      saved.set(name, serialized);
      deps.saveModel?.(name, { json: serialized.json, weights: serialized.weights.slice(0) });
      return { name, bytes: serialized.json.length + serialized.weights.byteLength, weightBytes: serialized.weights.byteLength };
    },

    async loadSavedModel(name = 'my-model') {
      const model = saved.get(name);
      if (!model) {
        const known = [...saved.keys()];
        throw new Error(
          `No model named "${name}" is saved in this browser yet. ` +
            (known.length > 0 ? `Saved models: ${known.map((n) => `"${n}"`).join(', ')}. ` : '') +
            'Run the cell that saves it (lesson.saveModel) first, then run this cell again.',
        );
      }
      return deserializeModel(tf, model);
    },

    savedModelNames() {
      return [...saved.keys()].sort();
    },

    async quantize(model, precision) {
      const serialized = await serializeModel(tf, model, 'quantized', validatePrecision(precision));
      return { model: await deserializeModel(tf, serialized), weightBytes: serialized.weights.byteLength };
    },

    async loadDigits(options) {
      return loadSplits('digits', 'digits data set', options);
    },

    async loadFashion(options) {
      return loadSplits('fashion', 'Fashion-MNIST sample', options);
    },

    async loadDrawings(options = {}) {
      if (!deps.drawings) throw new Error('There are no drawings yet: draw a few examples of each class on the drawing pad above, then run again.');
      const set = parseImageSet(deps.drawings);
      const testFraction = options.testFraction ?? 0.25;
      if (!(testFraction >= 0 && testFraction < 1)) throw new RangeError('testFraction must be at least 0 and below 1');
      const random = seededRandom(validateCount('seed', options.seed, 1));
      const train: number[] = [];
      const test: number[] = [];
      set.classes.forEach((_, label) => {
        const indices = shuffled(
          Array.from(set.labels.keys()).filter((i) => set.labels[i] === label),
          random,
        );
        const testCount = indices.length >= 2 ? Math.max(1, Math.round(indices.length * testFraction)) : 0;
        test.push(...indices.slice(0, testCount));
        train.push(...indices.slice(testCount));
      });
      return { name: set.name, classes: [...set.classes], train: toSplit(set, shuffled(train, random)), validation: toSplit(set, []), test: toSplit(set, test) };
    },

    async extractFeatures<R extends TF.Rank>(model: TF.LayersModel, xs: TF.Tensor, options: { batchSize?: number } = {}): Promise<TF.Tensor<R>> {
      let perModel = featureCache.get(model);
      const cached = perModel?.get(xs);
      if (cached && !cached.isDisposed) return cached as unknown as TF.Tensor<R>;
      const batchSize = options.batchSize ?? 256;
      const trainingBackend = tf.getBackend();
      const switchBackend = deps.inferenceBackend !== undefined && deps.inferenceBackend !== trainingBackend;
      let features: TF.Tensor;
      try {
        if (switchBackend) await tf.setBackend(deps.inferenceBackend!);
        const parts: TF.Tensor[] = [];
        for (let start = 0; start < xs.shape[0]!; start += batchSize) {
          const size = Math.min(batchSize, xs.shape[0]! - start);
          parts.push(tf.tidy(() => model.predict(xs.slice(start, size)) as TF.Tensor));
          await tf.nextFrame(); // keep the worker responsive between batches
        }
        features = parts.length === 1 ? parts[0]! : tf.concat(parts);
        if (parts.length > 1) parts.forEach((p) => p.dispose());
      } finally {
        if (switchBackend) await tf.setBackend(trainingBackend);
      }
      deps.own(features);
      if (!perModel) featureCache.set(model, (perModel = new WeakMap()));
      perModel.set(xs, features);
      return features as TF.Tensor<R>;
    },

    async showImages(images, options = {}) {
      const max = Math.min(options.max ?? 24, 100);
      const batch = tf.tidy(() => {
        let t = images.rank === 3 && (images.shape[2] === 1 || images.shape[2] === 3) && options.labels === undefined ? images.expandDims(0) : images;
        if (t.rank === 3) t = t.expandDims(-1); // [n, h, w] grayscale
        if (t.rank !== 4) throw new Error(`showImages expects images shaped [n, height, width, channels]; got [${images.shape}]`);
        t = t.slice(0, Math.min(max, t.shape[0]!));
        const [, h, w] = t.shape as number[];
        if (h! > MAX_IMAGE_SIDE || w! > MAX_IMAGE_SIDE) t = tf.image.resizeBilinear(t as TF.Tensor4D, [Math.min(h!, MAX_IMAGE_SIDE), Math.min(w!, MAX_IMAGE_SIDE)]);
        const scale = t.max().dataSync()[0]! <= 1 ? 255 : 1;
        return t.mul(scale).clipByValue(0, 255).round().toInt();
      });
      const [count, height, width, channels] = batch.shape as [number, number, number, number];
      if (channels !== 1 && channels !== 3 && channels !== 4) {
        batch.dispose();
        throw new Error(`showImages shows 1, 3 or 4 channels; these images have ${channels}`);
      }
      const pixels = Uint8Array.from(await batch.data());
      batch.dispose();
      const name = (index: number | undefined) => (index === undefined ? undefined : (options.classes?.[index] ?? String(index)));
      const captions: ImageCaption[] = Array.from({ length: count }, (_, i) => {
        const label = options.labels?.[i];
        const prediction = options.predictions?.[i];
        return {
          label: name(label),
          prediction: name(prediction),
          correct: label !== undefined && prediction !== undefined ? label === prediction : undefined,
        };
      });
      deps.show({ kind: 'images', title: options.title, width, height, channels, pixels, captions });
    },

    showConfusionMatrix(labels, predictions, classes, options = {}) {
      if (labels.length !== predictions.length) throw new Error(`showConfusionMatrix needs as many predictions (${predictions.length}) as labels (${labels.length})`);
      const matrix = classes.map(() => classes.map(() => 0));
      labels.forEach((label, i) => {
        const row = matrix[label];
        const prediction = predictions[i]!;
        if (!row || prediction < 0 || prediction >= classes.length) throw new RangeError(`class index out of range at position ${i}`);
        row[prediction]!++;
      });
      deps.show({ kind: 'confusion', title: options.title, classes: [...classes], matrix });
    },

    showTable(rows, options = {}) {
      const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
      const cell = (value: unknown) => (value === undefined || value === null ? null : typeof value === 'number' ? value : String(value));
      deps.show({ kind: 'table', title: options.title, columns, rows: rows.map((row) => columns.map((c) => cell(row[c]))) });
    },

    showChart(series, options) {
      deps.show({
        kind: 'chart',
        id: options.id ?? options.title,
        title: options.title,
        xLabel: options.xLabel ?? '',
        yLabel: options.yLabel ?? '',
        series: Object.entries(series).map(([name, points]) => ({
          name,
          points: points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)).map(([x, y]) => [x, y]),
        })),
      });
    },
  };
}

function validatePrecision(precision: unknown): Precision {
  if (precision === undefined) return 'float32';
  if (precision === 'float32' || precision === 'float16' || precision === 'uint8') return precision;
  throw new Error(`precision must be "float32", "float16" or "uint8", not ${JSON.stringify(precision)}`);
}
