import type { Frame } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { blockedByCsp, launchBrowser, watchForeignRequests, type LaunchedBrowser } from '../../scripts/browser/launch';
import { openCell, output, run, setCode, startRun, waitForEnd, type CellPage } from './cells';

const baseUrl = inject('baseUrl');
let launched: LaunchedBrowser;
let cp: CellPage;
let foreign: string[];
const dialogs: string[] = [];
let pagesBefore = 0;

beforeAll(async () => {
  launched = await launchBrowser();
  foreign = watchForeignRequests(launched.context, baseUrl);
  cp = await openCell(launched, baseUrl);
  pagesBefore = launched.context.pages().length;
  cp.page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await cp.page.evaluate(() => {
    localStorage.setItem('host-secret', 'kept');
    document.cookie = 'session=host-cookie; path=/';
  });
});
afterAll(async () => {
  await launched?.close();
});

const ATTEMPTS = `const attempt = async (name: string, action: () => unknown) => {
  try {
    const result = await action();
    console.log(name, 'DID NOT FAIL', String(result));
  } catch (error) {
    console.log(name, 'blocked:', error instanceof Error ? error.message : String(error));
  }
};
const g = globalThis as any;
// @ts-expect-error: cells have no DOM, and the editor says so too
await attempt('read cookies', () => document.cookie);
await attempt('change the page', () => { g.parent.document.body.innerHTML = 'owned'; });
await attempt('navigate the top page', () => { g.top.location = 'https://example.com/'; });
await attempt('localStorage', () => g.localStorage.setItem('x', '1'));
await attempt('indexedDB', () => new Promise((resolve, reject) => { const r = indexedDB.open('x'); r.onsuccess = resolve; r.onerror = () => reject(r.error); }));
await attempt('alert', () => g.alert('hi'));
await attempt('pop-up', () => g.open('https://example.com/'));
await attempt('fetch', () => fetch('https://example.com/'));
await attempt('XMLHttpRequest', () => new g.XMLHttpRequest());
await attempt('WebSocket', () => new g.WebSocket('wss://example.com/'));
const evil = 'https://example.com/evil.js';
await attempt('script import', () => import(evil));
await attempt('font load', () => new FontFace('x', 'url(https://example.com/font.woff2)').load());
await attempt('importScripts', () => g.importScripts('https://example.com/evil.js'));
await attempt('nested worker', () => new Worker('data:text/javascript,1'));
g.postMessage({ type: 'console/entries', v: 1, runId: 'guess', entries: [{ kind: 'log', level: 'log', args: [{ k: 'string', v: 'FORGED BY THE CELL' }] }], omitted: 0 });
console.log('<img src=x onerror=alert(1)>');
`;

const BLOCKED = [
  'read cookies',
  'change the page',
  'navigate the top page',
  'localStorage',
  'indexedDB',
  'alert',
  'pop-up',
  'fetch',
  'XMLHttpRequest',
  'WebSocket',
  'script import',
  'font load',
  'importScripts',
  'nested worker',
];

describe('the sandbox is hostile territory', () => {
  it('blocks every escape a cell attempts and tells the student why', async () => {
    await setCode(cp, ATTEMPTS);
    expect(await run(cp)).toBe('finished');
    const text = await output(cp.cell);
    expect(text).not.toContain('DID NOT FAIL');
    for (const name of BLOCKED) expect(text).toMatch(new RegExp(`^${name} blocked: \\S`, 'm'));
    expect(text).toMatch(/^localStorage blocked: localStorage is not available in a cell\. Cells cannot store anything/m);
    expect(text).toMatch(/^fetch blocked: fetch is not available in a cell\. Cells cannot reach the network/m);
    expect(text).toMatch(/^read cookies blocked: document is not defined/m);
    expect(text).toMatch(/^nested worker blocked: Worker is not available in a cell/m);

    // Nothing reached the page, its storage, its cookies, or the network.
    expect(cp.page.url()).toBe(baseUrl + '/transfer-learning/transfer-learning/');
    expect(await cp.page.evaluate(() => [localStorage.getItem('host-secret'), localStorage.getItem('x'), document.cookie])).toEqual(['kept', null, 'session=host-cookie']);
    expect(await cp.page.locator('body').innerText()).not.toBe('owned');
    expect(dialogs).toEqual([]);
    expect(launched.context.pages()).toHaveLength(pagesBefore);
    expect(foreign).toEqual([]);
    // The two attempts that got past the friendly stubs were stopped by the sandbox's CSP itself.
    await expect.poll(() => [...blockedByCsp(foreign)].sort()).toEqual(['https://example.com/evil.js', 'https://example.com/font.woff2']);
  });

  it('shows HTML from a cell as text, never as markup', async () => {
    const log = cp.cell.getByRole('log');
    expect(await log.innerText()).toContain('<img src=x onerror=alert(1)>');
    expect(await log.locator('img').count()).toBe(0);
    expect(dialogs).toEqual([]);
  });

  it('drops forged messages: from the cell, from the page itself, and from the frame with a guessed run id or a bad shape', async () => {
    expect(await output(cp.cell)).not.toContain('FORGED BY THE CELL');

    await setCode(cp, "console.log('waiting');\nawait new Promise((resolve) => setTimeout(resolve, 1500));\nconsole.log('done waiting');");
    await startRun(cp);
    await cp.cell.getByRole('log').getByText('waiting').first().waitFor();
    const forged = (text: string, runId = 'guessed-run-id') => ({
      type: 'console/entries',
      v: 1,
      runId,
      omitted: 0,
      entries: [{ kind: 'log', level: 'log', args: [{ k: 'string', v: text }] }],
    });
    await cp.page.evaluate((message) => window.postMessage(message, '*'), forged('FORGED BY THE PAGE'));
    const frame = cp.page.frames().find((f: Frame) => f.url() === 'about:srcdoc');
    expect(frame).toBeDefined();
    await frame!.evaluate((message) => parent.postMessage(message, '*'), forged('FORGED WITH A GUESSED ID'));
    await frame!.evaluate(() => parent.postMessage({ type: 'run/done', v: 1, runId: 42, ok: 'yes' }, '*'));
    await frame!.evaluate(() => parent.postMessage({ type: 'console/entries', v: 99, runId: 'x', entries: [], omitted: 0 }, '*'));
    expect(await waitForEnd(cp.cell)).toBe('finished');
    const text = await output(cp.cell);
    expect(text).toContain('done waiting');
    expect(text).not.toContain('FORGED');
  });
});
