/**
 * The sandbox frame's document, given to the iframe as `srcdoc`, with the frame's script inline (the
 * page fetched it; the frame fetches nothing). Its Content-Security-Policy is what keeps student code
 * off the network: workers created from blobs inside the frame inherit it, so fetch, XHR, WebSocket,
 * EventSource and scripts from any host are all refused. The only scripts that run are the inline one
 * (by its nonce) and blob: URLs made inside the sandbox from the scripts the page handed over.
 */
export function frameDocument(frameScript: string, nonce: string): string {
  if (/<\/script/i.test(frameScript)) throw new Error('the sandbox frame script contains "</script" and cannot be inlined');
  const csp = [
    "default-src 'none'",
    // tf.min.js evaluates code with Function() while it loads (without 'unsafe-eval' Chromium refuses
    // it and importScripts reports a NetworkError). Eval adds no reach: the realm has no network.
    `script-src 'nonce-${nonce}' blob: 'unsafe-eval' 'wasm-unsafe-eval'`,
    'worker-src blob:',
    'connect-src blob:',
    "img-src 'none'",
    "style-src 'none'",
    "font-src 'none'",
    "media-src 'none'",
    "object-src 'none'",
    "frame-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return (
    '<!doctype html><html><head><meta charset="utf-8">' +
    `<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}">` +
    `</head><body><script nonce="${escapeAttribute(nonce)}">${frameScript}</script></body></html>`
  );
}

/** A fresh nonce for one frame document (random, so nothing else can guess it). */
export function scriptNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
