/**
 * `npm test`: everything, in the order that fails fastest. Type check, unit tests, a production build
 * of the site, then the browser tests against that build in headless Chromium, and a small suite in
 * headless Firefox ESR (tests/e2e/firefox.test.ts).
 * Set SKIP_BUILD=1 to reuse an existing build (out/) while iterating on browser tests.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { BASE_PATH_BUILD } from '../tests/e2e/basePathBuild.mjs';

const CHROMIUM_CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
const FIREFOX_CANDIDATES = [process.env.FIREFOX_PATH, '/usr/bin/firefox-esr', '/usr/bin/firefox'];

function step(title, command, args, env = {}) {
  const started = Date.now();
  console.log(`\n▶ ${title}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`\n✖ ${title} failed after ${seconds} s`);
    process.exit(result.status ?? 1);
  }
  console.log(`✔ ${title} (${seconds} s)`);
}

/**
 * A browser the browser tests drive: found at one of `candidates`, or installed from Debian's
 * `aptPackage` when this runs as root on Debian, or else a message saying what to install.
 */
let aptUpdated = false;
function ensureBrowser(name, candidates, aptPackage, envVar) {
  if (candidates.some((c) => c && existsSync(c))) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && existsSync('/usr/bin/apt-get')) {
    console.log(`\n${name} is missing; installing Debian's "${aptPackage}" package for the browser tests.`);
    if (!aptUpdated) step('apt-get update', 'apt-get', ['update', '-qq']);
    aptUpdated = true;
    step(`apt-get install ${aptPackage}`, 'apt-get', ['install', '-y', '-qq', '--no-install-recommends', aptPackage], { DEBIAN_FRONTEND: 'noninteractive' });
    return;
  }
  console.error(
    `\nThe browser tests need ${name} and none was found.\n` +
      `  Debian/Ubuntu: sudo apt-get install ${aptPackage}\n` +
      `  Elsewhere: install ${name} and set ${envVar}=/path/to/it\n`,
  );
  process.exit(1);
}

step('Type check', 'npx', ['tsc', '--noEmit']);
step('Unit tests', 'npx', ['vitest', 'run']);
ensureBrowser('Chromium', CHROMIUM_CANDIDATES, 'chromium', 'CHROMIUM_PATH');
ensureBrowser('Firefox', FIREFOX_CANDIDATES, 'firefox-esr', 'FIREFOX_PATH');
if (process.env.SKIP_BUILD !== '1' || !existsSync('out/index.html')) step('Production build', 'npm', ['run', 'build']);
// The same site built for a sub-path (a project site at https://host/course/), for the test that serves it there.
if (process.env.SKIP_BUILD !== '1' || !existsSync(`${BASE_PATH_BUILD.dir}/index.html`)) {
  step(`Production build under ${BASE_PATH_BUILD.base}/`, 'npm', ['run', 'build:site'], { BASE_PATH: BASE_PATH_BUILD.base, EXPORT_DIR: BASE_PATH_BUILD.dir });
}
step('Browser tests', 'npx', ['vitest', 'run', '--config', 'vitest.e2e.config.ts']);
console.log('\nAll tests passed.');
