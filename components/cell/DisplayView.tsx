'use client';

import { useEffect, useRef } from 'react';
import type { Display } from '@/runtime';
import { LineChart } from './LineChart';
import styles from './Charts.module.css';

/** Rich output a cell asked for through the lesson module: an image grid, a matrix, a table, a chart. */
export function DisplayView({ display }: { display: Display }) {
  switch (display.kind) {
    case 'images':
      return <ImageGrid display={display} />;
    case 'confusion':
      return <ConfusionMatrix display={display} />;
    case 'table':
      return (
        <figure className={styles.display}>
          {display.title && <figcaption className={styles.chartTitle}>{display.title}</figcaption>}
          <div className={styles.tableWrap}>
            <table className={styles.table}>
              <thead>
                <tr>
                  {display.columns.map((c) => (
                    <th key={c}>{c}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {display.rows.map((row, r) => (
                  <tr key={r}>
                    {row.map((cell, c) => (
                      <td key={c} data-numeric={typeof cell === 'number' || undefined}>
                        {cell === null ? '' : typeof cell === 'number' ? formatNumber(cell) : cell}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </figure>
      );
    case 'chart':
      return (
        <div className={styles.display}>
          <LineChart title={display.title} xLabel={display.xLabel} yLabel={display.yLabel} series={display.series} height={220} />
        </div>
      );
  }
}

function formatNumber(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString('en-US') : n.toPrecision(4);
}

type ImagesDisplay = Extract<Display, { kind: 'images' }>;

function ImageGrid({ display }: { display: ImagesDisplay }) {
  const wrong = display.captions.filter((c) => c.correct === false).length;
  const judged = display.captions.filter((c) => c.correct !== undefined).length;
  return (
    <figure className={styles.display}>
      <figcaption className={styles.chartTitle}>
        {display.title ?? 'Images'}
        {judged > 0 && <span className={styles.muted}>{` · ${judged - wrong} of ${judged} correct`}</span>}
      </figcaption>
      <ol className={styles.grid}>
        {display.captions.map((caption, i) => (
          <li key={i} className={styles.tile} data-correct={caption.correct === undefined ? undefined : String(caption.correct)}>
            <Tile display={display} index={i} />
            {(caption.label !== undefined || caption.prediction !== undefined) && (
              <span className={styles.tileCaption}>
                {caption.prediction !== undefined ? (
                  <>
                    <span aria-label={caption.correct === false ? 'wrong' : 'right'}>{caption.correct === false ? '✗' : '✓'}</span> {caption.prediction}
                    {caption.correct === false && caption.label !== undefined && <span className={styles.muted}> (is {caption.label})</span>}
                  </>
                ) : (
                  caption.label
                )}
              </span>
            )}
          </li>
        ))}
      </ol>
    </figure>
  );
}

/** One image of the grid, painted pixel by pixel onto a canvas and scaled up without smoothing. */
function Tile({ display, index }: { display: ImagesDisplay; index: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    const { width, height, channels, pixels } = display;
    const image = ctx.createImageData(width, height);
    const offset = index * width * height * channels;
    for (let p = 0; p < width * height; p++) {
      const src = offset + p * channels;
      const [r, g, b] = channels === 1 ? [pixels[src]!, pixels[src]!, pixels[src]!] : [pixels[src]!, pixels[src + 1]!, pixels[src + 2]!];
      image.data.set([r, g, b, channels === 4 ? pixels[src + 3]! : 255], p * 4);
    }
    ctx.putImageData(image, 0, 0);
  }, [display, index]);
  const caption = display.captions[index];
  const alt = caption?.label !== undefined ? `image of ${caption.label}` : `image ${index + 1}`;
  return <canvas ref={canvas} width={display.width} height={display.height} className={styles.tileImage} role="img" aria-label={alt} />;
}

function ConfusionMatrix({ display }: { display: Extract<Display, { kind: 'confusion' }> }) {
  const max = Math.max(1, ...display.matrix.flat());
  const total = display.matrix.flat().reduce((a, b) => a + b, 0);
  const correct = display.matrix.reduce((sum, row, i) => sum + (row[i] ?? 0), 0);
  return (
    <figure className={styles.display}>
      <figcaption className={styles.chartTitle}>
        {display.title ?? 'Confusion matrix'}
        <span className={styles.muted}>{` · ${correct} of ${total} correct (${total ? ((100 * correct) / total).toFixed(1) : 0}%) · rows: true class, columns: predicted`}</span>
      </figcaption>
      <div className={styles.tableWrap}>
        <table className={styles.confusion}>
          <thead>
            <tr>
              <th scope="col">true \ predicted</th>
              {display.classes.map((c) => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {display.matrix.map((row, r) => (
              <tr key={r}>
                <th scope="row">{display.classes[r]}</th>
                {row.map((n, c) => (
                  <td
                    key={c}
                    data-diagonal={r === c || undefined}
                    style={{ ['--weight' as string]: String(n / max) }}
                  >
                    {n}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
