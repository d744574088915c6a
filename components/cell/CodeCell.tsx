'use client';

import { useCallback, useEffect, useMemo, useReducer, useRef, useState, type KeyboardEvent } from 'react';
import { afterSandboxWarm, browserStorage, clearDraft, draftKey, isActive, loadDraft, prefetchCompiler, RUN_INPUT, saveDraft, type RunState, type SandboxStatus } from '@/runtime';
import type { RunMarker } from '../editor/CodeEditor';
import { cellModelPath } from '@/lib/editor/typescriptOptions';
import { CellEditor, type CellEditorHandle } from './CellEditor';
import { takeEarlyRun } from './earlyRuns';
import { usePreparedCell } from './PreparedCells';
import { useLesson, useLessonTypings } from '../lesson/LessonContext';
import { currentDrawings } from '../lesson/drawingStore';
import { recordAttempt } from '../lesson/progressStore';
import { copyCellLink, type CopyResult } from '../share/copyCellLink';
import { ShareFeedback } from '../share/ShareFeedback';
import { SharedCodeNotice } from '../share/SharedCodeNotice';
import { endSharedLink, useSharedCode } from '../share/sharedLink';
import { useDraftSync } from '../work/useDraftSync';
import { OutputPane } from './OutputPane';
import { useCellRunner, useSandboxStatus } from './useCellRunner';
import styles from './CodeCell.module.css';

export interface CodeCellProps {
  /** Unique within the lesson; keys the student's saved edits. */
  id: string;
  /** Starter code, inlined at build time from the cell's `src` file or fenced block. */
  code: string;
  /** Fingerprint of the starter code, to notice when the lesson changed under a saved edit. */
  codeHash: string;
  /** Seconds a run may take before it is stopped (default 300). */
  timeBudget?: number;
  /** Set when the cell is an exercise: its check runs after every run, and a solution can be shown. */
  exercise?: { checkCode: string; solutionCode: string };
}

const DEFAULT_TIME_BUDGET_S = 300;
const NO_MARKERS: RunMarker[] = [];
const SAVE_DELAY_MS = 400;

type Banner =
  | { kind: 'starter-changed'; saved: string }
  | { kind: 'confirm-reset' }
  | { kind: 'confirm-solution' }
  | { kind: 'undo-reset'; previous: string; message: string }
  | { kind: 'save-failed'; message: string }
  | { kind: 'share'; result: CopyResult };

const megabytes = (bytes: number) => (bytes / 1e6).toFixed(1);

/** The sandbox's state in a few words; a run can start once it says "Ready". */
function loadingText(status: SandboxStatus): string {
  switch (status.phase) {
    case 'idle':
      return 'Loading...';
    case 'loading':
      return status.step === 'downloading' ? 'Loading TensorFlow.js…' : 'Starting TensorFlow.js…';
    case 'ready': {
      const { assets } = status;
      return assets.done ? `Ready · ${status.backend}` : `Ready · ${status.backend} · model and data ${megabytes(assets.loadedBytes)} of ${megabytes(assets.totalBytes)} MB`;
    }
    case 'failed':
      return `The sandbox could not start: ${status.message}`;
  }
}

/** The message of the run's first uncaught error, as the editor's marker shows it. */
function firstErrorMessage(state: RunState): string | undefined {
  const firstError = [...state.head, ...state.tail].find((item) => item.kind === 'error');
  if (firstError?.kind !== 'error') return undefined;
  const { error } = firstError;
  return error.isError ? `${error.name}: ${error.message}` : `Uncaught ${error.name}`;
}

function runMarkersOf(diagnostics: RunState['diagnostics'], errorLocation: RunState['errorLocation'], errorMessage: string | undefined): RunMarker[] {
  const markers: RunMarker[] = diagnostics.map((d) => ({
    line: d.line,
    column: d.column,
    endLine: d.endLine,
    endColumn: d.endColumn,
    message: d.message,
    severity: d.severity,
  }));
  if (errorLocation && errorMessage !== undefined) markers.push({ ...errorLocation, message: errorMessage, severity: 'error' });
  return markers;
}

/**
 * A runnable `main.ts` cell: the editor, Run/Stop/Reset, and the OUTPUT pane. The student's edits are
 * saved in the browser as they type (per lesson and cell) and survive reloads, crashes and hung runs.
 */
export function CodeCell({ id, code, codeHash, timeBudget = DEFAULT_TIME_BUDGET_S, exercise }: CodeCellProps) {
  const lesson = useLesson();
  const lessonTypings = useLessonTypings();
  const key = draftKey(lesson, id);
  const editor = useRef<CellEditorHandle>(null);
  const prepared = usePreparedCell(id);
  const [text, setText] = useState(code);
  const [banner, setBanner] = useState<Banner | null>(null);
  // A run's markers belong to the text that ran; once the student edits it, they would point at the
  // wrong place, so they are cleared until the next run.
  const [ranText, setRanText] = useState<string | null>(null);
  const { runner, state } = useCellRunner(timeBudget * 1000);
  const sandbox = useSandboxStatus();
  const saveTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const latest = useRef(text);
  latest.current = text;
  // Code opened from a share link is shown instead of the saved edit, and not saved unless kept.
  const sharedCode = useSharedCode(id);
  const viewingShared = useRef(false);
  viewingShared.current = sharedCode !== null;
  // Bumped when the saved edit was replaced from outside (a restore of the student's work).
  const [draftVersion, reloadDraft] = useReducer((n: number) => n + 1, 0);

  // Show the saved edit (browser only, after hydration so server and client render the same), or
  // the shared code while the page's address shares this cell.
  useEffect(() => {
    clearTimeout(saveTimer.current); // an edit still waiting to be saved would overwrite what is saved now
    saveTimer.current = undefined;
    if (sharedCode !== null) {
      setText(sharedCode);
      setBanner(null);
      return;
    }
    const draft = loadDraft(browserStorage(), key);
    setText(draft?.code ?? code);
    // A saved edit is run through the compiler, which unedited code never needs.
    if (draft && draft.code !== code) afterSandboxWarm(prefetchCompiler);
    setBanner(draft && draft.code !== code && draft.starterHash !== codeHash ? { kind: 'starter-changed', saved: draft.code } : null);
  }, [key, code, codeHash, draftVersion, sharedCode]);

  const save = useCallback(
    (value: string) => {
      const storage = browserStorage();
      if (value === code) {
        clearDraft(storage, key);
        return;
      }
      const failure = saveDraft(storage, key, { code: value, starterHash: codeHash, savedAt: Date.now() });
      if (failure) setBanner({ kind: 'save-failed', message: failure });
    },
    [code, codeHash, key],
  );
  const persist = useCallback(
    (value: string) => {
      if (!viewingShared.current) save(value);
    },
    [save],
  );

  const flushPendingSave = useCallback(() => {
    if (saveTimer.current === undefined) return;
    clearTimeout(saveTimer.current);
    saveTimer.current = undefined;
    persist(latest.current);
  }, [persist]);

  // Save shortly after typing stops, and at once when the page is hidden or closed.
  useEffect(() => {
    window.addEventListener('pagehide', flushPendingSave);
    document.addEventListener('visibilitychange', flushPendingSave);
    return () => {
      flushPendingSave();
      window.removeEventListener('pagehide', flushPendingSave);
      document.removeEventListener('visibilitychange', flushPendingSave);
    };
  }, [flushPendingSave]);
  useDraftSync(lesson, id, { reload: reloadDraft, flush: flushPendingSave });

  const onChange = useCallback(
    (value: string) => {
      setText(value);
      clearTimeout(saveTimer.current);
      saveTimer.current = setTimeout(() => {
        saveTimer.current = undefined;
        persist(value);
      }, SAVE_DELAY_MS);
    },
    [persist],
  );

  const replaceText = (value: string) => {
    setText(value);
    editor.current?.setValue(value);
    persist(value);
  };

  const run = useCallback(() => {
    if (!runner) return;
    const handle = editor.current;
    const source = handle?.getValue() ?? latest.current;
    setRanText(source);
    // The lesson's own code (starter or solution) runs as the build compiled it, and type-checked.
    const compiled = source === code ? prepared?.starter : exercise && source === exercise.solutionCode ? prepared?.solution : undefined;
    const typeErrors = handle && !compiled ? () => handle.typeErrors().then((found) => found.filter((d) => d.severity === 'error')) : [];
    const drawings = currentDrawings(lesson);
    void runner.run(source, { compiled, typeErrors, inputs: drawings ? { [RUN_INPUT.drawings]: drawings } : {}, check: prepared?.check ?? exercise?.checkCode, lesson });
  }, [runner, lesson, code, prepared, exercise]);

  // A click on Run before the page could handle it (see earlyRuns) runs now.
  const runButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!runner || !takeEarlyRun(id)) return;
    runButton.current?.removeAttribute('data-queued');
    run();
  }, [runner, id, run]);

  // Every checked run counts as an attempt; a passing one marks the exercise passed for good.
  const checked = state.check;
  useEffect(() => {
    if (exercise && checked) recordAttempt(lesson, id, checked.passed);
  }, [exercise, checked, lesson, id]);

  const showLine = useCallback((line: number) => editor.current?.revealLine(line), []);
  const highlighted = text === code ? prepared?.highlighted.starter : exercise && text === exercise.solutionCode ? prepared?.highlighted.solution : undefined;
  // Recomputed only when the markers themselves change, not on every streamed console line: each new
  // array makes Monaco redraw its markers.
  const errorMessage = state.errorLocation ? firstErrorMessage(state) : undefined;
  const textRan = ranText === text;
  const markers = useMemo(
    () => (textRan ? runMarkersOf(state.diagnostics, state.errorLocation, errorMessage) : NO_MARKERS),
    [textRan, state.diagnostics, state.errorLocation, errorMessage],
  );
  const active = isActive(state.status);
  const stopLabel = state.gracefulStop ? 'Stop now' : 'Stop';

  const copyLink = async () => setBanner({ kind: 'share', result: await copyCellLink(id, editor.current?.getValue() ?? latest.current) });
  const keepShared = () => {
    save(editor.current?.getValue() ?? latest.current);
    endSharedLink();
  };

  // Shortcuts anywhere in the cell (listed in the lesson's sidebar). Inside the editor, Ctrl+Enter is
  // the editor's own Run action, and an Escape the editor uses (closing a suggestion) never arrives.
  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.defaultPrevented) return;
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey) {
      if (event.target instanceof Element && event.target.closest('.monaco-editor')) return;
      event.preventDefault();
      run();
    } else if (event.key === 'Escape' && active) {
      event.preventDefault();
      runner?.stop();
    }
  };

  return (
    <section className={styles.cell} aria-label={`Code cell ${id}`} data-cell-id={id} data-run-status={state.status} data-runs={state.runs} onKeyDown={onKeyDown}>
      <div className={styles.toolbar}>
        <div role="tablist" className={styles.tabs}>
          <span role="tab" aria-selected="true" className={styles.tab}>
            main.ts
          </span>
        </div>
        <div className={styles.actions}>
          {/* Not announced: it counts megabytes while the page loads, in every cell at once. */}
          <span className={styles.sandboxStatus} data-phase={sandbox.phase} role="status" aria-live="off" title={sandbox.phase === 'ready' ? `TensorFlow.js backend: ${sandbox.backend} (${sandbox.reason})` : loadingText(sandbox)}>
            {loadingText(sandbox)}
          </span>
          {exercise && (
            <button type="button" className={styles.secondary} onClick={() => setBanner({ kind: 'confirm-solution' })} disabled={text === exercise.solutionCode} title="Replace your code with a worked solution">
              Show solution
            </button>
          )}
          <button type="button" className={styles.secondary} onClick={() => void copyLink()} title="Copy a link that opens this cell with your code">
            Copy link
          </button>
          <button type="button" className={styles.secondary} onClick={() => setBanner({ kind: 'confirm-reset' })} disabled={text === code} title="Restore the lesson's starter code">
            Reset
          </button>
          {active && (
            <button type="button" className={styles.stop} onClick={() => runner?.stop()} title="Stop the run (Esc; during training: finish the current batch first)" aria-keyshortcuts="Escape">
              {stopLabel}
            </button>
          )}
          <button
            ref={runButton}
            type="button"
            className={styles.run}
            onClick={run}
            data-run-cell={id}
            data-run-ready={runner ? '' : undefined}
            title="Run Code (Ctrl+Enter)"
            aria-keyshortcuts="Control+Enter Meta+Enter"
          >
            {active ? 'Run again' : 'Run Code'}
          </button>
        </div>
      </div>
      {sharedCode !== null && <SharedCodeNotice hasOwnVersion={loadDraft(browserStorage(), key) !== null} onKeep={keepShared} onBack={endSharedLink} />}
      {banner && (
        <CellBanner banner={banner} starter={code} solution={exercise?.solutionCode} onReplace={replaceText} onClose={() => setBanner(null)} setBanner={setBanner} current={text} />
      )}
      {state.gracefulStop && active && (
        <p className={styles.bannerLine} role="status">
          Stopping training after the current batch; the code after <code>fit</code> will still run. Press &quot;Stop now&quot; to end the run at once.
        </p>
      )}
      <CellEditor
        ref={editor}
        path={cellModelPath(id)}
        value={text}
        highlighted={highlighted}
        lessonTypings={lessonTypings}
        ariaLabel={`main.ts of code cell ${id}`}
        runMarkers={markers}
        onChange={onChange}
        onRun={run}
        onOpen={() => afterSandboxWarm(prefetchCompiler)}
      />
      <OutputPane
        state={state}
        exercise={!!exercise}
        previousFits={state.previousFits}
        onShowLine={showLine}
      />
    </section>
  );
}

interface CellBannerProps {
  banner: Banner;
  starter: string;
  solution?: string;
  current: string;
  onReplace(value: string): void;
  onClose(): void;
  setBanner(banner: Banner | null): void;
}

function CellBanner({ banner, starter, solution, current, onReplace, onClose, setBanner }: CellBannerProps) {
  switch (banner.kind) {
    case 'starter-changed':
      return (
        <div className={styles.banner} role="alert">
          <span>The lesson&apos;s starter code for this cell changed since you edited it. You are seeing your saved version.</span>
          <button
            type="button"
            onClick={() => {
              onReplace(starter);
              setBanner({ kind: 'undo-reset', previous: banner.saved, message: 'main.ts now holds the new starter code.' });
            }}
          >
            Use the new starter
          </button>
          <button
            type="button"
            onClick={() => {
              onReplace(current); // saves it again under the new starter's fingerprint
              onClose();
            }}
          >
            Keep my version
          </button>
        </div>
      );
    case 'confirm-reset':
      return (
        <div className={styles.banner} role="alertdialog" aria-label="Reset main.ts">
          <span>Replace your edits with the lesson&apos;s starter code?</span>
          <button
            type="button"
            className={styles.danger}
            onClick={() => {
              onReplace(starter);
              setBanner({ kind: 'undo-reset', previous: current, message: 'main.ts now holds the starter code.' });
            }}
          >
            Reset
          </button>
          <button type="button" onClick={onClose} autoFocus>
            Cancel
          </button>
        </div>
      );
    case 'confirm-solution':
      return (
        <div className={styles.banner} role="alertdialog" aria-label="Show the solution">
          <span>Replace your code with the solution? Trying first teaches more; you can undo this.</span>
          <button
            type="button"
            className={styles.danger}
            onClick={() => {
              onReplace(solution ?? current);
              setBanner({ kind: 'undo-reset', previous: current, message: 'main.ts now holds the solution. Run it to see it pass.' });
            }}
          >
            Show solution
          </button>
          <button type="button" onClick={onClose} autoFocus>
            Cancel
          </button>
        </div>
      );
    case 'undo-reset':
      return (
        <div className={styles.banner} role="status">
          <span>{banner.message}</span>
          <button
            type="button"
            onClick={() => {
              onReplace(banner.previous);
              onClose();
            }}
          >
            Undo
          </button>
          <button type="button" onClick={onClose}>
            Dismiss
          </button>
        </div>
      );
    case 'share':
      return <ShareFeedback result={banner.result} onClose={onClose} />;
    case 'save-failed':
      return (
        <div className={styles.banner} role="alert" data-tone="error">
          <span>{banner.message}</span>
          <button type="button" onClick={onClose}>
            Dismiss
          </button>
        </div>
      );
  }
}
