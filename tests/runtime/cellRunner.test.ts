import { describe, expect, it, vi } from 'vitest';
import type { CompileResult } from '@/runtime/compiler/compileCell';
import { CellRunner } from '@/runtime/host/cellRunner';
import { memorySavedModels } from '@/runtime/host/savedModels';
import type { RunHandle, SandboxHost } from '@/runtime/host/SandboxHost';

const MAP = '{"version":3,"sources":[],"names":[],"mappings":""}';
const compiled: CompileResult = { ok: true, code: 'console.log(1)', map: MAP, diagnostics: [] };
const syntaxError: CompileResult = {
  ok: false,
  diagnostics: [{ severity: 'error', message: 'Expected ";" but found "b"', line: 1, column: 3, endLine: 1, endColumn: 4 }],
};
const typeError = { line: 1, column: 7, message: "Type 'string' is not assignable to type 'number'." };

/** A runner whose compiler, sandbox and type checker write what they were asked, in order, to `log`. */
function runnerLoggingTo(log: string[], result: CompileResult) {
  const sandbox = {
    run(): RunHandle {
      log.push('sandbox.run');
      return { runId: 'run-1', stop: () => {} };
    },
  } as unknown as SandboxHost;
  const compile = async () => {
    log.push('compile');
    return result;
  };
  const runner = new CellRunner({ compile, sandbox, timeBudgetMs: 1000, savedModels: memorySavedModels() });
  const typeErrors = async () => {
    log.push('type check');
    return [typeError];
  };
  return { runner, typeErrors };
}

const notices = (runner: CellRunner) => runner.getState().head.flatMap((item) => (item.kind === 'notice' ? [item.text] : []));

describe('CellRunner and the type checker', () => {
  it('asks for type errors only once the run is in the sandbox, and shows them when they come', async () => {
    const log: string[] = [];
    const { runner, typeErrors } = runnerLoggingTo(log, compiled);
    await runner.run('let n: number = "one";', { typeErrors });
    await vi.waitUntil(() => notices(runner).length > 0);
    expect(log).toEqual(['compile', 'sandbox.run', 'type check']);
    expect(notices(runner)).toEqual([`main.ts has 1 type error; running anyway. main.ts:1:7: ${typeError.message}`]);
  });

  it('shows type errors above the syntax error when the code does not compile', async () => {
    const log: string[] = [];
    const { runner, typeErrors } = runnerLoggingTo(log, syntaxError);
    await runner.run('a b', { typeErrors });
    expect(log).toEqual(['compile', 'type check']);
    expect(runner.getState().status).toBe('failed');
    expect(notices(runner)).toEqual([`main.ts has 1 type error; running anyway. main.ts:1:7: ${typeError.message}`, 'main.ts:1:3: Expected ";" but found "b"']);
  });
});

describe('CellRunner with code the build compiled', () => {
  it('runs it without the compiler and maps its errors to main.ts with the build’s source map', async () => {
    const esbuild = await import('esbuild');
    const { compileCell } = await import('@/runtime/compiler/compileCell');
    const source = "const a = 1;\n\nthrow new Error('kaboom');\n";
    const built = await compileCell(esbuild, source);
    if (!built.ok) throw new Error('the test cell should compile');
    // Where the throw ends up in the compiled script, as a V8 stack frame of the blob it runs from.
    const lines = built.code.split('\n');
    const line = lines.findIndex((l) => l.includes('throw new Error'));
    const frame = `    at blob:https://course.test/3f2a:${line + 1}:${lines[line]!.indexOf('throw') + 1}`;

    let onEvent: ((event: never) => void) | undefined;
    const sandbox = {
      run(_code: string, options: { onEvent(event: never): void }): RunHandle {
        onEvent = options.onEvent;
        return { runId: 'run-1', stop: () => {} };
      },
    } as unknown as SandboxHost;
    const compile = vi.fn(async (): Promise<CompileResult> => ({ ok: false, diagnostics: [] }));
    const runner = new CellRunner({ compile, sandbox, timeBudgetMs: 1000, savedModels: memorySavedModels() });
    await runner.run(source, { compiled: { code: built.code, map: built.map } });
    expect(compile).not.toHaveBeenCalled();
    onEvent!({ type: 'run/error', v: 1, runId: 'run-1', origin: 'top-level', error: { name: 'Error', message: 'kaboom', stack: `Error: kaboom\n${frame}`, isError: true } } as never);
    await vi.waitUntil(() => runner.getState().errorLocation !== undefined);
    expect(runner.getState().errorLocation).toEqual({ line: 3, column: 1 });
  });
});

describe('CellRunner telling the pane', () => {
  const FRAME_MS = 1000 / 60;
  const line = (text: string) => ({ type: 'console/entries', v: 1, runId: 'run-1', entries: [{ kind: 'log', level: 'log', args: [{ k: 'string', v: text }] }], omitted: 0 }) as never;
  const flushMicrotasks = async () => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };

  it('tells a change after a quiet frame, and a run\'s first output, at once; the changes within a frame of them together when the frame is over', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    try {
      let onEvent: ((event: never) => void) | undefined;
      const sandbox = {
        run(_code: string, options: { onEvent(event: never): void }): RunHandle {
          onEvent = options.onEvent;
          return { runId: 'run-1', stop: () => {} };
        },
      } as unknown as SandboxHost;
      const runner = new CellRunner({ compile: async () => compiled, sandbox, timeBudgetMs: 60_000, savedModels: memorySavedModels() });
      const told: number[] = [];
      runner.subscribe(() => told.push(runner.getState().tail.length + runner.getState().head.length));
      await runner.run('console.log(1)');
      await vi.advanceTimersByTimeAsync(1000);
      const before = told.length;
      expect(before).toBeGreaterThan(0);

      // The first line after a quiet moment: told in a microtask, with no timer or frame to wait for.
      onEvent!(line('first'));
      await flushMicrotasks();
      expect(told.length).toBe(before + 1);

      // Lines within the same frame: none is told until the frame is over, then all of them at once.
      onEvent!(line('second'));
      onEvent!(line('third'));
      await flushMicrotasks();
      expect(told.length).toBe(before + 1);
      await vi.advanceTimersByTimeAsync(FRAME_MS);
      expect(told.length).toBe(before + 2);
      const lines = runner.getState().head.length + runner.getState().tail.length;
      expect(told.at(-1)).toBe(lines);

      // A run's first output is told at once even right after another change (its start).
      await vi.advanceTimersByTimeAsync(1000);
      await runner.run('console.log(1)');
      onEvent!({ type: 'run/started', v: 1, runId: 'run-1', backend: 'wasm' } as never);
      await flushMicrotasks();
      const beforeLine = told.length;
      onEvent!(line('first of the second run'));
      await flushMicrotasks();
      expect(told.length).toBe(beforeLine + 1);
      expect(told.at(-1)).toBe(runner.getState().head.length + runner.getState().tail.length);
      onEvent!(line('second of the second run'));
      await flushMicrotasks();
      expect(told.length).toBe(beforeLine + 1);
      await vi.advanceTimersByTimeAsync(FRAME_MS);
      expect(told.length).toBe(beforeLine + 2);
    } finally {
      vi.useRealTimers();
    }
  });
});
