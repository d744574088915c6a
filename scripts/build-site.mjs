/**
 * `npm run build:site`: the static export (`next build`), then its service worker, then the
 * precompressed .br/.gz twins of its files, into EXPORT_DIR (default out/). With BASE_PATH=/course the
 * site is built to be served under /course/. Lesson assets and the runtime's files must be built first
 * (`npm run build` does both).
 */
import { spawnSync } from 'node:child_process';

const dir = process.env.EXPORT_DIR ?? 'out';
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', EXPORT_DIR: dir };
for (const [command, ...args] of [
  ['npx', 'next', 'build'],
  ['npx', 'tsx', 'scripts/build-service-worker.ts', dir],
  ['node', 'scripts/precompress.mjs', dir],
]) {
  const result = spawnSync(command, args, { stdio: 'inherit', env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
