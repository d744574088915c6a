import { useEffect, useState } from 'react';
import type { RunState } from '@/runtime';
import styles from './Output.module.css';

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** "Running… 1.2 s", "Finished in 84 ms · webgl", "Failed", "Stopped after 2.0 s". */
export function StatusLine({ state }: { state: RunState }) {
  const running = state.status === 'running' || state.status === 'starting';
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    if (!running) return;
    const id = setInterval(() => setNow(performance.now()), 200);
    return () => clearInterval(id);
  }, [running]);

  let text = '';
  switch (state.status) {
    case 'idle':
      return null;
    case 'compiling':
      text = 'Compiling…';
      break;
    case 'starting':
      text = 'Starting…';
      break;
    case 'running':
      text = `Running… ${seconds(Math.max(0, now - (state.startedAt ?? now)))}`;
      break;
    case 'stopping':
      text = 'Stopping…';
      break;
    case 'finished':
      text = `Finished in ${seconds(state.durationMs ?? 0)}`;
      break;
    case 'failed':
      text = state.runId === undefined ? 'Did not compile' : `Failed after ${seconds(state.durationMs ?? 0)}`;
      break;
    case 'stopped':
      text = `Stopped after ${seconds(state.durationMs ?? 0)}`;
      break;
  }
  return (
    // Not announced: it ticks while running. RunAnnouncer says when a run starts and ends.
    <span className={styles.status} data-status={state.status} role="status" aria-live="off">
      {running && <span className={styles.spinner} aria-hidden="true" />}
      <span>{text}</span>
      {state.backend && <span className={styles.backend} title="TensorFlow.js backend">{state.backend}</span>}
    </span>
  );
}
