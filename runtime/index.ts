/**
 * The runtime's public surface for the UI. Components import from here only; nothing in runtime/
 * imports React or Next.
 */
import { compilerWasmUrl } from './host/assets';
import { compileInBrowser, loadCompiler } from './host/browserCompiler';
import { CellRunner } from './host/cellRunner';
import { browserSavedModels, memorySavedModels, type SavedModelStore } from './host/savedModels';
import { unavailableSandbox, type PageSandboxHost } from './host/unavailableSandbox';
import { pageSandbox } from './boot/pageSandbox';

export type { Diagnostic } from './compiler/compileCell';
export type { ConsoleEntry, Display, Metrics, MetricValue, Preview, SavedModel } from './protocol';
export { RUN_INPUT } from './protocol';
export type { LessonAssets } from './lessonAssets';
export type { FitState, OutputItem, RunError, RunState, RunStatus } from './host/runState';
export { initialRunState, isActive, isTraining } from './host/runState';
export type { SandboxStatus } from './host/SandboxHost';
export { browserStorage, clearDraft, draftKey, loadDraft, saveDraft, type Draft } from './host/drafts';
export { CellRunner } from './host/cellRunner';

let sandbox: PageSandboxHost | undefined;
/** The path the site is served under ('' at a host's root); the runtime's own files are below it. */
let siteBase = '';

/** Tells the runtime where the site is served (its base path, '' at the root). Call it before anything starts. */
export function setSiteBase(base: string): void {
  siteBase = base;
}

/**
 * The page's one sandbox, which the page's boot script started before React (see boot/pageSandbox.ts)
 * with the lesson's models and data sets; one that only says why it is missing if the script did not run.
 */
export function getSandbox(): PageSandboxHost {
  if (!sandbox) {
    const found = pageSandbox();
    sandbox = 'host' in found ? found.host : unavailableSandbox(found.problem);
  }
  return sandbox;
}

export function compile(source: string, file?: string) {
  return compileInBrowser(compilerWasmUrl(siteBase), source, file);
}


/** The browser's next idle period (at most 5 s away). */
function pageIdle(): Promise<void> {
  return new Promise<void>((resolve) => (typeof requestIdleCallback === 'function' ? requestIdleCallback(() => resolve(), { timeout: 5_000 }) : setTimeout(resolve, 500)));
}

/** Runs `task` at the first idle period after `moment`; a sandbox that failed to start says so where the student sees it. */
function atIdleAfter(moment: Promise<void>, task: () => void): void {
  moment.then(pageIdle).then(task, () => {});
}

/**
 * Runs `task` once the sandbox is warm and the page is idle: on two cores, the editor and the compiler
 * would otherwise compete with TensorFlow.js for the first Run.
 */
export function afterSandboxWarm(task: () => void): void {
  atIdleAfter(getSandbox().whenReady(), task);
}

/**
 * Runs `task` once the sandbox is warm, no run is in progress and the page is idle: for work nobody
 * asked for yet (the editor's code ahead of a first click), which must not slow the first Run down,
 * such as a Run clicked before the page was ready.
 */
export function whenSandboxIdle(task: () => void): void {
  atIdleAfter(getSandbox().whenIdle(), task);
}

/**
 * Resolves once the page has loaded and is idle, and its sandbox (if it has one) is warm and not
 * running a cell: the moment for background work such as the service worker's download of the course.
 */
export function whenPageSettled(): Promise<void> {
  const loaded = document.readyState === 'complete' ? Promise.resolve() : new Promise<void>((resolve) => window.addEventListener('load', () => resolve(), { once: true }));
  return loaded
    .then(pageIdle)
    .then(() => sandbox?.whenIdle())
    .then(pageIdle, pageIdle);
}

export { registerServiceWorker, type OfflineStatus } from './offline/register';

/**
 * Loads the compiler (14 MB of WebAssembly) ahead of the first compile: the page calls this when a
 * student edits a cell, or finds a saved edit, since unedited code runs as the build compiled it.
 */
export function prefetchCompiler(): void {
  loadCompiler(compilerWasmUrl(siteBase))
    .then(() => compile('export {};'))
    .catch(() => {
      // The first real compile reports compiler problems where the student sees them.
    });
}

let savedModels: SavedModelStore | undefined;

/** The page's store of models saved by cells (IndexedDB, or memory where the browser has none). */
function getSavedModels(): SavedModelStore {
  savedModels ??= browserSavedModels() ?? memorySavedModels();
  return savedModels;
}

let prefetchedLesson: string | undefined;

/**
 * Reads the models this lesson saved ahead, once per page, as the page starts: a Run clicked while
 * the page loads then does not wait for IndexedDB (which a first visit also has to create).
 */
export function prefetchSavedModels(lesson: string): void {
  if (prefetchedLesson === lesson) return;
  prefetchedLesson = lesson;
  getSavedModels().prefetch(lesson);
}

export function createCellRunner(timeBudgetMs: number): CellRunner {
  return new CellRunner({ compile, sandbox: getSandbox(), timeBudgetMs, savedModels: getSavedModels() });
}
