import type * as TF from '@tensorflow/tfjs';
import type { Metrics, MetricValue } from '../protocol';
import { PerformanceNow } from './intrinsics';

export interface TrainingHooks {
  begin(info: { label: string; epochs: number; batchesPerEpoch?: number }): number;
  batch(fitId: number, epoch: number, batch: number, logs: Metrics): void;
  epoch(fitId: number, epoch: number, logs: Metrics): void;
  end(fitId: number, stopped: boolean): void;
  /** True once the student pressed Stop during training. */
  stopRequested(): boolean;
}

/** Batch reports are sent at most this often; epoch ends always are. */
const BATCH_REPORT_MS = 100;

type Callback = TF.CustomCallbackArgs | TF.Callback;
type FitArgs = { callbacks?: Callback | Callback[]; epochs?: number; batchSize?: number; validationSplit?: number; batchesPerEpoch?: number; initialEpoch?: number };

function metricsOf(logs: TF.Logs | undefined): Metrics {
  const out: Metrics = {};
  for (const [key, value] of Object.entries(logs ?? {})) {
    // tfjs puts the batch index and size into batch logs; they are bookkeeping, not metrics.
    if (typeof value !== 'number' || key === 'batch' || key === 'size') continue;
    out[key] = Number.isFinite(value) ? value : (String(value) as MetricValue);
  }
  return out;
}

function callbacksOf(callbacks: Callback | Callback[] | undefined): Callback[] {
  if (callbacks === undefined) return [];
  return Array.isArray(callbacks) ? [...callbacks] : [callbacks];
}

function firstDimension(x: unknown): number | undefined {
  const tensor = Array.isArray(x) ? x[0] : x && typeof x === 'object' && !('shape' in x) ? Object.values(x)[0] : x;
  const shape = (tensor as { shape?: number[] } | undefined)?.shape;
  return shape?.[0];
}

/**
 * Makes every `fit` and `fitDataset` report its progress without the student adding callbacks: one
 * callback is appended to theirs (which still run). It also implements the graceful Stop: after the
 * current batch the model's `stopTraining` is set, so `fit` returns normally with what was learned.
 */
export function instrumentTraining(tf: typeof TF, hooks: TrainingHooks): void {
  const proto = tf.LayersModel.prototype as unknown as {
    fit: (this: TF.LayersModel, x: unknown, y: unknown, args?: FitArgs) => Promise<TF.History>;
    fitDataset: (this: TF.LayersModel, dataset: unknown, args?: FitArgs) => Promise<TF.History>;
  };
  const originalFit = proto.fit;
  const originalFitDataset = proto.fitDataset;

  const wrap = (model: TF.LayersModel, args: FitArgs, batchesPerEpoch: number | undefined, call: (args: FitArgs) => Promise<TF.History>) => {
    const epochs = args.epochs ?? 1;
    const name = model.name.replace(/_model$/, '');
    const fitId = hooks.begin({ label: name, epochs, batchesPerEpoch });
    let epoch = args.initialEpoch ?? 0;
    let lastReport = 0;
    let stoppedByStop = false;
    const reporter: TF.CustomCallbackArgs = {
      onEpochBegin: async (e) => {
        epoch = e;
      },
      onBatchEnd: async (batch, logs) => {
        const now = PerformanceNow();
        const lastOfEpoch = batchesPerEpoch !== undefined && batch === batchesPerEpoch - 1;
        if (now - lastReport >= BATCH_REPORT_MS || lastOfEpoch) {
          lastReport = now;
          hooks.batch(fitId, epoch, batch, metricsOf(logs));
        }
        if (hooks.stopRequested()) {
          stoppedByStop = true;
          model.stopTraining = true;
        }
      },
      onEpochEnd: async (e, logs) => {
        hooks.epoch(fitId, e, metricsOf(logs));
      },
    };
    return call({ ...args, callbacks: [...callbacksOf(args.callbacks), reporter] }).finally(() => hooks.end(fitId, stoppedByStop));
  };

  proto.fit = function (x, y, args = {}) {
    const samples = firstDimension(x);
    const batchSize = args.batchSize ?? 32;
    const trainSamples = samples === undefined ? undefined : args.validationSplit ? Math.floor(samples * (1 - args.validationSplit)) : samples;
    const batches = trainSamples === undefined ? undefined : Math.ceil(trainSamples / batchSize);
    return wrap(this, args, batches, (a) => originalFit.call(this, x, y, a));
  };
  proto.fitDataset = function (dataset, args = {}) {
    return wrap(this, args, args.batchesPerEpoch, (a) => originalFitDataset.call(this, dataset, a));
  };
}
