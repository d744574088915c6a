'use client';

import type { FitState, Metrics, MetricValue } from '@/runtime';
import { LineChart, type LineSeries } from './LineChart';
import styles from './Charts.module.css';

function finite(value: MetricValue | undefined): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

function format(value: MetricValue | undefined): string {
  if (value === undefined) return '–';
  if (typeof value === 'string') return value;
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(4);
}

function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  return s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/** Metric names without the "val_" prefix, loss first: loss, acc, ... */
function metricNames(fit: FitState): string[] {
  const names = new Set<string>();
  for (const logs of [fit.latest, ...fit.epochLogs.filter(Boolean)]) {
    for (const key of Object.keys(logs)) names.add(key.replace(/^val_/, ''));
  }
  return [...names].sort((a, b) => (a === 'loss' ? -1 : b === 'loss' ? 1 : a.localeCompare(b)));
}

/** Where a metric first became NaN or infinite, to say so instead of silently drawing a gap. */
function firstNonFinite(fit: FitState): { name: string; value: string; epoch?: number } | undefined {
  for (const { logs } of fit.batches) {
    for (const [name, value] of Object.entries(logs)) if (typeof value === 'string') return { name, value };
  }
  for (let epoch = 0; epoch < fit.epochLogs.length; epoch++) {
    for (const [name, value] of Object.entries(fit.epochLogs[epoch] ?? {})) if (typeof value === 'string') return { name, value, epoch };
  }
  return undefined;
}

function curves(fit: FitState, metric: string, previous: FitState | undefined): LineSeries[] {
  const perBatch = fit.batchesPerEpoch;
  const epochX = (epoch: number) => (perBatch ? (epoch + 1) * perBatch - 1 : epoch);
  const batchPoints = (f: FitState) => f.batches.flatMap(({ step, logs }) => (finite(logs[metric]) !== undefined ? [[step, finite(logs[metric])!] as const] : []));
  const epochPoints = (f: FitState, key: string) =>
    f.epochLogs.flatMap((logs, epoch) => (logs && finite(logs[key]) !== undefined ? [[epochX(epoch), finite(logs[key])!] as const] : []));
  const series: LineSeries[] = [];
  if (perBatch) series.push({ name: metric, points: batchPoints(fit) });
  else series.push({ name: metric, points: epochPoints(fit, metric) });
  const validation = epochPoints(fit, `val_${metric}`);
  if (validation.length > 0) series.push({ name: `val_${metric}`, points: validation, pointsOnly: !!perBatch && validation.length < 3 });
  if (previous) {
    const prev = previous.batchesPerEpoch ? batchPoints(previous) : epochPoints(previous, metric);
    if (prev.length > 0) series.push({ name: `${metric} (previous run)`, points: prev, dashed: true });
  }
  return series;
}

export interface TrainingViewProps {
  fit: FitState;
  /** Host time now, for the time-left estimate. */
  now: number;
  /** The same fit in the previous run, drawn dashed for comparison. */
  previous?: FitState;
}

/** One `fit` call: progress with time left, live loss and accuracy curves, and the final figures. */
export function TrainingView({ fit, now, previous }: TrainingViewProps) {
  const totalBatches = fit.batchesPerEpoch ? fit.batchesPerEpoch * fit.epochs : undefined;
  const doneBatches = fit.batchesPerEpoch ? fit.epoch * fit.batchesPerEpoch + fit.batch + 1 : undefined;
  const fraction = totalBatches && doneBatches !== undefined ? Math.min(1, doneBatches / totalBatches) : (fit.epochLogs.filter(Boolean).length / fit.epochs);
  const elapsed = (fit.status === 'training' ? now : fit.updatedAt) - fit.beganAt;
  const left = fraction > 0 && fit.status === 'training' ? (elapsed / fraction) * (1 - fraction) : undefined;
  const nonFinite = firstNonFinite(fit);
  const finalLogs: Metrics = { ...fit.latest, ...(fit.epochLogs.at(-1) ?? {}) };

  return (
    <div className={styles.training} data-fit={fit.fitId} data-status={fit.status}>
      <div className={styles.trainingHeader}>
        <strong>{fit.label}</strong>
        <span className={styles.trainingMeta}>
          {fit.status === 'training' && (
            <>
              epoch {Math.min(fit.epoch + 1, fit.epochs)}/{fit.epochs}
              {fit.batchesPerEpoch ? ` · batch ${Math.max(0, fit.batch + 1)}/${fit.batchesPerEpoch}` : ''}
              {left !== undefined ? ` · ${duration(left)} left` : ''}
            </>
          )}
          {fit.status === 'finished' && `done in ${duration(elapsed)}`}
          {fit.status === 'stopped' && `stopped after epoch ${fit.epoch + 1} (${duration(elapsed)}); the model keeps what it learned`}
        </span>
      </div>
      <div
        className={styles.progress}
        role="progressbar"
        aria-label={`Training progress of ${fit.label}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(fraction * 100)}
      >
        <div className={styles.progressBar} style={{ width: `${fraction * 100}%` }} />
      </div>
      {nonFinite && (
        <p className={styles.nonFinite} role="alert">
          {nonFinite.name} became {nonFinite.value}
          {nonFinite.epoch !== undefined ? ` in epoch ${nonFinite.epoch + 1}` : ''}: training diverged. A lower learning rate usually fixes this.
        </p>
      )}
      <div className={styles.chartRow}>
        {metricNames(fit).map((metric) => (
          <LineChart key={metric} title={metric} xLabel={fit.batchesPerEpoch ? 'batch' : 'epoch'} series={curves(fit, metric, previous)} height={160} />
        ))}
      </div>
      {fit.status !== 'training' && (
        <dl className={styles.finalFigures}>
          {Object.entries(finalLogs).map(([name, value]) => (
            <div key={name}>
              <dt>{name}</dt>
              <dd>{format(value)}</dd>
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}
