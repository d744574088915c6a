'use client';

import { useCallback, useEffect, useImperativeHandle, useRef, useState, type KeyboardEvent, type PointerEvent, type Ref } from 'react';
import type { HighlightedCode as Highlighted } from '@/lib/lessons/types';
import { afterSandboxWarm } from '@/runtime';
import { CodeEditor, type CodeEditorHandle, type EditorDiagnostic, type RunMarker } from '../editor/CodeEditor';
import { loadMonaco } from '../editor/loadMonaco';
import { HighlightedCode } from './HighlightedCode';
import styles from './CodeCell.module.css';

export interface CellEditorHandle {
  /** The text as the student sees it (the editor's, once it is there). */
  getValue(): string;
  setValue(value: string): void;
  /** Opens the editor if needed, scrolls to the line and puts the cursor there. */
  revealLine(line: number): void;
  /** Type errors of the text as it is now; none while nobody has opened the editor. */
  typeErrors(): Promise<EditorDiagnostic[]>;
  /** Whether the editor (Monaco) is there. */
  isOpen(): boolean;
}

export interface CellEditorProps {
  /** The model's URI (cellModelPath(id)). */
  path: string;
  value: string;
  /** The build's highlighting of `value`, when it is the lesson's code; plain text otherwise. */
  highlighted?: Highlighted;
  lessonTypings: string;
  ariaLabel: string;
  runMarkers: readonly RunMarker[];
  onChange(value: string): void;
  onRun(): void;
  /** The student started editing (the editor opened): load what editing needs, e.g. the compiler. */
  onOpen?(): void;
  ref?: Ref<CellEditorHandle>;
}

let editorPreloading = false;

/** Loads the editor's code (no editor, no TypeScript worker) once the sandbox is warm, so a click opens it quickly. */
function preloadEditor(lessonTypings: string): void {
  if (editorPreloading) return;
  editorPreloading = true;
  afterSandboxWarm(() => {
    loadMonaco(lessonTypings).catch(() => {
      // Opening a cell tries again and says so if it fails.
    });
  });
}

/** How long a Run waits for the type checker's verdict on the current text (a cold worker is slow). */
const TYPE_CHECK_WAIT_MS = 400;

/** Where the student clicked in the highlighted code, as an editor line and column. */
function positionInCode(event: PointerEvent<HTMLElement>): { line: number; column: number } | undefined {
  const doc = document as Document & { caretPositionFromPoint?(x: number, y: number): { offsetNode: Node; offset: number } | null };
  const caret = doc.caretPositionFromPoint?.(event.clientX, event.clientY) ?? (() => {
    const range = document.caretRangeFromPoint?.(event.clientX, event.clientY);
    return range ? { offsetNode: range.startContainer, offset: range.startOffset } : null;
  })();
  const lineElement = caret?.offsetNode.parentElement?.closest<HTMLElement>('[data-line]');
  if (!caret || !lineElement) return undefined;
  // Characters before the caret on its line, not counting the line number.
  const before = document.createRange();
  before.setStart(lineElement, 0);
  before.setEnd(caret.offsetNode, caret.offset);
  const gutter = lineElement.querySelector('[aria-hidden="true"]')?.textContent?.length ?? 0;
  return { line: Number(lineElement.dataset.line), column: before.toString().length - gutter + 1 };
}

/**
 * A cell's main.ts: the code as the build highlighted it, replaced by the Monaco editor the first time
 * the student clicks, presses Enter or types in it (the first keys typed are kept). Until then the
 * page loads no editor code at all, and Ctrl+Enter in the code runs it. The two take exactly the same
 * space, so nothing moves when one replaces the other.
 */
export function CellEditor({ path, value, highlighted, lessonTypings, ariaLabel, runMarkers, onChange, onRun, onOpen, ref }: CellEditorProps) {
  const editor = useRef<CodeEditorHandle>(null);
  const [open, setOpen] = useState(false);
  const [state, setState] = useState<'loading' | 'ready' | 'failed'>('loading');
  /** What to do once the editor is there: where to put the cursor, what was typed, a line to show. */
  const pending = useRef<{ at?: { line: number; column: number }; typed: string; reveal?: number; focus: boolean }>({ typed: '', focus: false });
  const latest = useRef(value);
  latest.current = value;
  useEffect(() => preloadEditor(lessonTypings), [lessonTypings]);

  const openEditor = useCallback(
    (focus: boolean) => {
      pending.current.focus ||= focus;
      if (!open) onOpen?.();
      setOpen(true);
    },
    [open, onOpen],
  );

  // A run's error is marked in the editor, so a failed run opens it.
  useEffect(() => {
    if (runMarkers.length > 0) openEditor(false);
  }, [runMarkers, openEditor]);

  // Once the editor shows (it is hidden while it loads, and a hidden element cannot take focus), do
  // what the student asked for before it was there.
  useEffect(() => {
    const handle = editor.current;
    if (state !== 'ready' || !handle) return;
    const { at, typed, reveal, focus } = pending.current;
    pending.current = { typed: '', focus: false };
    if (reveal !== undefined) handle.revealLine(reveal);
    else if (at) handle.focusAt(at.line, at.column);
    if (focus || reveal !== undefined) handle.focus();
    if (typed) handle.type(typed);
  }, [state]);

  const onPlaceholderKey = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      onRun();
    } else if (event.key === 'Enter' && !open) {
      event.preventDefault();
      openEditor(true);
    } else if (event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey) {
      // A printable key: open the editor and type it there once it has loaded.
      event.preventDefault();
      pending.current.typed += event.key;
      openEditor(true);
    }
  };

  useImperativeHandle(
    ref,
    () => ({
      getValue: () => editor.current?.getValue() ?? latest.current,
      setValue: (next) => editor.current?.setValue(next),
      revealLine(line) {
        if (state === 'ready') {
          editor.current?.revealLine(line);
          editor.current?.focus();
          return;
        }
        pending.current.reveal = line;
        openEditor(true);
      },
      async typeErrors() {
        const handle = editor.current;
        if (!handle || state !== 'ready') return [];
        let timer: ReturnType<typeof setTimeout> | undefined;
        const late = new Promise<EditorDiagnostic[]>((resolve) => {
          timer = setTimeout(() => resolve(handle.getDiagnostics()), TYPE_CHECK_WAIT_MS);
        });
        try {
          return await Promise.race([handle.checkTypes().catch(() => handle.getDiagnostics()), late]);
        } finally {
          clearTimeout(timer);
        }
      },
      isOpen: () => state === 'ready',
    }),
    [state, openEditor],
  );

  return (
    <div className={styles.editor}>
      {open && (
        <CodeEditor
          ref={editor}
          className={state === 'ready' ? styles.monaco : `${styles.monaco} ${styles.pending}`}
          path={path}
          lessonTypings={lessonTypings}
          value={value}
          onChange={onChange}
          onRun={onRun}
          runMarkers={runMarkers}
          ariaLabel={ariaLabel}
          onReady={() => setState('ready')}
          onLoadError={() => setState('failed')}
        />
      )}
      {state !== 'ready' && (
        <>
          <pre
            className={styles.placeholder}
            tabIndex={0}
            role="textbox"
            aria-readonly={!open}
            aria-multiline="true"
            aria-label={ariaLabel}
            data-placeholder={highlighted ? 'highlighted' : 'plain'}
            onPointerDown={(event) => {
              if (event.button !== 0) return;
              pending.current.at = positionInCode(event);
              openEditor(true);
            }}
            onKeyDown={onPlaceholderKey}
          >
            <HighlightedCode lines={highlighted} text={value} />
          </pre>
          {open && (
            <p className={styles.loading} role="status">
              {state === 'loading' ? 'Opening the editor…' : 'The editor could not load; reload the page to edit.'}
            </p>
          )}
        </>
      )}
    </div>
  );
}
