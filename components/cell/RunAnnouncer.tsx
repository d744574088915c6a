import type { RunState } from '@/runtime';
import { runAnnouncement } from './runAnnouncement';

/** The cell's one live region for runs: visually hidden, polite, read as a whole. */
export function RunAnnouncer({ state }: { state: RunState }) {
  return (
    <p className="visually-hidden" role="status" aria-atomic="true" data-run-announcer="">
      {runAnnouncement(state)}
    </p>
  );
}
