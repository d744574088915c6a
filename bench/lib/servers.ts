import http from 'node:http';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import sirv from 'sirv';
import { startStaticServer } from '../../scripts/staticServer.mjs';

/** One response the site server sent, as the server saw it (body bytes, not headers). */
export interface ServedResponse {
  /** Date.now() when the response finished. */
  at: number;
  path: string;
  status: number;
  /** 'br', 'gzip' or null (identity). */
  encoding: string | null;
  bytes: number;
}

export interface SiteServer {
  url: string;
  /** Every response so far, in order; slice it by `responses.length` before and after a visit. */
  responses: ServedResponse[];
  close(): Promise<void>;
}

/**
 * The product's own server (scripts/staticServer.mjs: precompressed files, ETags, cache headers) on a
 * free port, with a read-only tap on its responses. The tap sees what the browser really fetched,
 * from every frame and worker, including revalidations (304) and what the sandbox's opaque-origin
 * frame re-downloads, which the browser's own resource timing hides.
 */
export async function startSiteServer(dir: string): Promise<SiteServer> {
  const site = await startStaticServer({ dir, port: 0 });
  const responses: ServedResponse[] = [];
  site.server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    res.on('finish', () => {
      const length = Number(res.getHeader('content-length') ?? 0);
      const encoding = res.getHeader('content-encoding');
      responses.push({
        at: Date.now(),
        path: req.url ?? '',
        status: res.statusCode,
        encoding: typeof encoding === 'string' ? encoding : null,
        bytes: res.statusCode === 304 || req.method === 'HEAD' ? 0 : length,
      });
    });
  });
  return { url: site.url, responses, close: () => site.close() };
}

/**
 * The reference pages (bench/build/pages: a bare tfjs page, the compile page) on their own port,
 * with the site's files (tf.min.js, the model, the data, esbuild.wasm) from the same origin, served
 * by sirv with the same precompression settings as the site.
 */
export async function startReferenceServer(pagesDir: string, siteDir: string, pyodideDir?: string): Promise<{ url: string; close(): Promise<void> }> {
  const options = { dev: false, etag: true, gzip: true, brotli: true, extensions: ['html'] };
  const setHeaders = (res: http.ServerResponse, pathname: string) => {
    res.setHeader('Cache-Control', 'no-cache');
    if (pathname.endsWith('.wasm')) res.setHeader('Content-Type', 'application/wasm');
  };
  const pages = sirv(pagesDir, { ...options, setHeaders });
  const site = sirv(siteDir, { ...options, setHeaders });
  const pyodide = pyodideDir && existsSync(pyodideDir) ? sirv(pyodideDir, { ...options, setHeaders }) : undefined;
  const server = http.createServer((req, res) => {
    if (pyodide && req.url?.startsWith('/pyodide/')) {
      req.url = req.url.slice('/pyodide'.length);
      pyodide(req, res, () => {
        res.statusCode = 404;
        res.end('not found');
      });
      return;
    }
    pages(req, res, () =>
      site(req, res, () => {
        res.statusCode = 404;
        res.end('not found');
      }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** The file of the static export a URL path maps to (as sirv resolves it), or null. */
export function fileFor(siteDir: string, urlPath: string): string | null {
  const clean = decodeURIComponent(urlPath.split('?')[0] ?? '');
  const base = path.join(siteDir, clean);
  for (const candidate of [base, `${base}.html`, path.join(base, 'index.html')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/** What a response for this path weighs with each encoding, from the precompressed files on disk. */
export function encodedSizes(siteDir: string, urlPath: string): { raw: number; gzip: number; br: number } | null {
  const file = fileFor(siteDir, urlPath);
  if (!file) return null;
  const raw = statSync(file).size;
  const size = (suffix: string) => (existsSync(file + suffix) ? statSync(file + suffix).size : raw);
  return { raw, gzip: size('.gz'), br: size('.br') };
}
