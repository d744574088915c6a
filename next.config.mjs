import { basePathFrom } from './lib/basePath.mjs';

const basePath = basePathFrom(process.env.BASE_PATH);

/** @type {import('next').NextConfig} */
const nextConfig = {
  // A static export: any static host can serve the course, at its root or under BASE_PATH.
  output: 'export',
  // Where the export goes: out/ unless EXPORT_DIR names another folder (the test build under a base path).
  ...(process.env.EXPORT_DIR && process.env.EXPORT_DIR !== 'out' ? { distDir: process.env.EXPORT_DIR } : {}),
  basePath,
  env: { NEXT_PUBLIC_BASE_PATH: basePath },
  trailingSlash: true,
  reactStrictMode: true,
  poweredByHeader: false,
  images: { unoptimized: true },
  // mdx-bundler drives native esbuild and Shiki highlights cells at build time; keep them out of the server bundle.
  serverExternalPackages: ['mdx-bundler', 'esbuild', 'shiki'],
};

export default nextConfig;
