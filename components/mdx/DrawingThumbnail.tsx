'use client';

import { useEffect, useRef } from 'react';
import { DRAWING_SIDE } from '../lesson/drawingPreprocess';
import styles from './DrawingPad.module.css';

/** One saved example at its real 28x28 size, scaled up with hard pixel edges. */
export function DrawingThumbnail({ pixels, label }: { pixels: readonly number[]; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const image = ctx.createImageData(DRAWING_SIDE, DRAWING_SIDE);
    pixels.forEach((value, i) => {
      image.data[i * 4] = image.data[i * 4 + 1] = image.data[i * 4 + 2] = value;
      image.data[i * 4 + 3] = 255;
    });
    ctx.putImageData(image, 0, 0);
  }, [pixels]);
  return <canvas ref={ref} className={styles.thumbnail} width={DRAWING_SIDE} height={DRAWING_SIDE} role="img" aria-label={label} />;
}
