import { LIMITS, type ConsoleEntry, type ConsoleLevel, type Preview } from '../protocol';
import { ClearTimeout, PerformanceNow, SetTimeout } from './intrinsics';
import { previewString, previewTable } from './preview';

/** How often buffered console output is sent while code keeps running. */
const FLUSH_INTERVAL_MS = 40;
/**
 * While code floods the console for longer than one interval, the latest lines are sent this often
 * instead: a flood that never ends (thousands of `setInterval`s logging) would otherwise keep the
 * frame and the page busy relaying lines that fall out of the pane's tail anyway.
 */
const FLOOD_FLUSH_INTERVAL_MS = 250;
/**
 * Calls per interval that are sent at once, one message each. Below this rate nothing waits in a
 * buffer, so the last lines before a hang (`console.log('x'); while (true) {}`) still arrive.
 */
const UNBUFFERED_PER_INTERVAL = 20;

type Pending = { kind: 'entry'; entry: ConsoleEntry } | { kind: 'raw'; level: ConsoleLevel | 'table'; args: unknown[] };

/**
 * Buffers console calls and sends them in batches, so a flood of logging cannot flood the page.
 * The first `headEntries` calls are previewed and sent as they come. After that only the most recent
 * `tailEntries` calls are kept (as raw arguments, previewed only when sent); everything in between is
 * counted and reported as left out.
 */
export class ConsoleChannel {
  private sent = 0;
  private buffer: ConsoleEntry[] = [];
  private ring: Pending[] = [];
  private ringStart = 0;
  private omitted = 0;
  private lastFlush: number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private windowStart = -Infinity;
  private windowCount = 0;
  /** The previous interval had more calls than are sent one by one: batch everything until it calms. */
  private flooding = false;

  constructor(
    private readonly preview: (value: unknown) => Preview,
    private readonly send: (entries: ConsoleEntry[], omitted: number) => void,
    /** The clock batching goes by (the sandbox's own, captured before student code runs; a fake one in tests). */
    private readonly now: () => number = PerformanceNow,
  ) {
    this.lastFlush = now();
  }

  log(level: ConsoleLevel, args: unknown[]): void {
    this.push({ kind: 'raw', level, args });
  }

  table(data: unknown, columns: unknown): void {
    this.push({ kind: 'raw', level: 'table', args: [data, columns] });
  }

  /** Sends everything buffered now (at the end of a run, before an error report, on a timer). */
  flush(): void {
    if (this.timer !== undefined) {
      ClearTimeout(this.timer);
      this.timer = undefined;
    }
    const entries = this.buffer;
    const ringLength = this.ring.length;
    for (let i = 0; i < ringLength; i++) {
      entries[entries.length] = this.materialize(this.ring[(this.ringStart + i) % ringLength]!);
    }
    if (entries.length === 0 && this.omitted === 0) return;
    const omitted = this.omitted;
    this.buffer = [];
    this.ring = [];
    this.ringStart = 0;
    this.omitted = 0;
    this.lastFlush = this.now();
    for (let i = 0; i < entries.length || i === 0; i += LIMITS.entriesPerMessage) {
      const chunk: ConsoleEntry[] = [];
      const end = i + LIMITS.entriesPerMessage < entries.length ? i + LIMITS.entriesPerMessage : entries.length;
      for (let j = i; j < end; j++) chunk[chunk.length] = entries[j]!;
      this.send(chunk, i === 0 ? omitted : 0);
    }
  }

  private push(item: Pending): void {
    if (this.sent < LIMITS.headEntries) {
      this.sent++;
      this.buffer[this.buffer.length] = this.materialize(item);
    } else if (this.ring.length < LIMITS.tailEntries) {
      this.ring[this.ring.length] = item;
    } else {
      this.ring[this.ringStart] = item;
      this.ringStart = (this.ringStart + 1) % this.ring.length;
      this.omitted++;
    }
    const now = this.now();
    if (now - this.windowStart >= FLUSH_INTERVAL_MS) {
      this.flooding = this.windowCount > UNBUFFERED_PER_INTERVAL && now - this.windowStart < 2 * FLUSH_INTERVAL_MS;
      this.windowStart = now;
      this.windowCount = 0;
    }
    const interval = this.flooding ? FLOOD_FLUSH_INTERVAL_MS : FLUSH_INTERVAL_MS;
    if ((++this.windowCount <= UNBUFFERED_PER_INTERVAL && !this.flooding) || now - this.lastFlush >= interval) this.flush();
    else if (this.timer === undefined) this.timer = SetTimeout(() => this.flush(), interval);
  }

  private materialize(item: Pending): ConsoleEntry {
    if (item.kind === 'entry') return item.entry;
    if (item.level === 'table') {
      const table = previewTable(item.args[0], item.args[1], this.preview);
      if (table) return table;
      return { kind: 'log', level: 'log', args: [this.preview(item.args[0])] };
    }
    const args: Preview[] = [];
    const count = item.args.length < LIMITS.collectionItems ? item.args.length : LIMITS.collectionItems;
    for (let i = 0; i < count; i++) {
      const arg = item.args[i];
      args[i] = typeof arg === 'string' ? previewString(arg) : this.preview(arg);
    }
    return { kind: 'log', level: item.level, args };
  }
}
