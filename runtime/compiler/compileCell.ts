import type { BuildFailure, BuildOptions, BuildResult, Message, Plugin } from 'esbuild-wasm';
import { CELL_GLOBAL } from '../protocol';
import { byteColumnToUtf16 } from './positions';

/** Modules a cell may import. The sandbox provides each one under `globalThis.__courseModules__`. */
export const SANDBOX_MODULES = ['@tensorflow/tfjs', 'lesson'] as const;

/** Parameter of that function: call it with the cell's module namespace (its exports). */
const EXPORT_PARAM = '__courseExport__';
/** The compiled script's first line, before the bundle; the source map is shifted by this one line. */
const PRELUDE = `globalThis.${CELL_GLOBAL} = async function (${EXPORT_PARAM}) {"use strict";\n`;
const POSTLUDE = '\n};\n';

export const CELL_FILE = 'main.ts';

/** A problem in main.ts. Lines and columns are 1-based; columns count UTF-16 code units (editor columns). */
export interface Diagnostic {
  severity: 'error' | 'warning';
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** A compiled cell: what the sandbox runs and how its errors map back to the source. */
export interface CompiledCode {
  /** A classic script defining `globalThis.__courseCell__`, an async function running the cell. */
  code: string;
  /** Source map (JSON) from `code` back to main.ts. */
  map: string;
}

export type CompileResult =
  | {
      ok: true;
      /** A classic script defining `globalThis.__courseCell__`, an async function running the cell. */
      code: string;
      /** Source map (JSON) from `code` back to main.ts. */
      map: string;
      diagnostics: Diagnostic[];
    }
  | { ok: false; diagnostics: Diagnostic[] };

/** The part of esbuild's API the compiler needs; the browser passes esbuild-wasm, tests may pass either. */
export interface EsbuildApi {
  build(options: BuildOptions & { write: false }): Promise<BuildResult<BuildOptions & { write: false }>>;
}

const ENTRY = '<cell-entry>';
const NS_CELL = 'cell';
const NS_SANDBOX = 'sandbox-module';

function cellPlugin(source: string, file: string): Plugin {
  return {
    name: 'cell',
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'entry-point') return { path: ENTRY, namespace: NS_CELL };
        if (args.importer === ENTRY && args.path === file) return { path: file, namespace: NS_CELL };
        if ((SANDBOX_MODULES as readonly string[]).includes(args.path)) return { path: args.path, namespace: NS_SANDBOX };
        return {
          errors: [
            {
              text: `Cannot import "${args.path}": cells can only import ${SANDBOX_MODULES.map((m) => `"${m}"`).join(' and ')}, which the sandbox provides.`,
            },
          ],
        };
      });
      build.onLoad({ filter: /.*/, namespace: NS_CELL }, (args) =>
        args.path === ENTRY
          ? { contents: `import * as cell from ${JSON.stringify(file)};\n${EXPORT_PARAM}(cell);\n`, loader: 'js' }
          : // The trailing `export {}` makes main.ts an ES module even without imports, so esbuild
            // never wraps it as CommonJS (which would rename its frames and forbid top-level await).
            { contents: source + '\nexport {};\n', loader: 'ts' },
      );
      build.onLoad({ filter: /.*/, namespace: NS_SANDBOX }, (args) => ({
        contents: `module.exports = globalThis.__courseModules__[${JSON.stringify(args.path)}];`,
        loader: 'js',
      }));
    },
  };
}

/**
 * Compiles a cell's TypeScript for the sandbox: bundles main.ts with the sandbox's modules as externals
 * provided at run time, keeps top-level await, and wraps the result in an async function so it can run
 * as a classic script inside a Worker. esbuild does not type-check; the editor's TypeScript worker does.
 */
export async function compileCell(esbuild: EsbuildApi, source: string, file = CELL_FILE): Promise<CompileResult> {
  let result: BuildResult<BuildOptions & { write: false }>;
  try {
    result = await esbuild.build({
      entryPoints: [ENTRY],
      bundle: true,
      write: false,
      format: 'esm',
      target: 'es2022',
      platform: 'browser',
      outfile: 'cell.js',
      sourcemap: 'external',
      sourcesContent: false,
      charset: 'utf8',
      logLevel: 'silent',
      plugins: [cellPlugin(source, file)],
    });
  } catch (error) {
    if (isBuildFailure(error)) {
      return { ok: false, diagnostics: [...toDiagnostics(error.errors, 'error', source, file), ...toDiagnostics(error.warnings, 'warning', source, file)] };
    }
    throw error;
  }
  const js = result.outputFiles.find((f) => f.path.endsWith('.js'));
  const map = result.outputFiles.find((f) => f.path.endsWith('.map'));
  if (!js || !map) throw new Error('esbuild produced no output for the cell');
  return {
    ok: true,
    code: PRELUDE + stripSourceMapComment(js.text) + POSTLUDE,
    map: shiftMapByOneLine(map.text, file),
    diagnostics: toDiagnostics(result.warnings, 'warning', source, file),
  };
}

function isBuildFailure(error: unknown): error is BuildFailure {
  return typeof error === 'object' && error !== null && Array.isArray((error as BuildFailure).errors);
}

function toDiagnostics(messages: readonly Message[], severity: Diagnostic['severity'], source: string, file: string): Diagnostic[] {
  const lines = source.split(/\r\n|\r|\n/);
  return messages.map((message) => {
    const location = message.location;
    if (!location || !location.file.endsWith(file)) {
      return { severity, message: message.text, line: 1, column: 1, endLine: 1, endColumn: 1 };
    }
    const lineText = lines[location.line - 1] ?? location.lineText;
    const start = byteColumnToUtf16(lineText, location.column);
    const end = byteColumnToUtf16(lineText, location.column + Math.max(location.length, 1));
    return { severity, message: message.text, line: location.line, column: start + 1, endLine: location.line, endColumn: end + 1 };
  });
}

function stripSourceMapComment(js: string): string {
  return js.replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n');
}

/** The prelude adds one generated line before the bundle; an empty first group in `mappings` says so. */
function shiftMapByOneLine(mapJson: string, file: string): string {
  const map = JSON.parse(mapJson) as { mappings: string; sources: string[] };
  map.mappings = ';' + map.mappings;
  map.sources = map.sources.map((s) => (s.endsWith(file) ? file : s));
  return JSON.stringify(map);
}
