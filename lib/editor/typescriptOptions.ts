/**
 * How the editor's TypeScript worker checks a cell. Plain data, so the same object configures Monaco in
 * the browser and the Node tests that replay Monaco's language-service host against the typings bundle.
 * Enum members are TypeScript's own numbers (Monaco 0.57 bundles TypeScript 5.9.3; its exported enums
 * stop at NodeJs/ESNext, so the newer values are spelled out).
 */
export const CELL_COMPILER_OPTIONS = {
  strict: true,
  /** ScriptTarget.ES2022: what esbuild compiles to; top-level await needs ES2017 or later. */
  target: 9,
  /** ModuleKind.ESNext: allows top-level await together with the target above. */
  module: 99,
  /**
   * ModuleResolutionKind.Bundler: esbuild resolves the cell's imports, so extensionless imports and
   * package.json "types" apply; the typings sit under file:///node_modules/ like a real install.
   */
  moduleResolution: 100,
  /** ModuleDetectionKind.Force: every cell is a module even without imports, so top-level await always
   * works and two cells on one page never share (and clash over) global declarations. */
  moduleDetection: 3,
  /**
   * Student code runs in a dedicated Worker: ES2022 plus the worker globals, no DOM. lib.*.d.ts names
   * are the files Monaco's worker holds; they must be spelled out as file names for its host.
   */
  lib: ['lib.es2022.d.ts', 'lib.webworker.d.ts', 'lib.webworker.iterable.d.ts', 'lib.webworker.asynciterable.d.ts'],
  /** Only typings reached by imports; no automatic @types inclusion (there is no directory listing). */
  types: [] as string[],
  /** Do not look for @typescript/lib-* replacement packages: there are none to find. */
  libReplacement: false,
  /** Report nothing inside the bundled .d.ts files; tfjs mentions DOM types a worker does not have. */
  skipLibCheck: true,
  isolatedModules: true,
  esModuleInterop: true,
  /** Keep package.json files handed to the worker for module resolution out of the program itself. */
  allowNonTsExtensions: false,
  noEmit: true,
};

/** Where a cell's model lives; the typings bundle's files sit next to it under file:///node_modules/. */
export function cellModelPath(cellId: string): string {
  return `file:///cells/${encodeURIComponent(cellId)}/main.ts`;
}
