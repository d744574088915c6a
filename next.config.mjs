/** @type {import('next').NextConfig} */
const nextConfig = {
  // A static export: any static host can serve the course; nothing runs on a server.
  output: 'export',
  trailingSlash: true,
  reactStrictMode: true,
  poweredByHeader: false,
  images: { unoptimized: true },
  // mdx-bundler drives native esbuild and Shiki highlights cells at build time; keep them out of the server bundle.
  serverExternalPackages: ['mdx-bundler', 'esbuild', 'shiki'],
};

export default nextConfig;
