/**
 * The lesson helper module. Cells import it as `import * as lesson from 'lesson'`. It loads the models
 * and data sets the lesson declares in content/course.yaml, by name, and shows results in the OUTPUT
 * pane. Everything else (building, freezing, compiling and training models) is plain TensorFlow.js.
 * The names are types: the build generates `ModelName`, `ImageSetName` and `TableName` for each
 * lesson, so a name the lesson does not declare is a type error.
 */
declare module 'lesson' {
  import type * as tf from '@tensorflow/tfjs';

  /**
   * Switches this run to the fastest backend for predictions and returns its name: `webgl` on a real
   * GPU, otherwise `wasm` (WebAssembly), which runs convolutions many times faster than the `cpu`
   * backend. Cells already start on it unless the page asked for another (`?backend=cpu`).
   */
  export function useInferenceBackend(): Promise<string>;

  /**
   * Makes this run repeatable: seeds the random numbers TensorFlow.js uses for initial weights, dropout
   * and shuffling, so the same code gives the same results on the same backend. Call it first.
   */
  export function seed(seed: number): void;

  /**
   * A model the lesson declares, by name (its model card describes its layers and inputs; `model.summary()`
   * prints them). Every call returns a fresh copy: changing, training or disposing it affects nothing else.
   * `{ weights: 'random' }` gives the same architecture untrained, its weights drawn by each layer's
   * initializer (repeatable after lesson.seed): the network as it was before it learned anything, to
   * compare training from scratch with starting from the pretrained weights.
   */
  export function loadModel(name: ModelName, options?: { weights?: 'pretrained' | 'random' }): Promise<tf.LayersModel>;

  /** A model from the input of `model` to the output of its layer `layerName` (weights are shared). */
  export function cutAt(model: tf.LayersModel, layerName: string): tf.LayersModel;

  /**
   * Splits a chain of layers in two at `layerName`: `base` runs the input up to that layer, `top` runs
   * the rest (up to `upTo`, default the last layer). Both share the original layers and weights, so
   * freezing or training a layer in one is the same as in `model`. Handy for fine-tuning: compute the
   * frozen `base` once with extractFeatures, then train `top` on its outputs.
   */
  export function splitAt(model: tf.LayersModel, layerName: string, options?: { upTo?: string }): { base: tf.LayersModel; top: tf.LayersModel };

  /**
   * How weights are stored: `float32` (4 bytes a weight, exact), `float16` (2 bytes, about 3
   * significant digits) or `uint8` (1 byte: 256 evenly spaced values between each tensor's min and max).
   */
  export type Precision = 'float32' | 'float16' | 'uint8';

  /**
   * Keeps `model` in this browser under `name` (default "my-model"), so later runs and the lesson's
   * other pages can load it with loadSavedModel, and offers it for download as `<name>.json` plus
   * `<name>.weights.bin`, which tf.loadLayersModel loads in any TensorFlow.js app. Saving again under
   * the same name replaces the model. Names: lowercase letters, digits and dashes.
   */
  export function saveModel(model: tf.LayersModel, name?: string, options?: { precision?: Precision }): Promise<{ name: string; bytes: number; weightBytes: number }>;

  /** A fresh copy of a model saved with saveModel (in this run or an earlier one). */
  export function loadSavedModel(name?: string): Promise<tf.LayersModel>;

  /** The names of the models saved in this browser for this lesson. */
  export function savedModelNames(): string[];

  /**
   * A copy of `model` whose weights went through storage at `precision` and back, exactly as a
   * TensorFlow.js app would load them from saved files; `weightBytes` is the size of those weights.
   */
  export function quantize(model: tf.LayersModel, precision: Precision): Promise<{ model: tf.LayersModel; weightBytes: number }>;

  /** Images, one-hot labels and plain labels of one split of a data set. */
  export interface Split {
    /** Shape [n, height, width, channels], values in [0, 1]. */
    xs: tf.Tensor4D;
    /** Shape [n, classes], one-hot. */
    ys: tf.Tensor2D;
    /** The class index of each example. */
    labels: number[];
    size: number;
  }

  export interface DataSet {
    name: string;
    classes: string[];
    train: Split;
    validation: Split;
    test: Split;
  }

  export interface SplitOptions {
    /** Training examples per class (default 100). */
    trainPerClass?: number;
    /** Validation examples per class (default 20). */
    validationPerClass?: number;
    /** Test examples per class (default 100). The test split holds the same examples whatever trainPerClass and validationPerClass are (shuffled in another order). */
    testPerClass?: number;
    /** Seed of the shuffle; the same seed gives the same splits (default 1). */
    seed?: number;
  }

  /**
   * An image data set the lesson declares, split with a seed into disjoint train, validation and test
   * sets with a fixed number of images per class. `classes` are the class names in label order.
   */
  export function loadImages(name: ImageSetName, options?: SplitOptions): Promise<DataSet>;

  /** A table: what a CSV file the lesson declares holds. Columns whose every value is a number hold numbers. */
  export interface Table {
    /** The header row. */
    columns: string[];
    /** One array per row, a value per column. */
    rows: (number | string)[][];
  }

  /** A table (CSV file) the lesson declares. Every call returns a fresh copy. */
  export function loadTable(name: TableName): Promise<Table>;

  /**
   * The examples drawn on this page's drawing pad, as a data set of their own classes. `testFraction`
   * of each class (default 0.25, at least one when a class has two or more) goes to the test split.
   */
  export function loadDrawings(options?: { testFraction?: number; seed?: number }): Promise<DataSet>;

  /**
   * Runs `model` (usually a frozen pretrained model cut at a feature layer) over `xs` once, in batches, and
   * returns its outputs. The result is cached for this run: asking again for the same model and
   * images returns the cached features instead of recomputing them.
   */
  export function extractFeatures<R extends tf.Rank = tf.Rank.R2>(model: tf.LayersModel, xs: tf.Tensor, options?: { batchSize?: number }): Promise<tf.Tensor<R>>;

  export interface ShowImagesOptions {
    /** True classes; shown under each image. */
    labels?: readonly number[];
    /** Predicted classes; wrong ones are marked. */
    predictions?: readonly number[];
    /** Class names for labels and predictions. */
    classes?: readonly string[];
    title?: string;
    /** How many images to show (default 24, at most 100). */
    max?: number;
  }

  /** Shows images ([n, h, w, 1 or 3] or [h, w, c]; values in [0, 1] or [0, 255]) as a grid. */
  export function showImages(images: tf.Tensor, options?: ShowImagesOptions): Promise<void>;

  /** Counts how often each true class was predicted as each class, and shows the matrix. */
  export function showConfusionMatrix(labels: readonly number[], predictions: readonly number[], classes: readonly string[], options?: { title?: string }): void;

  /** Shows rows of values as a table; columns come from the keys of the rows. */
  export function showTable(rows: readonly Record<string, string | number | boolean | null | undefined>[], options?: { title?: string }): void;

  export interface ChartOptions {
    title: string;
    xLabel?: string;
    yLabel?: string;
    /** Charts with the same id replace each other, so calling again updates the chart in place. */
    id?: string;
  }

  /** Draws lines of [x, y] points, one per series. */
  export function showChart(series: Record<string, readonly (readonly [number, number])[]>, options: ChartOptions): void;
}
