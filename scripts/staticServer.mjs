import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import path from 'node:path';
import sirv from 'sirv';

/**
 * Serves the static export the way a CDN would: precompressed .br/.gz files when the browser accepts
 * them, ETags, long-lived caching for content-hashed assets and revalidation for everything else.
 * `base`: serve the site under this path (e.g. '/course', for a build made with BASE_PATH=/course).
 *
 * @param {{ dir?: string, port?: number, host?: string, base?: string }} [options]
 * @returns {Promise<{ url: string, server: import('node:http').Server, close: () => Promise<void> }>}
 */
export async function startStaticServer({ dir = 'out', port = 3000, host = '127.0.0.1', base = '' } = {}) {
  const root = path.resolve(dir);
  if (!existsSync(path.join(root, 'index.html'))) {
    throw new Error(`No built site in ${root}. Run "npm run build" first.`);
  }
  const handler = sirv(root, {
    dev: false,
    etag: true,
    gzip: true,
    brotli: true,
    extensions: ['html'],
    setHeaders(res, pathname) {
      // Next's chunks and the editor's files carry a content hash in their names (the editor's
      // manifest.json, which lists those names, does not and must be revalidated).
      const immutable =
        pathname.startsWith('/_next/static/') || pathname.startsWith('/_gen/lessons/') || (pathname.startsWith('/_gen/editor/') && !pathname.endsWith('/manifest.json'));
      res.setHeader('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      if (pathname.endsWith('.wasm')) res.setHeader('Content-Type', 'application/wasm');
    },
    onNoMatch(req, res) {
      res.statusCode = 404;
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(`<!doctype html><title>Not found</title><p>Not found. <a href="${base}/">All lessons</a></p>`);
    },
  });
  const server = createServer((req, res) => {
    if (!base) return handler(req, res);
    const url = req.url ?? '/';
    if (url !== base && !url.startsWith(base + '/') && !url.startsWith(base + '?')) {
      res.statusCode = 404;
      res.end(`Not found: this server serves the course under ${base}/`);
      return;
    }
    req.url = url.slice(base.length) || '/';
    handler(req, res);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(undefined));
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${actualPort}`,
    // Exposed so the benchmark can watch what is really sent (bench/lib/servers.ts).
    server,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
