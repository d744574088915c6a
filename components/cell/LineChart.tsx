'use client';

import { useEffect, useRef } from 'react';
import type uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import styles from './Charts.module.css';

export interface LineSeries {
  name: string;
  points: readonly (readonly [number, number])[];
  /** Dashed lines mark comparison series (e.g. the previous run). */
  dashed?: boolean;
  /** Draw points only (e.g. one value per epoch on a per-batch axis). */
  pointsOnly?: boolean;
}

export interface LineChartProps {
  title: string;
  xLabel?: string;
  yLabel?: string;
  series: readonly LineSeries[];
  height?: number;
}

const PALETTE = ['#2f6fcf', '#d9652b', '#23844a', '#9b4dca', '#c2362b', '#6b7a8f', '#b08a00', '#127e8a'];

/** uPlot wants one shared x array; series with their own x values are merged, gaps left as null. */
export function alignSeries(series: readonly LineSeries[]): uPlot.AlignedData {
  const xs = [...new Set(series.flatMap((s) => s.points.map(([x]) => x)))].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const columns = series.map((s) => {
    const ys: (number | null)[] = new Array(xs.length).fill(null);
    for (const [x, y] of s.points) ys[index.get(x)!] = Number.isFinite(y) ? y : null;
    return ys;
  });
  return [xs, ...columns] as uPlot.AlignedData;
}

/**
 * A live line chart drawn with uPlot (loaded on first use, so pages without charts never pay for it).
 * Updating `series` redraws in place; the chart follows its container's width.
 */
export function LineChart({ title, xLabel = '', yLabel = '', series, height = 180 }: LineChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const latest = useRef(series);
  latest.current = series;
  const shape = series.map((s) => `${s.name}|${s.dashed ? 1 : 0}|${s.pointsOnly ? 1 : 0}`).join(',');

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    let disposed = false;
    let resize: ResizeObserver | undefined;
    import('uplot').then(({ default: UPlot }) => {
      if (disposed) return;
      const text = getComputedStyle(el).color;
      const grid = getComputedStyle(el).getPropertyValue('--chart-grid').trim() || 'rgba(128,128,128,0.2)';
      const axis = (label: string): uPlot.Axis => ({ label, stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } });
      plot.current = new UPlot(
        {
          width: el.clientWidth || 400,
          height,
          legend: { show: false },
          cursor: { drag: { x: false, y: false } },
          scales: { x: { time: false } },
          axes: [axis(xLabel), axis(yLabel)],
          series: [
            { label: xLabel || 'x' },
            ...series.map((s, i) => ({
              label: s.name,
              stroke: PALETTE[i % PALETTE.length],
              width: 2,
              dash: s.dashed ? [6, 4] : undefined,
              spanGaps: true,
              points: { show: s.pointsOnly ? true : undefined, size: 6 },
              paths: s.pointsOnly ? () => null : undefined,
            })),
          ],
        },
        alignSeries(latest.current),
        el,
      );
      resize = new ResizeObserver(() => plot.current?.setSize({ width: el.clientWidth, height }));
      resize.observe(el);
    });
    return () => {
      disposed = true;
      resize?.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
    // Rebuild only when the set of series changes; data updates go through setData below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shape, height, xLabel, yLabel]);

  useEffect(() => {
    plot.current?.setData(alignSeries(series));
  }, [series]);

  return (
    <figure className={styles.chart}>
      <figcaption className={styles.chartTitle}>{title}</figcaption>
      <ul className={styles.legend} aria-hidden="true">
        {series.map((s, i) => (
          <li key={s.name}>
            <span className={styles.swatch} data-dashed={s.dashed || undefined} style={{ ['--swatch' as string]: PALETTE[i % PALETTE.length] }} />
            {s.name}
          </li>
        ))}
      </ul>
      <div ref={box} className={styles.plot} role="img" aria-label={`${title}: ${series.map((s) => s.name).join(', ')}`} />
    </figure>
  );
}
