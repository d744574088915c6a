import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseBootConfig } from '@/runtime/boot/bootConfig';
import { PAGE_SANDBOX_GLOBAL, pageSandbox, publishPageSandbox } from '@/runtime/boot/pageSandbox';
import type { SandboxHost } from '@/runtime/host/SandboxHost';
import { unavailableSandbox } from '@/runtime/host/unavailableSandbox';
import type { RunEvent } from '@/runtime/host/SandboxHost';
import { PROTOCOL_VERSION } from '@/runtime/protocol';

const config = {
  base: '/course',
  lesson: {
    models: { net: { url: '/course/_gen/lessons/l/models/net/model.json', bytes: 10 } },
    datasets: { shapes: { kind: 'images', url: '/course/_gen/lessons/l/data/shapes.bin', bytes: 20 } },
  },
};

describe('the boot script reads its configuration', () => {
  it('as the page wrote it', () => {
    expect(parseBootConfig(JSON.stringify(config))).toEqual(config);
  });

  it('and says what is wrong with a missing, broken or foreign one', () => {
    expect(parseBootConfig(null)).toEqual(new Error('the boot script has no data-config attribute'));
    expect(parseBootConfig('{"base":')).toEqual(new Error("the boot script's data-config is not JSON"));
    const wrongKind = { ...config, lesson: { ...config.lesson, datasets: { shapes: { ...config.lesson.datasets.shapes, kind: 'video' } } } };
    const problem = parseBootConfig(JSON.stringify(wrongKind));
    expect(problem).toBeInstanceOf(Error);
    expect((problem as Error).message).toMatch(/^the boot script's data-config is not a boot configuration \(lesson\.datasets\.shapes\.kind: /);
    expect((parseBootConfig(JSON.stringify({ lesson: config.lesson })) as Error).message).toMatch(/\(base: /);
  });
});

describe('the page adopts the sandbox the boot script started', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('finds it on the window, once published', () => {
    vi.stubGlobal('window', {});
    expect(pageSandbox()).toEqual({ problem: 'its start-up script did not load. Check your connection and reload the page.' });
    const host = { getStatus: () => ({ phase: 'idle' }) } as unknown as SandboxHost;
    publishPageSandbox({ host });
    expect(pageSandbox()).toEqual({ host });
    // Published once: student code of the page cannot swap it (it never runs in the page anyway).
    expect(() => publishPageSandbox({ problem: 'another' })).toThrow(TypeError);
  });

  it('passes on what the boot script found wrong', () => {
    vi.stubGlobal('window', {});
    publishPageSandbox({ problem: 'the page is broken (details). Reload the page.' });
    expect(pageSandbox()).toEqual({ problem: 'the page is broken (details). Reload the page.' });
  });

  it('refuses a sandbox from another version of the course (a boot script and page of two deployments)', () => {
    vi.stubGlobal('window', { [PAGE_SANDBOX_GLOBAL]: { v: PROTOCOL_VERSION + 1, host: {} } });
    expect(pageSandbox()).toEqual({ problem: 'the page and its sandbox come from two versions of the course. Reload the page.' });
  });
});

describe('a page without a sandbox', () => {
  it('says why in its status, and ends every run at once with the reason', async () => {
    const sandbox = unavailableSandbox('its start-up script did not load.');
    expect(sandbox.getStatus()).toEqual({ phase: 'failed', message: 'its start-up script did not load.' });
    await expect(sandbox.whenReady()).rejects.toThrow('its start-up script did not load.');
    const events: RunEvent[] = [];
    const handle = sandbox.run('code', { timeBudgetMs: 1000, onEvent: (e) => events.push(e) });
    await Promise.resolve();
    expect(events).toEqual([{ type: 'host/ended', runId: handle.runId, reason: 'crashed', detail: 'The sandbox could not start: its start-up script did not load.' }]);
  });
});
