import type { CDPSession, Page } from 'playwright-core';
import type { LaunchedBrowser } from '../../scripts/browser/launch';

/**
 * A page driven through a Chrome DevTools Protocol session of its own. Playwright marks a whole page
 * as crashed as soon as one of its out-of-process iframes crashes (the sandbox frame here) and refuses
 * to touch it afterwards, although the page itself is alive. Tests that crash the sandbox open this
 * before the crash and read and drive the page through it.
 */
export class RawPage {
  private constructor(private readonly session: CDPSession) {}

  static async open(launched: LaunchedBrowser, page: Page): Promise<RawPage> {
    return new RawPage(await launched.context.newCDPSession(page));
  }

  /** Evaluates an expression in the page (promises are awaited) and returns its JSON value. */
  async evaluate<T>(expression: string): Promise<T> {
    const { result, exceptionDetails } = await this.session.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true });
    if (exceptionDetails) throw new Error(`page threw: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
    return result.value as T;
  }

  /** Waits until `condition` (an expression) is truthy in the page, checking every 50 ms. */
  async waitFor(condition: string, timeoutMs: number): Promise<void> {
    const met = await this.evaluate<boolean>(`new Promise((resolve) => {
      const deadline = performance.now() + ${timeoutMs};
      const check = () => {
        let ok = false;
        try { ok = Boolean(${condition}); } catch {}
        if (ok) resolve(true);
        else if (performance.now() > deadline) resolve(false);
        else setTimeout(check, 50);
      };
      check();
    })`);
    if (!met) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${condition}`);
  }

  /** Round trip to the page's main thread. */
  async roundTripMs(): Promise<number> {
    const started = Date.now();
    await this.evaluate('document.title');
    return Date.now() - started;
  }

  /** Replaces the text of an editor as a student would: click into it, select all, type over it. */
  async replaceEditorText(editorSelector: string, text: string): Promise<void> {
    const { x, y } = await this.evaluate<{ x: number; y: number }>(`(() => {
      const editor = document.querySelector(${JSON.stringify(editorSelector)});
      editor.scrollIntoView({ block: 'center' });
      const box = editor.getBoundingClientRect();
      return { x: box.left + 80, y: box.top + 12 };
    })()`);
    for (const type of ['mousePressed', 'mouseReleased'] as const) {
      await this.session.send('Input.dispatchMouseEvent', { type, x, y, button: 'left', clickCount: 1 });
    }
    // Paste over everything, as Playwright's keyboard does (typed text would get auto-closed brackets).
    await this.evaluate(`navigator.clipboard.writeText(${JSON.stringify(text)})`);
    await this.pressControl('a', 'KeyA', 65);
    await this.pressControl('v', 'KeyV', 86);
  }

  private async pressControl(key: string, code: string, keyCode: number): Promise<void> {
    await this.session.send('Input.dispatchKeyEvent', { type: 'rawKeyDown', modifiers: 2, key, code, windowsVirtualKeyCode: keyCode });
    await this.session.send('Input.dispatchKeyEvent', { type: 'keyUp', modifiers: 2, key, code, windowsVirtualKeyCode: keyCode });
  }

  async detach(): Promise<void> {
    await this.session.detach().catch(() => {});
  }
}

/**
 * Kills the renderer process of the page's sandbox iframe, as a crash would: the iframe (an
 * out-of-process frame) is navigated to chrome://crash through its own DevTools target.
 */
export async function crashSandboxProcess(launched: LaunchedBrowser): Promise<void> {
  const browser = await launched.browser.newBrowserCDPSession();
  try {
    const { targetInfos } = await browser.send('Target.getTargets');
    const frames = targetInfos.filter((t) => t.type === 'iframe' && t.url === 'about:srcdoc');
    if (frames.length !== 1) throw new Error(`expected one sandbox iframe target, found ${frames.length}`);
    const crashed = new Promise<void>((resolve) => browser.on('Target.targetCrashed', () => resolve()));
    await browser.send('Target.setDiscoverTargets', { discover: true });
    const { sessionId } = await browser.send('Target.attachToTarget', { targetId: frames[0]!.targetId, flatten: false });
    await browser.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: 1, method: 'Page.navigate', params: { url: 'chrome://crash' } }) });
    await crashed;
  } finally {
    await browser.detach().catch(() => {});
  }
}
