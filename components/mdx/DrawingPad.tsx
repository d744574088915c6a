'use client';

import { useCallback, useEffect, useId, useMemo, useRef, useState, type DragEvent } from 'react';
import { useLesson } from '../lesson/LessonContext';
import { MAX_CLASSES, classNameProblem, newClassName, parseClassList, quoted } from '../lesson/drawingClasses';
import { toDrawingPixels } from '../lesson/drawingPreprocess';
import { MAX_EXAMPLES_PER_CLASS, loadDrawings, saveDrawings, subscribeDrawings, type Drawings } from '../lesson/drawingStore';
import { ClassNameField } from './ClassNameField';
import { DrawingCanvas, type DrawingCanvasHandle } from './DrawingCanvas';
import { DrawingThumbnail } from './DrawingThumbnail';
import { pictureToPixels } from './drawingPictures';
import styles from './DrawingPad.module.css';

export interface DrawingPadProps {
  /** The classes a student starts with, comma-separated (`classes="circle, cross"`). They can rename, add and remove them. */
  classes?: string;
}

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
  const canvas = useRef<DrawingCanvasHandle>(null);
  const fileInput = useRef<HTMLInputElement>(null);
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

  const addDrawing = () => {
    const image = canvas.current?.imageData();
    if (!image) return;
    const pixels = toDrawingPixels(image);
    if (!pixels) {
      setNotice({ tone: 'error', text: 'The drawing area is empty: draw a shape first.' });
      return;
    }
    if (addExamples([pixels], () => 'a drawing')) canvas.current?.clear();
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
            <DrawingCanvas ref={canvas} label={`Drawing area for ${quoted(currentName)}`} describedBy={noteId} disabled={!ready} onInkChange={setHasInk} />
          </div>
          <p id={noteId} className={styles.note}>
            Draw with a mouse, finger or pen. Without one, upload a picture instead.
          </p>

          <div className={styles.actions}>
            <button type="button" className={styles.primary} onClick={addDrawing} disabled={!ready || !hasInk}>
              Add to &ldquo;{currentName}&rdquo;
            </button>
            <button type="button" className={styles.button} onClick={() => canvas.current?.clear()} disabled={!hasInk} aria-label="Clear the drawing area">
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
                      <button type="button" className={styles.small} onClick={() => clearClass(label)} disabled={!ready || items.length === 0} aria-label={`Clear all examples of ${quoted(name)}`}>
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
                          <DrawingThumbnail pixels={example.pixels} label={`${quoted(name)} example ${position + 1}`} />
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
