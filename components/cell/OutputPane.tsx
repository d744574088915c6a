import { memo, useEffect, useRef, useState } from 'react';
import { isTraining, type ConsoleEntry, type FitState, type OutputItem, type RunError, type RunState } from '@/runtime';
import { SavedModelView } from './SavedModelView';
import { DisplayView } from './DisplayView';
import { PreviewView } from './PreviewView';
import { TrainingView } from './TrainingView';
import { RunAnnouncer } from './RunAnnouncer';
import { StatusLine } from './StatusLine';
import styles from './Output.module.css';

export interface OutputPaneProps {
  state: RunState;
  /** Fits of the previous run, drawn dashed beside this run's curves. */
  previousFits?: readonly FitState[];
  /** The cell is an exercise: show the check's verdict. */
  exercise?: boolean;
  /** Jumps the editor to a line of main.ts (from an error's location). */
  onShowLine?: (line: number, column: number) => void;
}

/** The OUTPUT pane: a status line, then console output and errors in the order they happened. */
export function OutputPane({ state, previousFits, exercise, onShowLine }: OutputPaneProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const now = useNow(isTraining(state));
  const stick = useRef(true);
  const count = state.head.length + state.tail.length;

  // Follow new output like a terminal, unless the reader scrolled up to look at something.
  useEffect(() => {
    const el = scroller.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [count, state.status]);

  const empty = state.status === 'idle';
  return (
    <section className={styles.pane} aria-label="Output">
      <div className={styles.header}>
        <span className={styles.title}>OUTPUT</span>
        <StatusLine state={state} />
      </div>
      <RunAnnouncer state={state} />
      <div
        ref={scroller}
        className={styles.body}
        role="log"
        // Read on demand, not aloud as it streams: RunAnnouncer says when a run starts and ends.
        aria-live="off"
        tabIndex={0}
        onScroll={(e) => {
          const el = e.currentTarget;
          stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
        }}
      >
        {empty ? (
          <p className={styles.empty}>Click &quot;Run Code&quot; to execute…</p>
        ) : (
          <>
            {state.head.map((item, i) => (
              <OutputLine key={`h${i}`} item={item} state={state} now={now} previousFits={previousFits} onShowLine={onShowLine} />
            ))}
            {state.omitted > 0 && (
              <div className={styles.omitted} role="note">
                … {state.omitted.toLocaleString('en-US')} more line{state.omitted === 1 ? '' : 's'} left out …
              </div>
            )}
            {state.tail.map((item, i) => (
              <OutputLine key={`t${state.omitted + i}`} item={item} state={state} now={now} previousFits={previousFits} onShowLine={onShowLine} />
            ))}
            {state.tensors && <MemoryLine tensors={state.tensors} />}
            {exercise && state.check && <CheckVerdict check={state.check} />}
          </>
        )}
      </div>
    </section>
  );
}

/** An exercise's verdict: passed, or the specific things still to fix. */
function CheckVerdict({ check }: { check: NonNullable<RunState['check']> }) {
  return (
    <div className={styles.verdict} data-passed={check.passed} role="status" aria-live="off">
      {check.passed ? (
        <strong>✓ Passed: the check found nothing to fix.</strong>
      ) : (
        <>
          <strong>Not yet. The check found:</strong>
          <ul>
            {check.problems.map((problem, i) => (
              <li key={i}>{problem}</li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function megabytes(bytes: number): string {
  return bytes < 1e5 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1e6).toFixed(1)} MB`;
}

/** Tensor memory after the run, and a warning when the cell left tensors behind. */
function MemoryLine({ tensors }: { tensors: NonNullable<RunState['tensors']> }) {
  return (
    <div className={styles.memory} data-leaked={tensors.leaked > 0 || undefined}>
      <span>
        {tensors.after.count.toLocaleString('en-US')} tensors ({megabytes(tensors.after.bytes)}) in memory after the run
      </span>
      {tensors.leaked > 0 && (
        <span role="alert">
          ⚠ This run left {tensors.leaked.toLocaleString('en-US')} tensor{tensors.leaked === 1 ? '' : 's'} it created undisposed (model weights and lesson data not counted). Wrap temporary work in{' '}
          <code>tf.tidy()</code> or call <code>.dispose()</code> on tensors you no longer need.
        </span>
      )}
    </div>
  );
}

/** Host time, ticking a few times a second while something trains (for time-left estimates). */
function useNow(ticking: boolean): number {
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    if (!ticking) return;
    const id = setInterval(() => setNow(performance.now()), 250);
    return () => clearInterval(id);
  }, [ticking]);
  return now;
}

interface OutputLineProps {
  item: OutputItem;
  state: RunState;
  now: number;
  previousFits?: readonly FitState[];
  onShowLine?: OutputPaneProps['onShowLine'];
}

function OutputLine({ item, state, now, previousFits, onShowLine }: OutputLineProps) {
  if (item.kind === 'training') {
    const fit = state.fits.find((f) => f.fitId === item.fitId);
    return fit ? <TrainingView fit={fit} now={fit.status === 'training' ? now : fit.updatedAt} previous={previousFits?.find((f) => f.fitId === item.fitId)} /> : null;
  }
  return <StaticLine item={item} onShowLine={onShowLine} />;
}

/** Items other than training never change once shown, so they render once (memo by identity). */
const StaticLine = memo(function StaticLine({ item, onShowLine }: { item: Exclude<OutputItem, { kind: 'training' }>; onShowLine?: OutputPaneProps['onShowLine'] }) {
  switch (item.kind) {
    case 'display':
      return <DisplayView display={item.display} />;
    case 'saved-model':
      return <SavedModelView name={item.name} model={item.model} />;
    case 'console':
      return <ConsoleLine entry={item.entry} />;
    case 'error':
      return <ErrorBlock error={item.error} onShowLine={onShowLine} />;
    case 'notice':
      return (
        <div className={styles.notice} data-tone={item.tone}>
          {item.text}
        </div>
      );
  }
});

function ConsoleLine({ entry }: { entry: ConsoleEntry }) {
  if (entry.kind === 'table') {
    return (
      <div className={styles.line} data-level="log">
        <div className={styles.tableWrap}>
          <table className={styles.table}>
            <thead>
              <tr>
                <th>(index)</th>
                {entry.columns.map((c) => (
                  <th key={c}>{c}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {entry.rows.map((row, r) => (
                <tr key={r}>
                  <th scope="row">{row.key}</th>
                  {row.cells.map((cell, c) => (
                    <td key={c}>{cell ? <PreviewView value={cell} nested /> : ''}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          {entry.more > 0 && <div className={styles.vMuted}>… {entry.more} more rows</div>}
        </div>
      </div>
    );
  }
  return (
    <div className={styles.line} data-level={entry.level}>
      {entry.level === 'warn' && <span className={styles.levelTag} aria-label="warning">⚠ </span>}
      {entry.level === 'error' && <span className={styles.levelTag} aria-label="error">✖ </span>}
      {entry.args.map((arg, i) => (
        <span key={i} className={styles.arg}>
          {i > 0 && ' '}
          <PreviewView value={arg} />
        </span>
      ))}
    </div>
  );
}

const ORIGIN_TEXT: Record<RunError['origin'], string> = {
  'top-level': '',
  'unhandled-rejection': ' (in a promise nobody awaited)',
  callback: ' (in a callback)',
};

function ErrorBlock({ error, onShowLine }: { error: RunError; onShowLine?: OutputPaneProps['onShowLine'] }) {
  const headline = error.isError ? `${error.name}: ${error.message}` : `Uncaught ${error.name === 'null' || error.name === 'undefined' ? error.name : error.name + ' value'}`;
  return (
    <div className={styles.error}>
      <div className={styles.errorHeadline}>
        {headline}
        <span className={styles.vMuted}>{ORIGIN_TEXT[error.origin]}</span>
      </div>
      {!error.isError && error.value && error.value.k !== 'null' && error.value.k !== 'undefined' && (
        <div className={styles.errorValue}>
          <PreviewView value={error.value} nested />
        </div>
      )}
      {error.location && (
        <button type="button" className={styles.errorLink} onClick={() => onShowLine?.(error.location!.line, error.location!.column)}>
          main.ts:{error.location.line}:{error.location.column}
        </button>
      )}
      {error.hint && <div className={styles.errorHint}>{error.hint}</div>}
      {error.stack.length > 0 && <pre className={styles.stack}>{error.stack.join('\n')}</pre>}
    </div>
  );
}
