import type * as TF from '@tensorflow/tfjs';
import type * as Lesson from 'lesson';
import { parseImageSet, type ImageSet } from '../../data/imageSet';
import type { Table } from '../../lessonAssets';
import { RUN_INPUT, SAVED_MODEL_NAME, type DatasetBytes, type LessonData, type SavedModel, type Unavailable } from '../../protocol';
import { deserializeModel, serializeModel, untrainedModel, type Precision } from './modelIo';
import { seededRandom, shuffled, splitIndices, validateCount } from './splits';

export interface LessonCoreDeps {
  tf: typeof TF;
  /** The models and data sets the lesson declares, by name, as the page fetched them (they may still be on their way). */
  data: LessonData | Promise<LessonData>;
  /** Per-run inputs by name (RUN_INPUT), e.g. the student's drawings. */
  inputs?: Record<string, ArrayBuffer>;
  /** Models deserialized (and run once) while the sandbox warmed up; each is handed out once. */
  warmModels?: Map<string, TF.LayersModel> | Promise<Map<string, TF.LayersModel>>;
  /** A faster backend for inference (wasm), when the run trains on a slower one (cpu, as a page may ask); used by extractFeatures. */
  inferenceBackend?: string;
  /** Models this lesson saved in earlier runs, by name. */
  savedModels?: Record<string, SavedModel>;
  /** Hands a saved model to the page, which keeps it and offers it as a download (without it, saving lasts for this run). */
  saveModel?(name: string, model: SavedModel): void;
  /** Replaces the run's Math.random (TensorFlow.js draws its initializer, dropout and shuffle seeds from it). */
  setRandom?(random: () => number): void;
  /** Records tensors the module created, so the leak report does not blame the student for them. */
  own(tensor: TF.Tensor): void;
}

type LessonCore = Omit<typeof Lesson, 'showImages' | 'showConfusionMatrix' | 'showTable' | 'showChart'>;

const isUnavailable = (value: object): value is Unavailable => 'error' in value;
const quotedList = (names: string[]) => names.map((n) => `"${n}"`).join(', ');

/**
 * The part of the lesson module that knows no lesson: it loads whatever models and data sets the
 * lesson declared, by name, and offers the few operations TensorFlow.js has no one-liner for.
 */
export function createLessonCore(deps: LessonCoreDeps): LessonCore {
  const { tf } = deps;
  const lessonData = Promise.resolve(deps.data);
  // Taken on first use: each warm model is handed out once, later calls deserialize a fresh copy.
  let warm: Promise<Map<string, TF.LayersModel>> | undefined;
  const warmModels = () => (warm ??= Promise.resolve(deps.warmModels ?? new Map()).then((models) => new Map(models)));
  const parsed = new Map<string, ImageSet>();
  const featureCache = new WeakMap<TF.LayersModel, WeakMap<TF.Tensor, TF.Tensor>>();
  const saved = new Map(Object.entries(deps.savedModels ?? {}));

  /** The declared entry `name`, or an error that lists what the lesson does declare. */
  function declared<T extends object>(entries: Record<string, T | Unavailable>, name: unknown, what: string, fits: (entry: T) => boolean = () => true): T {
    const matching = Object.keys(entries).filter((n) => {
      const entry = entries[n]!;
      return isUnavailable(entry) || fits(entry);
    });
    const entry = typeof name === 'string' && matching.includes(name) ? entries[name] : undefined;
    if (!entry) {
      const declares = matching.length > 0 ? `It declares: ${quotedList(matching)}.` : `It declares no ${what}s.`;
      throw new Error(`This lesson declares no ${what} named ${JSON.stringify(name)}. ${declares} (A lesson's models and data sets are listed in content/course.yaml.)`);
    }
    if (isUnavailable(entry)) throw new Error(entry.error);
    return entry;
  }

  const datasetOfKind = (kind: DatasetBytes['kind']) => (set: DatasetBytes) => set.kind === kind;

  async function imageSet(name: string): Promise<ImageSet> {
    const cached = parsed.get(name);
    if (cached) return cached;
    const data = await lessonData;
    const table = data.datasets[name];
    if (table && !isUnavailable(table) && table.kind === 'table') throw new Error(`"${name}" is a table, not an image data set: load it with lesson.loadTable("${name}")`);
    const set = parseImageSet(declared(data.datasets, name, 'image data set', datasetOfKind('images')).bytes);
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

  return {
    async loadModel(name, options = {}) {
      const model = declared((await lessonData).models, name, 'model');
      const weights = options.weights ?? 'pretrained';
      if (weights !== 'pretrained' && weights !== 'random') throw new Error(`weights must be "pretrained" or "random", not ${JSON.stringify(weights)}`);
      if (weights === 'random') return untrainedModel(tf, model);
      const ready = await warmModels();
      const warmModel = ready.get(name);
      if (warmModel) {
        ready.delete(name);
        return warmModel;
      }
      return deserializeModel(tf, model);
    },

    async loadImages(name, options = {}) {
      const set = await imageSet(name);
      const indices = splitIndices(set.labels, set.classes.length, {
        trainPerClass: validateCount('trainPerClass', options.trainPerClass, 100),
        validationPerClass: validateCount('validationPerClass', options.validationPerClass, 20),
        testPerClass: validateCount('testPerClass', options.testPerClass, 100),
        seed: validateCount('seed', options.seed, 1),
      });
      return {
        name,
        classes: [...set.classes],
        train: toSplit(set, indices.train),
        validation: toSplit(set, indices.validation),
        test: toSplit(set, indices.test),
      };
    },

    async loadTable(name) {
      const data = await lessonData;
      const images = data.datasets[name];
      if (images && !isUnavailable(images) && images.kind === 'images') throw new Error(`"${name}" is an image data set, not a table: load it with lesson.loadImages("${name}")`);
      const { bytes } = declared(data.datasets, name, 'table', datasetOfKind('table'));
      const table = JSON.parse(new TextDecoder().decode(bytes)) as Table;
      return { columns: [...table.columns], rows: table.rows.map((row) => [...row]) };
    },

    async loadDrawings(options = {}) {
      const drawings = deps.inputs?.[RUN_INPUT.drawings];
      if (!drawings) throw new Error('There are no drawings yet: draw a few examples of each class on the drawing pad above, then run again.');
      const set = parseImageSet(drawings);
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
            (known.length > 0 ? `Saved models: ${quotedList(known)}. ` : '') +
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
  };
}

function validatePrecision(precision: unknown): Precision {
  if (precision === undefined) return 'float32';
  if (precision === 'float32' || precision === 'float16' || precision === 'uint8') return precision;
  throw new Error(`precision must be "float32", "float16" or "uint8", not ${JSON.stringify(precision)}`);
}
