/**
 * The runtime's public surface for the UI. Components import from here only; nothing in runtime/
 * imports React or Next.
 */
import { compilerWasmUrl, sandboxFiles } from './host/assets';
import { compileInBrowser, loadCompiler } from './host/browserCompiler';
import { CellRunner } from './host/cellRunner';
import { browserSavedModels, memorySavedModels, type SavedModelStore } from './host/savedModels';
import { requestedBackend } from './host/requestedBackend';
import { SandboxHost } from './host/SandboxHost';
import { NO_LESSON_ASSETS, type LessonAssets } from './lessonAssets';

export type { Diagnostic } from './compiler/compileCell';
export type { ConsoleEntry, Display, Metrics, MetricValue, Preview, SavedModel } from './protocol';
export { RUN_INPUT } from './protocol';
export type { LessonAssets } from './lessonAssets';
export type { FitState, OutputItem, RunError, RunState, RunStatus } from './host/runState';
export { initialRunState, isActive, isTraining } from './host/runState';
export type { SandboxStatus } from './host/SandboxHost';
export { browserStorage, clearDraft, draftKey, loadDraft, saveDraft, type Draft } from './host/drafts';
export { CellRunner } from './host/cellRunner';

let sandbox: SandboxHost | undefined;
let sandboxAssets: LessonAssets = NO_LESSON_ASSETS;
/** The path the site is served under ('' at a host's root); the runtime's own files are below it. */
let siteBase = '';

/** Tells the runtime where the site is served (its base path, '' at the root). Call it before anything starts. */
export function setSiteBase(base: string): void {
  siteBase = base;
}

/**
 * Tells the runtime which models and data sets the page's lesson declares: the sandbox preloads
 * those and nothing else. Call it before the sandbox starts (a page belongs to one lesson).
 */
export function setLessonAssets(assets: LessonAssets): void {
  if (sandbox && JSON.stringify(sandboxAssets) !== JSON.stringify(assets)) throw new Error("the sandbox already started with another lesson's assets");
  sandboxAssets = assets;
}

/** The page's one sandbox (created on first use, in the browser only). */
export function getSandbox(): SandboxHost {
  sandbox ??= new SandboxHost({ ...sandboxFiles(siteBase), lesson: sandboxAssets }, { backend: requestedBackend(location.search) });
  return sandbox;
}

export function compile(source: string, file?: string) {
  return compileInBrowser(compilerWasmUrl(siteBase), source, file);
}

/** Starts the sandbox: it downloads and warms up at once, as the first Run of a page needs nothing else. */
export function warmUp(): void {
  getSandbox().start();
}

/**
 * Runs `task` once the sandbox is warm and the page is idle: on two cores, the editor and the compiler
 * would otherwise compete with TensorFlow.js for the first Run.
 */
export function afterSandboxWarm(task: () => void): void {
  getSandbox()
    .whenReady()
    .then(() => new Promise<void>((resolve) => (typeof requestIdleCallback === 'function' ? requestIdleCallback(() => resolve(), { timeout: 5_000 }) : setTimeout(resolve, 500))))
    .then(task, () => {
      // A sandbox that failed to start says so where the student sees it.
    });
}

/**
 * Resolves once the page has loaded and is idle, and its sandbox (if it has one) is warm: the moment
 * for background work such as the service worker's download of the whole course.
 */
export function whenPageSettled(): Promise<void> {
  const idle = () => new Promise<void>((resolve) => (typeof requestIdleCallback === 'function' ? requestIdleCallback(() => resolve(), { timeout: 5_000 }) : setTimeout(resolve, 500)));
  const loaded = document.readyState === 'complete' ? Promise.resolve() : new Promise<void>((resolve) => window.addEventListener('load', () => resolve(), { once: true }));
  return loaded
    .then(idle)
    .then(() => sandbox?.whenReady())
    .then(idle, idle);
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

export function createCellRunner(timeBudgetMs: number): CellRunner {
  return new CellRunner({ compile, sandbox: getSandbox(), timeBudgetMs, savedModels: getSavedModels() });
}
