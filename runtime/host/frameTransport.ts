import type { HostToSandbox, SandboxToHost } from '../protocol';
import { parseSandboxMessage } from './parseSandboxMessage';
import { frameDocument, scriptNonce } from './frameDocument';

export type TransportListener = (message: SandboxToHost) => void;

/**
 * The page's side of the wire to one sandbox iframe. It creates the iframe (`sandbox="allow-scripts"`
 * and nothing else), accepts messages only from that iframe's window, drops anything that does not
 * parse as the protocol, and lets callers subscribe. `destroy()` removes the iframe, which ends every
 * worker inside it at once.
 */
export class FrameTransport {
  private readonly iframe: HTMLIFrameElement;
  private destroyed = false;
  private readonly listeners = new Set<TransportListener>();
  private readonly onWindowMessage = (event: MessageEvent) => {
    if (event.source !== this.iframe.contentWindow || event.source === null) return;
    const message = parseSandboxMessage(event.data);
    if (!message) return;
    for (const listener of this.listeners) listener(message);
  };
  private readonly loaded: Promise<void>;

  /**
   * Starts the frame, running `frameScript`, at the end of `container`: by default the page's <body>,
   * even while the page is still parsing (the boot script starts the sandbox from the top of <body>).
   * The frame then lands among the page's nodes, where React skips it: among the children of <body>,
   * hydration passes over elements it did not render.
   */
  constructor(frameScript: string, container?: HTMLElement) {
    this.iframe = document.createElement('iframe');
    this.iframe.setAttribute('sandbox', 'allow-scripts');
    this.iframe.setAttribute('aria-hidden', 'true');
    this.iframe.setAttribute('tabindex', '-1');
    this.iframe.title = 'Code sandbox';
    this.iframe.dataset.sandbox = 'cells';
    this.iframe.style.cssText = 'position:absolute;width:0;height:0;border:0;visibility:hidden';
    this.loaded = new Promise((resolve) => this.iframe.addEventListener('load', () => resolve(), { once: true }));
    window.addEventListener('message', this.onWindowMessage);
    this.iframe.srcdoc = frameDocument(frameScript, scriptNonce());
    const parent = container ?? document.body;
    if (parent) parent.appendChild(this.iframe);
    else document.addEventListener('DOMContentLoaded', () => this.destroyed || document.body.appendChild(this.iframe), { once: true });
  }

  /** Resolves once the frame document (and its script) has loaded. */
  whenLoaded(): Promise<void> {
    return this.loaded;
  }

  send(message: HostToSandbox, transfer: Transferable[] = []): void {
    // An opaque-origin frame can only be addressed with targetOrigin '*'; the data carries no secrets.
    this.iframe.contentWindow?.postMessage(message, '*', transfer);
  }

  subscribe(listener: TransportListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  destroy(): void {
    this.destroyed = true;
    window.removeEventListener('message', this.onWindowMessage);
    this.listeners.clear();
    this.iframe.remove();
  }
}
