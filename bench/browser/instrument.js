// Injected into every lesson page before its own scripts (Playwright addInitScript). It only watches:
// it records timestamps (performance.now() of the page) of the sandbox's messages, of every message
// a worker of the page sends (esbuild's and Monaco's workers), of the cells' status attributes and of
// the editor appearing. It never changes what the page does. Plain JavaScript on purpose: it is
// injected as text, untouched by any bundler.
(() => {
  if (window.top !== window) return; // the sandbox iframe gets this script too; it is left alone
  const now = () => performance.now();
  const MAX = 20000;
  const bench = {
    msgs: [],
    workers: [],
    runStatus: {},
    sandboxText: [],
    longTasks: [],
    viewLinesAt: null,
    editorReadyAt: null,
    trainBatches: 0,
    watch: null,
    autoClickAt: null,
  };
  Object.defineProperty(window, '__bench', { value: bench });

  window.addEventListener(
    'message',
    (event) => {
      const d = event.data;
      if (!d || typeof d !== 'object' || typeof d.type !== 'string' || typeof d.v !== 'number') return;
      if (d.type === 'sandbox/pong') return;
      if (d.type === 'train/batch') {
        bench.trainBatches++;
        return;
      }
      const rec = { t: now(), type: d.type };
      if (typeof d.runId === 'string') rec.runId = d.runId;
      if (d.type === 'sandbox/progress') rec.phase = d.phase;
      if (d.type === 'sandbox/ready') rec.backend = d.backend;
      if (d.type === 'sandbox/fatal') rec.message = String(d.message);
      if (d.type === 'run/started') rec.backend = d.backend;
      if (d.type === 'run/error') rec.error = d.error ? `${d.error.name}: ${d.error.message}` : 'error';
      if (d.type === 'run/done') {
        rec.ok = d.ok;
        rec.durationMs = d.durationMs;
        rec.tensorsBefore = d.tensorsBefore;
        rec.tensorsAfter = d.tensorsAfter;
        rec.leakedTensors = d.leakedTensors;
      }
      if (d.type === 'console/entries' && Array.isArray(d.entries)) {
        rec.entries = d.entries.length;
        const lines = [];
        for (const entry of d.entries) {
          const first = entry && entry.args && entry.args[0];
          if (first && first.k === 'string' && typeof first.v === 'string' && first.v.startsWith('BENCH ')) lines.push(first.v.slice(6));
        }
        if (lines.length) rec.bench = lines;
      }
      if (bench.msgs.length < MAX) bench.msgs.push(rec);
    },
    true,
  );

  // esbuild-wasm and Monaco start their workers with `new Worker`; record when each one speaks.
  const NativeWorker = window.Worker;
  window.Worker = class extends NativeWorker {
    constructor(url, options) {
      super(url, options);
      const rec = { url: String(url).slice(0, 120), name: options && options.name, createdAt: now(), firstPostAt: null, esbuild: false, messages: [] };
      bench.workers.push(rec);
      this.addEventListener('message', () => {
        if (rec.messages.length < MAX) rec.messages.push(now());
      });
      const post = this.postMessage;
      this.postMessage = function (message, ...rest) {
        if (rec.firstPostAt === null) rec.firstPostAt = now();
        if (typeof message === 'string' && /esbuild\.wasm(\?|$)/.test(message)) rec.esbuild = true;
        return post.call(this, message, ...rest);
      };
    }
  };

  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) if (bench.longTasks.length < MAX) bench.longTasks.push([entry.startTime, entry.duration]);
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // no long task timing in this browser
  }

  const logText = (cell) => {
    const log = cell.querySelector('[role="log"]');
    return log ? log.textContent || '' : '';
  };

  const observe = () => {
    const t = now();
    const status = document.querySelector('[data-cell-id] [data-phase]');
    if (status) {
      const text = status.textContent;
      const last = bench.sandboxText[bench.sandboxText.length - 1];
      if (!last || last.text !== text) bench.sandboxText.push({ t, phase: status.getAttribute('data-phase'), text });
    }
    for (const cell of document.querySelectorAll('[data-cell-id]')) {
      const id = cell.getAttribute('data-cell-id');
      const s = `${cell.getAttribute('data-run-status')}#${cell.getAttribute('data-runs')}`;
      const list = (bench.runStatus[id] = bench.runStatus[id] || []);
      if (!list.length || list[list.length - 1].s !== s) list.push({ t, s });
    }
    const first = document.querySelector('[data-cell-id]');
    if (first && bench.viewLinesAt === null && first.querySelector('.monaco-editor .view-lines')) bench.viewLinesAt = t;
    // The cell swaps its placeholder (<pre> plus a "Loading..." <p role=status>) for Monaco once ready.
    if (first && bench.viewLinesAt !== null && bench.editorReadyAt === null && !first.querySelector('p[role="status"]')) bench.editorReadyAt = t;
    // Set by the startup benchmark: click Run on this cell the moment its button is in the page, as a
    // student who clicks at once would, before the page's scripts have run.
    const auto = window.__benchAutoClick;
    if (auto && bench.autoClickAt === null) {
      const button = document.querySelector(`[data-cell-id="${auto.cellId}"] button[data-run-cell]`);
      if (button) {
        bench.watch = { cellId: auto.cellId, marker: auto.marker, runs: 1, clickAt: t, outputAt: null };
        bench.autoClickAt = t;
        button.click();
      }
    }
    const w = bench.watch;
    if (w && w.outputAt === null) {
      const cell = document.querySelector(`[data-cell-id="${w.cellId}"]`);
      if (cell && Number(cell.getAttribute('data-runs')) >= w.runs && (w.marker ? logText(cell).includes(w.marker) : logText(cell).trim() !== '')) w.outputAt = t;
    }
  };
  new MutationObserver(observe).observe(document, {
    subtree: true,
    childList: true,
    characterData: true,
    attributes: true,
    attributeFilter: ['data-run-status', 'data-runs', 'data-phase'],
  });

  /** Clicks a cell's Run button in the page itself, so the click time is exact. */
  bench.clickRun = (cellId, marker) => {
    const cell = document.querySelector(`[data-cell-id="${cellId}"]`);
    if (!cell) throw new Error(`no cell ${cellId}`);
    const button = [...cell.querySelectorAll('button')].find((b) => /^(Run Code|Run again)$/.test((b.textContent || '').trim()));
    if (!button || button.disabled) throw new Error(`cell ${cellId}: no enabled Run button`);
    const runs = Number(cell.getAttribute('data-runs')) + 1;
    bench.watch = { cellId, marker: marker || '\u0000never', runs, clickAt: 0, outputAt: null };
    const clickAt = now();
    bench.watch.clickAt = clickAt;
    button.click();
    return { clickAt, runs };
  };

  /** The end of run number `runs` of a cell: when its status became finished/failed/stopped. */
  bench.endOf = (cellId, runs) => {
    const list = bench.runStatus[cellId] || [];
    const hit = list.find((x) => x.s === `finished#${runs}` || x.s === `failed#${runs}` || x.s === `stopped#${runs}`);
    return hit ? { t: hit.t, status: hit.s.split('#')[0] } : null;
  };

  /** First time run number `runs` of a cell showed `status` (e.g. 'starting'), or null. */
  bench.statusAt = (cellId, runs, status) => {
    const hit = (bench.runStatus[cellId] || []).find((x) => x.s === `${status}#${runs}`);
    return hit ? hit.t : null;
  };

  bench.readyCount = () => bench.msgs.filter((m) => m.type === 'sandbox/ready').length;
})();
