'use client';

import { useCallback, useEffect, useId, useMemo, useRef, useState, type DragEvent, type KeyboardEvent, type PointerEvent } from 'react';
import { useLesson } from '../lesson/LessonContext';
import {
  DRAWING_SIDE,
  MAX_CLASSES,
  MAX_CLASS_NAME_LENGTH,
  MAX_EXAMPLES_PER_CLASS,
  classNameProblem,
  loadDrawings,
  newClassName,
  parseClassList,
  quoted,
  saveDrawings,
  subscribeDrawings,
  toDrawingPixels,
  updateDrawings,
  type Drawings,
} from '../lesson/drawingStore';
import styles from './DrawingPad.module.css';

export interface DrawingPadProps {
  /** The classes a student starts with, comma-separated (`classes="circle, cross"`). They can rename, add and remove them. */
  classes?: string;
}

/** The canvas's own resolution; it is shown at most this wide and downscaled to 28x28 on Add. */
const CANVAS_SIDE = 280;
/** About MNIST's stroke once a full-size drawing is scaled into the 20-pixel box (2 of 20). */
const STROKE_WIDTH = 22;
/** Pictures are reduced to at most this side before preprocessing (the result is 28x28 anyway). */
const UPLOAD_SIDE = 280;
const MAX_UPLOAD_BYTES = 20_000_000;

type Change = { next: Drawings; message: string; undoable?: boolean } | { error: string };
interface Notice {
  tone: 'info' | 'error';
  text: string;
  /** What the drawings were before a destructive change, for Undo. */
  undo?: Drawings;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * A pad on which the student makes a small data set of their own: a few classes, each with examples
 * drawn with a mouse, finger or pen, or uploaded as pictures. Every example is preprocessed like MNIST
 * (28x28 grayscale, light on black, centred) and saved in the browser for this lesson, where code cells
 * read it with `lesson.loadDrawings()`. Pads on the same page share the drawings and stay in sync.
 */
export function DrawingPad({ classes: classList }: DrawingPadProps) {
  const lesson = useLesson();
  const defaults = useMemo(() => parseClassList(classList), [classList]);
  // null until mounted: the server and the first client render know nothing of localStorage.
  const [saved, setSaved] = useState<Drawings | null>(null);
  const [selected, setSelected] = useState(0);
  const [hasInk, setHasInk] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [focusAfter, setFocusAfter] = useState<string | null>(null);
  const pad = useRef<HTMLElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const stroke = useRef<{ pointerId: number; x: number; y: number } | null>(null);
  const ids = useId();

  useEffect(() => {
    const refresh = () => setSaved(loadDrawings(lesson));
    refresh();
    return subscribeDrawings(refresh);
  }, [lesson]);

  const withDefaults = useCallback((d: Drawings): Drawings => (d.classes.length > 0 ? d : { classes: defaults, examples: [] }), [defaults]);
  const ready = saved !== null;
  const drawings = withDefaults(saved ?? { classes: [], examples: [] });
  const { classes, examples } = drawings;
  const current = Math.min(selected, classes.length - 1);
  const currentName = classes[current] ?? '';
  const byClass = classes.map((_, label) => examples.flatMap((example, index) => (example.label === label ? [{ example, index }] : [])));

  useEffect(() => {
    if (!focusAfter) return;
    const target = pad.current?.querySelector<HTMLElement>(focusAfter);
    setFocusAfter(null);
    if (target) {
      target.focus();
      if (target instanceof HTMLInputElement) target.select();
    }
  }, [focusAfter, saved]);

  /** Applies a change to the drawings as saved now, saves, and says what happened (or why not). */
  const apply = useCallback(
    (change: (current: Drawings) => Change): boolean => {
      const before = withDefaults(loadDrawings(lesson));
      const result = change(before);
      if ('error' in result) {
        setNotice({ tone: 'error', text: result.error });
        return false;
      }
      const failure = saveDrawings(lesson, result.next);
      if (failure) {
        setNotice({ tone: 'error', text: `${failure} The last change was not kept.` });
        return false;
      }
      setNotice({ tone: 'info', text: result.message, undo: result.undoable ? before : undefined });
      return true;
    },
    [lesson, withDefaults],
  );

  const addExamples = useCallback(
    (images: Uint8Array[], what: (n: number) => string, extraError = ''): boolean =>
      apply(({ classes, examples }) => {
        const label = Math.min(selected, classes.length - 1);
        const name = classes[label]!;
        const have = examples.filter((e) => e.label === label).length;
        const room = MAX_EXAMPLES_PER_CLASS - have;
        if (room <= 0) return { error: `${quoted(name)} already has ${MAX_EXAMPLES_PER_CLASS} examples, the most a class keeps. Delete some to add others. ${extraError}`.trim() };
        const added = images.slice(0, room).map((pixels) => ({ label, pixels: Array.from(pixels) }));
        const skipped = images.length - added.length > 0 ? ` ${plural(images.length - added.length, 'picture')} did not fit: a class keeps at most ${MAX_EXAMPLES_PER_CLASS} examples.` : '';
        return {
          next: { classes, examples: [...examples, ...added] },
          message: `Added ${what(added.length)} to ${quoted(name)}, which now has ${plural(have + added.length, 'example')}.${skipped}`,
        };
      }),
    [apply, selected],
  );

  // Drawing -----------------------------------------------------------------------------------------

  const context = () => {
    const ctx = canvas.current?.getContext('2d', { willReadFrequently: true });
    if (!ctx) return null;
    ctx.fillStyle = '#fff';
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = STROKE_WIDTH;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    return ctx;
  };

  const clearCanvas = useCallback(() => {
    const ctx = canvas.current?.getContext('2d', { willReadFrequently: true });
    if (ctx) {
      ctx.fillStyle = '#000';
      ctx.fillRect(0, 0, CANVAS_SIDE, CANVAS_SIDE);
    }
    setHasInk(false);
  }, []);

  useEffect(clearCanvas, [clearCanvas]);

  const pointOf = (event: PointerEvent<HTMLCanvasElement> | globalThis.PointerEvent) => {
    const box = canvas.current!.getBoundingClientRect();
    return { x: ((event.clientX - box.left) / box.width) * CANVAS_SIDE, y: ((event.clientY - box.top) / box.height) * CANVAS_SIDE };
  };

  const onPointerDown = (event: PointerEvent<HTMLCanvasElement>) => {
    if (!ready || (event.pointerType === 'mouse' && event.button !== 0)) return;
    const ctx = context();
    if (!ctx) return;
    event.preventDefault();
    event.currentTarget.setPointerCapture?.(event.pointerId);
    const { x, y } = pointOf(event);
    ctx.beginPath();
    ctx.arc(x, y, STROKE_WIDTH / 2, 0, Math.PI * 2);
    ctx.fill();
    stroke.current = { pointerId: event.pointerId, x, y };
    setHasInk(true);
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

  const addDrawing = () => {
    const ctx = canvas.current?.getContext('2d', { willReadFrequently: true });
    if (!ctx) return;
    const pixels = toDrawingPixels(ctx.getImageData(0, 0, CANVAS_SIDE, CANVAS_SIDE));
    if (!pixels) {
      setNotice({ tone: 'error', text: 'The drawing area is empty: draw a shape first.' });
      return;
    }
    if (addExamples([pixels], () => 'a drawing')) clearCanvas();
  };

  // Uploads -----------------------------------------------------------------------------------------

  const addFiles = async (files: readonly File[]) => {
    if (files.length === 0) return;
    const images: Uint8Array[] = [];
    const problems: string[] = [];
    for (const file of files) {
      try {
        images.push(await pictureToPixels(file));
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
    const problemText = problems.join(' ');
    if (images.length === 0) {
      setNotice({ tone: 'error', text: problemText });
      return;
    }
    if (addExamples(images, (n) => (n === 1 ? 'a picture' : `${n} pictures`), problemText) && problems.length > 0) {
      setNotice((shown) => (shown ? { tone: 'error', text: `${shown.text} ${problemText}` } : shown));
    }
  };

  const onFilesChosen = () => {
    const input = fileInput.current;
    if (!input?.files) return;
    const files = [...input.files];
    input.value = ''; // choosing the same file again is a change too
    void addFiles(files);
  };

  const onDragOver = (event: DragEvent) => {
    if (!ready || !event.dataTransfer.types.includes('Files')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  };

  const onDrop = (event: DragEvent) => {
    if (!ready || event.dataTransfer.files.length === 0) return;
    event.preventDefault();
    void addFiles([...event.dataTransfer.files]);
  };

  // Classes and examples ----------------------------------------------------------------------------

  const renameClass = (label: number, name: string) =>
    apply((d) => {
      const others = d.classes.filter((_, i) => i !== label);
      const problem = classNameProblem(name, others);
      if (problem) return { error: problem };
      return { next: { ...d, classes: d.classes.map((c, i) => (i === label ? name.trim() : c)) }, message: `Renamed ${quoted(d.classes[label]!)} to ${quoted(name.trim())}.` };
    });

  const addClass = () => {
    const added = apply((d) => {
      if (d.classes.length >= MAX_CLASSES) return { error: `A pad holds at most ${MAX_CLASSES} classes.` };
      const name = newClassName(d.classes);
      return { next: { ...d, classes: [...d.classes, name] }, message: `Added the class ${quoted(name)}. Type a name for it, then draw its examples.` };
    });
    if (added) {
      setSelected(classes.length);
      setFocusAfter(`[data-name-of="${classes.length}"]`);
    }
  };

  const removeClass = (label: number) => {
    const removed = apply((d) => {
      if (d.classes.length <= 1) return { error: 'A pad needs at least one class.' };
      const count = d.examples.filter((e) => e.label === label).length;
      return {
        next: {
          classes: d.classes.filter((_, i) => i !== label),
          examples: d.examples.filter((e) => e.label !== label).map((e) => (e.label > label ? { ...e, label: e.label - 1 } : e)),
        },
        message: `Removed the class ${quoted(d.classes[label]!)}${count > 0 ? ` and its ${plural(count, 'example')}` : ''}.`,
        undoable: true,
      };
    });
    if (removed) {
      if (selected >= label && selected > 0) setSelected(selected - 1);
      setFocusAfter('[data-undo]');
    }
  };

  const clearClass = (label: number) => {
    if (
      apply((d) => ({
        next: { ...d, examples: d.examples.filter((e) => e.label !== label) },
        message: `Deleted all ${plural(d.examples.filter((e) => e.label === label).length, 'example')} of ${quoted(d.classes[label]!)}.`,
        undoable: true,
      }))
    ) {
      setFocusAfter('[data-undo]');
    }
  };

  const deleteExample = (label: number, position: number) => {
    const deleted = apply((d) => {
      const indices = d.examples.flatMap((e, i) => (e.label === label ? [i] : []));
      const index = indices[position];
      if (index === undefined) return { error: 'That example was already deleted.' };
      return {
        next: { ...d, examples: d.examples.filter((_, i) => i !== index) },
        message: `Deleted example ${position + 1} of ${quoted(d.classes[label]!)}.`,
        undoable: true,
      };
    });
    if (deleted) {
      const left = byClass[label]!.length - 1;
      setFocusAfter(left > 0 ? `[data-delete="${label}:${Math.min(position, left - 1)}"]` : '[data-undo]');
    }
  };

  const undo = () => {
    if (!notice?.undo) return;
    const failure = saveDrawings(lesson, notice.undo);
    setNotice(failure ? { tone: 'error', text: failure } : { tone: 'info', text: 'Undone.' });
  };

  // Render ------------------------------------------------------------------------------------------

  const total = examples.length;
  const noteId = `${ids}-note`;
  const summaryId = `${ids}-summary`;

  return (
    <section ref={pad} className={styles.pad} aria-label="Drawing pad" aria-describedby={summaryId} data-ready={ready}>
      <header className={styles.header}>
        <p className={styles.title}>Drawing pad</p>
        <p id={summaryId} className={styles.summary}>
          {!ready
            ? 'Loading your saved examples…'
            : total === 0
              ? 'No examples yet.'
              : `${plural(total, 'example')} in ${plural(classes.length, 'class', 'classes')}, saved in this browser.`}{' '}
          {ready && total > 0 && (
            <>
              Run a cell that calls <code>lesson.loadDrawings()</code> to use them.
            </>
          )}
        </p>
      </header>

      {ready && total === 0 && (
        <p className={styles.empty}>
          Choose a class, draw one example in the black square (or upload a picture of it) and press <strong>Add</strong>. A few
          examples of each class are enough to start; then run a cell that calls <code>lesson.loadDrawings()</code>.
        </p>
      )}

      <div className={styles.body}>
        <div className={styles.drawing}>
          <fieldset className={styles.chooser} disabled={!ready}>
            <legend className={styles.legend}>Draw an example of</legend>
            <div className={styles.choices}>
              {classes.map((name, label) => (
                <label key={label} className={styles.choice}>
                  <input type="radio" name={`${ids}-class`} checked={label === current} onChange={() => setSelected(label)} />
                  <span>{name}</span>
                </label>
              ))}
            </div>
          </fieldset>

          <div className={styles.canvasFrame} onDragOver={onDragOver} onDrop={onDrop}>
            <canvas
              ref={canvas}
              className={styles.canvas}
              width={CANVAS_SIDE}
              height={CANVAS_SIDE}
              role="img"
              aria-label={`Drawing area for ${quoted(currentName)}`}
              aria-describedby={noteId}
              onPointerDown={onPointerDown}
              onPointerMove={onPointerMove}
              onPointerUp={endStroke}
              onPointerCancel={endStroke}
              onLostPointerCapture={endStroke}
            />
          </div>
          <p id={noteId} className={styles.note}>
            Draw with a mouse, finger or pen. Without one, upload a picture instead.
          </p>

          <div className={styles.actions}>
            <button type="button" className={styles.primary} onClick={addDrawing} disabled={!ready || !hasInk}>
              Add to &ldquo;{currentName}&rdquo;
            </button>
            <button type="button" className={styles.button} onClick={clearCanvas} disabled={!hasInk} aria-label="Clear the drawing area">
              Clear
            </button>
            <button type="button" className={styles.button} onClick={() => fileInput.current?.click()} disabled={!ready}>
              Upload picture…
            </button>
            <input ref={fileInput} type="file" accept="image/*" multiple hidden onChange={onFilesChosen} />
          </div>
        </div>

        <div className={styles.classes}>
          <ul className={styles.classList} aria-label="Classes">
            {classes.map((name, label) => {
              const items = byClass[label]!;
              return (
                <li key={label} className={styles.classItem} data-selected={label === current}>
                  <div className={styles.classHeader}>
                    <ClassNameField
                      label={label}
                      name={name}
                      disabled={!ready}
                      errorId={`${ids}-name-${label}`}
                      check={(value) => classNameProblem(value, classes.filter((_, i) => i !== label))}
                      onRename={(value) => renameClass(label, value)}
                    />
                    <span className={styles.count}>{plural(items.length, 'example')}</span>
                    <span className={styles.classActions}>
                      <button type="button" className={styles.small} onClick={() => clearClass(label)} disabled={!ready || items.length === 0} aria-label={`Delete all examples of ${quoted(name)}`}>
                        Clear
                      </button>
                      <button type="button" className={styles.small} onClick={() => removeClass(label)} disabled={!ready || classes.length <= 1} aria-label={`Remove the class ${quoted(name)}`}>
                        Remove
                      </button>
                    </span>
                  </div>
                  {items.length === 0 ? (
                    <p className={styles.noExamples}>No examples of &ldquo;{name}&rdquo; yet.</p>
                  ) : (
                    <ul className={styles.thumbnails} aria-label={`Examples of ${quoted(name)}`}>
                      {items.map(({ example, index }, position) => (
                        <li key={index} className={styles.thumbnailItem}>
                          <Thumbnail pixels={example.pixels} label={`${quoted(name)} example ${position + 1}`} />
                          <button
                            type="button"
                            className={styles.delete}
                            onClick={() => deleteExample(label, position)}
                            aria-label={`Delete ${quoted(name)} example ${position + 1}`}
                            data-delete={`${label}:${position}`}
                          >
                            <span aria-hidden="true">×</span>
                          </button>
                        </li>
                      ))}
                    </ul>
                  )}
                </li>
              );
            })}
          </ul>
          <div className={styles.addClass}>
            <button type="button" className={styles.button} onClick={addClass} disabled={!ready || classes.length >= MAX_CLASSES}>
              Add a class
            </button>
            {classes.length >= MAX_CLASSES && <span className={styles.hint}>{MAX_CLASSES} classes is the most a pad holds.</span>}
          </div>
        </div>
      </div>

      <div className={styles.footer}>
        <p role="status" className={styles.status}>
          {notice?.tone === 'info' ? notice.text : ''}
        </p>
        <p role="alert" className={styles.error}>
          {notice?.tone === 'error' ? notice.text : ''}
        </p>
        {notice?.undo && (
          <button type="button" className={styles.small} onClick={undo} data-undo="">
            Undo
          </button>
        )}
      </div>
    </section>
  );
}

interface ClassNameFieldProps {
  label: number;
  name: string;
  disabled: boolean;
  errorId: string;
  check(value: string): string | null;
  onRename(value: string): void;
}

/** A class's name, edited in place: saved on Enter or when focus leaves, Escape puts the old name back. */
function ClassNameField({ label, name, disabled, errorId, check, onRename }: ClassNameFieldProps) {
  const [value, setValue] = useState(name);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    setValue(name);
    setProblem(null);
  }, [name]);

  const commit = () => {
    if (value.trim() === name) {
      setValue(name);
      setProblem(null);
      return;
    }
    const found = check(value);
    setProblem(found);
    if (!found) onRename(value.trim());
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      commit();
    } else if (event.key === 'Escape') {
      setValue(name);
      setProblem(null);
    }
  };

  return (
    <span className={styles.nameField}>
      <input
        className={styles.nameInput}
        value={value}
        maxLength={MAX_CLASS_NAME_LENGTH}
        disabled={disabled}
        aria-label={`Name of class ${label + 1}`}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? errorId : undefined}
        data-name-of={label}
        spellCheck={false}
        onChange={(event) => setValue(event.target.value)}
        onBlur={commit}
        onKeyDown={onKeyDown}
      />
      {problem && (
        <span id={errorId} className={styles.fieldError} role="alert">
          {problem}
        </span>
      )}
    </span>
  );
}

/** One saved example at its real 28x28 size, scaled up with hard pixel edges. */
function Thumbnail({ pixels, label }: { pixels: readonly number[]; label: string }) {
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

/** Decodes a picture the student chose, reduces it and preprocesses it; throws a message a student can act on. */
async function pictureToPixels(file: File): Promise<Uint8Array> {
  const name = quoted(file.name);
  if (file.type && !file.type.startsWith('image/')) throw new Error(`${name} is not an image. Choose a PNG, JPEG, GIF or WebP picture.`);
  if (file.size > MAX_UPLOAD_BYTES) throw new Error(`${name} is larger than ${MAX_UPLOAD_BYTES / 1e6} MB. Choose a smaller picture.`);
  let picture: DecodedPicture;
  try {
    picture = await decodePicture(file);
  } catch {
    throw new Error(`${name} could not be opened as a picture. Choose a PNG, JPEG, GIF or WebP file.`);
  }
  let pixels: Uint8Array | null;
  try {
    const scale = Math.min(1, UPLOAD_SIDE / Math.max(picture.width, picture.height));
    const target = document.createElement('canvas');
    target.width = Math.max(1, Math.round(picture.width * scale));
    target.height = Math.max(1, Math.round(picture.height * scale));
    const ctx = target.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error(`${name} could not be read: this browser has no canvas to draw it on.`);
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(picture.image, 0, 0, target.width, target.height);
    pixels = toDrawingPixels(ctx.getImageData(0, 0, target.width, target.height));
  } finally {
    picture.release();
  }
  if (!pixels) throw new Error(`No shape found in ${name}: use a picture of one dark shape on a light background, or a light one on a dark background.`);
  return pixels;
}

interface DecodedPicture {
  image: CanvasImageSource;
  width: number;
  height: number;
  release(): void;
}

async function decodePicture(file: File): Promise<DecodedPicture> {
  try {
    const bitmap = await createImageBitmap(file);
    return { image: bitmap, width: bitmap.width, height: bitmap.height, release: () => bitmap.close() };
  } catch {
    // createImageBitmap does not take SVG; an <img> does.
    const url = URL.createObjectURL(file);
    const image = new Image();
    image.src = url;
    try {
      await image.decode();
    } catch (error) {
      URL.revokeObjectURL(url);
      throw error;
    }
    if (!image.naturalWidth || !image.naturalHeight) {
      URL.revokeObjectURL(url);
      throw new Error('the picture has no size');
    }
    return { image, width: image.naturalWidth, height: image.naturalHeight, release: () => URL.revokeObjectURL(url) };
  }
}
