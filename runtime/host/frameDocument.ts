/**
 * The sandbox frame's document, given to the iframe as `srcdoc`. Its Content-Security-Policy is what
 * keeps student code off the network: workers created from blobs inside the frame inherit it, so
 * fetch, XHR, WebSocket, EventSource and scripts from other hosts are all refused. Only the site's own
 * scripts (TensorFlow.js, the sandbox runtime) and blob: URLs made inside the sandbox may load.
 */
export function frameDocument(siteOrigin: string, frameScriptUrl: string): string {
  const csp = [
    "default-src 'none'",
    // tf.min.js evaluates code with Function() while it loads (without 'unsafe-eval' Chromium refuses
    // it and importScripts reports a NetworkError). Eval adds no reach: the realm has no network.
    `script-src ${siteOrigin} blob: 'unsafe-eval' 'wasm-unsafe-eval'`,
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
    `</head><body><script src="${escapeAttribute(frameScriptUrl)}"></script></body></html>`
  );
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
