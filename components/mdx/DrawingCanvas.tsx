'use client';

import { useCallback, useImperativeHandle, useRef, type PointerEvent, type Ref } from 'react';
import styles from './DrawingPad.module.css';

/** The canvas's own resolution; it is shown at most this wide and downscaled to 28x28 on Add. */
export const CANVAS_SIDE = 280;
/** About MNIST's stroke once a full-size drawing is scaled into the 20-pixel box (2 of 20). */
const STROKE_WIDTH = 22;

export interface DrawingCanvasHandle {
  /** Paints the canvas black again. */
  clear(): void;
  /** What is drawn, as RGBA pixels; null when the browser gives no 2D context. */
  imageData(): ImageData | null;
}

export interface DrawingCanvasProps {
  label: string;
  describedBy: string;
  /** Strokes are ignored until the pad has loaded what is saved. */
  disabled: boolean;
  /** Called with true on the first stroke after a clear, and with false on every clear. */
  onInkChange(hasInk: boolean): void;
  ref?: Ref<DrawingCanvasHandle>;
}

/** A black square drawn on in white with a mouse, finger or pen (pointer events, coalesced for smooth strokes). */
export function DrawingCanvas({ label, describedBy, disabled, onInkChange, ref }: DrawingCanvasProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const stroke = useRef<{ pointerId: number; x: number; y: number } | null>(null);
  const inkChange = useRef(onInkChange);
  inkChange.current = onInkChange;

  /**
   * The 2D context, painted black the first time it is asked for. Not on mount: making a canvas's
   * context costs a hundred milliseconds and more on a slow machine (measured: 145 ms of the page's main
   * thread in headless Chromium on two cores) while the page is still starting its first run, and
   * until then the CSS background shows the same black square.
   */
  const painted = useRef(false);
  const paintedContext = () => {
    const ctx = canvas.current?.getContext('2d', { willReadFrequently: true });
    if (!ctx) return null;
    if (!painted.current) {
      painted.current = true;
      ctx.fillStyle = '#000';
      ctx.fillRect(0, 0, CANVAS_SIDE, CANVAS_SIDE);
    }
    return ctx;
  };

  const context = () => {
    const ctx = paintedContext();
    if (!ctx) return null;
    ctx.fillStyle = '#fff';
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = STROKE_WIDTH;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    return ctx;
  };

  const clear = useCallback(() => {
    if (painted.current) {
      const ctx = canvas.current?.getContext('2d', { willReadFrequently: true });
      if (ctx) {
        ctx.fillStyle = '#000';
        ctx.fillRect(0, 0, CANVAS_SIDE, CANVAS_SIDE);
      }
    }
    inkChange.current(false);
  }, []);

  useImperativeHandle(
    ref,
    () => ({
      clear,
      imageData: () => paintedContext()?.getImageData(0, 0, CANVAS_SIDE, CANVAS_SIDE) ?? null,
    }),
    [clear],
  );

  const pointOf = (event: PointerEvent<HTMLCanvasElement> | globalThis.PointerEvent) => {
    const box = canvas.current!.getBoundingClientRect();
    return { x: ((event.clientX - box.left) / box.width) * CANVAS_SIDE, y: ((event.clientY - box.top) / box.height) * CANVAS_SIDE };
  };

  const onPointerDown = (event: PointerEvent<HTMLCanvasElement>) => {
    if (disabled || (event.pointerType === 'mouse' && event.button !== 0)) return;
    const ctx = context();
    if (!ctx) return;
    event.preventDefault();
    event.currentTarget.setPointerCapture?.(event.pointerId);
    const { x, y } = pointOf(event);
    ctx.beginPath();
    ctx.arc(x, y, STROKE_WIDTH / 2, 0, Math.PI * 2);
    ctx.fill();
    stroke.current = { pointerId: event.pointerId, x, y };
    inkChange.current(true);
  };

  const onPointerMove = (event: PointerEvent<HTMLCanvasElement>) => {
    const last = stroke.current;
    if (!last || event.pointerId !== last.pointerId) return;
    const ctx = context();
    if (!ctx) return;
    const points = event.nativeEvent.getCoalescedEvents?.() ?? [];
    ctx.beginPath();
    ctx.moveTo(last.x, last.y);
    for (const e of points.length > 0 ? points : [event.nativeEvent]) {
      const { x, y } = pointOf(e);
      ctx.lineTo(x, y);
      last.x = x;
      last.y = y;
    }
    ctx.stroke();
  };

  const endStroke = (event: PointerEvent<HTMLCanvasElement>) => {
    if (stroke.current?.pointerId === event.pointerId) stroke.current = null;
  };

  return (
    <canvas
      ref={canvas}
      className={styles.canvas}
      width={CANVAS_SIDE}
      height={CANVAS_SIDE}
      role="img"
      aria-label={label}
      aria-describedby={describedBy}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={endStroke}
      onPointerCancel={endStroke}
      onLostPointerCapture={endStroke}
    />
  );
}
