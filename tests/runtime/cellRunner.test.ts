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
