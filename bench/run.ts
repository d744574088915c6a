/**
 * `npm run bench`: how fast the lesson runs, in headless Chromium against the production build (out/),
 * with reference points measured in the same run. Prints every figure and a Markdown table with the
 * budgets of ../shared/DESIGN.md beside the measured values; writes bench/results/latest.json and
 * bench/results/latest.md. Benchmarks print figures; they never fail on time.
 *
 *   npm run bench -- [--runs 5] [--first-cell-runs 20] [--page /lesson/page/] [--quick]
 *                    [--build | --no-build] [--skip startup,cold,warm,ml,cells,compile,bare,pyodide,torch]
 *
 * It builds the site first when out/ is missing or older than the sources (--no-build measures out/
 * as it is, --build always rebuilds). --quick: 2 runs, small workloads, for trying changes (~4 min).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromiumVersion, openBrowser } from './lib/browser';
import { lessonAssetsOf, lessonCells } from './lib/cells';
import { describeMachine } from './lib/machine';
import { buildReferencePages, BENCH_DIR, PAGES_DIR, PYODIDE_DIR } from './lib/pages';
import { buildResults, renderMarkdown, type RawResults } from './lib/report';
import { startReferenceServer, startSiteServer } from './lib/servers';
import { coldNavigation } from './suites/coldNavigation';
import { heavyCells } from './suites/heavyCells';
import { startup } from './suites/startup';
import { bareReference, compileInNode, compileTimes, pyodideColdStart, torchHead } from './suites/reference';
import { ONE_LINER, warmRuns } from './suites/warmRuns';

const ROOT = path.resolve(BENCH_DIR, '..');
const SITE_DIR = path.join(ROOT, 'out');
/** The workloads of bench/cells/ml.ts (its CONFIG line is replaced with this, per backend and run size). */
type MlConfig = { backend: string; reps: number; capMs: number; examples: number; epochs: number; batchSize: number; extract: boolean; finetune: boolean; finetuneExamples: number; scratch: boolean; scratchExamples: number; inferenceReps: number };
type MlSize = Omit<MlConfig, 'backend' | 'extract'>;
/**
 * Sized so the whole benchmark fits in about ten minutes on two cores: the CPU backend trains a
 * convolution at some 10 examples/s, hence 128 examples for the fine-tuning epoch (the report
 * extrapolates to 1,000), and every timed loop stops adding samples after capMs.
 */
const ML_FULL: MlSize = { reps: 5, capMs: 15_000, examples: 1000, epochs: 10, batchSize: 32, finetune: true, finetuneExamples: 128, scratch: true, scratchExamples: 256, inferenceReps: 20 };
const ML_QUICK: MlSize = { ...ML_FULL, reps: 2, capMs: 5_000, finetuneExamples: 32, scratchExamples: 64, inferenceReps: 5 };
/**
 * WebGL here is SwiftShader, software emulation, about 100× slower than the CPU backends for this head
 * (one step ~0.4 s), and the sandbox never picks it without a real GPU: one epoch, one batch of
 * fine-tuning and of the small CNN, one timed sample give its figures. Quick runs leave it out.
 */
const WEBGL: Partial<MlConfig> = { reps: 1, epochs: 1, finetuneExamples: 32, scratchExamples: 32, inferenceReps: 5 };
const BACKENDS = ['cpu', 'wasm', 'webgl'];
const SOURCES = ['app', 'components', 'runtime', 'content', 'lib', 'public', 'scripts', 'models', 'next.config.mjs', 'package-lock.json'];

function parseArgs(argv: string[]) {
  const value = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const quick = argv.includes('--quick');
  return {
    runs: Number(value('--runs') ?? (quick ? 2 : 5)),
    firstCellRuns: Number(value('--first-cell-runs') ?? (quick ? 3 : 20)),
    page: value('--page'),
    build: argv.includes('--build') ? ('always' as const) : argv.includes('--no-build') ? ('never' as const) : ('when-stale' as const),
    quick,
    skip: new Set((value('--skip') ?? '').split(',').filter(Boolean)),
  };
}

function newestSource(): { file: string; mtime: number } | null {
  let newest: { file: string; mtime: number } | null = null;
  const visit = (p: string) => {
    let s;
    try {
      s = statSync(p);
    } catch {
      return;
    }
    if (s.isDirectory()) {
      for (const name of readdirSync(p)) if (name !== 'node_modules' && !name.startsWith('.')) visit(path.join(p, name));
    } else if (!newest || s.mtimeMs > newest.mtime) {
      newest = { file: path.relative(ROOT, p), mtime: s.mtimeMs };
    }
  };
  for (const source of SOURCES) visit(path.join(ROOT, source));
  return newest;
}

/** Builds when out/ is missing or stale (unless told otherwise); returns a note when it measures a stale build. */
function ensureBuild(mode: 'always' | 'never' | 'when-stale'): string | null {
  const marker = path.join(SITE_DIR, 'index.html');
  const missing = !existsSync(marker);
  const newest = missing ? null : newestSource();
  const staleBy = !missing && newest && newest.mtime > statSync(marker).mtimeMs + 1000 ? newest : null;
  const why = mode === 'always' ? '--build' : missing ? 'out/ is missing' : staleBy && mode === 'when-stale' ? `out/ is older than ${staleBy.file}` : null;
  if (why) {
    console.log(`▶ npm run build (${why})`);
    const result = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
    if (result.status !== 0) {
      console.error('The production build failed; nothing to measure.');
      process.exit(1);
    }
    return null;
  }
  if (staleBy) return `out/ is older than the sources (${staleBy.file} changed after the build) and --no-build was given: these figures describe the last build.`;
  return null;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const notes: string[] = [];
  const stale = ensureBuild(args.build);
  if (stale) {
    console.log(`⚠ ${stale}`);
    notes.push(stale);
  }
  const machine = describeMachine(path.join(SITE_DIR, 'index.html'));
  const log = (line: string) => console.log(line);
  console.log(`Benchmark: ${args.runs} measured runs after a warm-up; ${machine.cpuModel}, ${machine.cores} cores, load average ${machine.loadAverageStart.join(' ')}`);

  const cells = await lessonCells(ROOT);
  const pagePath = args.page ?? cells[0]?.href;
  if (!pagePath) throw new Error('no lesson page with code cells under content/');
  const pageCells = cells.filter((c) => c.href === pagePath);
  const { pyodide } = await buildReferencePages();
  const site = await startSiteServer(SITE_DIR);
  const reference = await startReferenceServer(PAGES_DIR, SITE_DIR, PYODIDE_DIR);
  const raw: RawResults = { args: { runs: args.runs, firstCellRuns: args.firstCellRuns, page: pagePath, quick: args.quick }, machine, notes };
  const mlSource = readFileSync(path.join(BENCH_DIR, 'cells', 'ml.ts'), 'utf8');
  const mlCell = (config: MlConfig) => mlSource.replace(/^const CONFIG = .*$/m, `const CONFIG = ${JSON.stringify(config)};`);
  const mlSize: MlSize = { ...(args.quick ? ML_QUICK : ML_FULL), reps: args.runs };
  raw.mlConfig = mlSize;

  try {
    const b = await openBrowser();
    machine.chromium = await chromiumVersion(b.page);
    await b.close();

    if (!args.skip.has('startup')) {
      const first = pageCells[0];
      if (!first) throw new Error(`no code cells on ${pagePath}`);
      console.log(`\n▶ Start-up: a fresh profile clicks Run Code on ${first.id} the moment the button is there; then a second visit once the service worker installed, and one offline`);
      raw.startup = { cellId: first.id, ...(await startup(site, pagePath, first.id, '', args.runs, log)) };
    }
    if (!args.skip.has('cold')) {
      console.log(`\n▶ Cold navigation to Run-ready (${pagePath}), fresh profile each time, then a second visit`);
      raw.cold = await coldNavigation(site, SITE_DIR, pagePath, args.runs, log);
    }
    if (!args.skip.has('warm')) {
      console.log(`\n▶ Warm runs on one page: the first cell ${args.firstCellRuns}× in a row, a one-line cell, the training/inference workloads per backend`);
      // The sandbox's own backend is known once it is ready; warmRuns asks for the sources then.
      // The sandbox's own backend (chosen for this machine) is measured first, with feature extraction.
      const mlSources = (own: string) =>
        args.skip.has('ml')
          ? []
          : [own, ...BACKENDS.filter((x) => x !== own && !(args.quick && x === 'webgl'))].map((backend) => ({
              backend,
              source: mlCell({ ...mlSize, backend, extract: backend === own, ...(backend === 'webgl' && backend !== own ? WEBGL : {}) }),
            }));
      raw.warm = await warmRuns(site.url, pagePath, { firstOutputRuns: args.runs, firstCellRuns: args.firstCellRuns, memoryAt: [1, 5, 10, 15, 20, args.firstCellRuns], mlSources }, log);
      machine.backend = raw.warm.backend;
    }
    if (!args.skip.has('cells')) {
      const rounds = args.quick ? 1 : 2;
      console.log(`\n▶ The lesson's heaviest cells as shipped, on ?backend=cpu and on the sandbox's own choice, ${rounds} round${rounds === 1 ? '' : 's'}`);
      raw.heavy = await heavyCells(site.url, pagePath, rounds, log);
    }
    if (!args.skip.has('compile')) {
      console.log(`\n▶ Compile times, esbuild-wasm in Chromium: ${cells.length} lesson cells`);
      raw.compile = await compileTimes(reference.url, [...cells, { name: 'bench: one-line console.log', source: ONE_LINER }], args.quick ? 3 : 10);
      for (const [name, r] of Object.entries(raw.compile.cells)) log(`  ${name}: ${r.error ?? `${r.ms?.map((x) => x.toFixed(1)).join(', ')} ms`}`);
    }
    if (!args.skip.has('bare')) {
      console.log('\n▶ Reference: the same compiled code on a bare page (tf.min.js + model, no runtime)');
      const firstCell = pageCells.find((c) => c.id === raw.warm?.firstCellId) ?? pageCells[0];
      if (!firstCell) throw new Error(`no code cells on ${pagePath}`);
      raw.bareCellName = firstCell.name;
      const backend = raw.warm?.backend ?? 'cpu';
      raw.bare = await bareReference(
        reference.url,
        backend,
        await lessonAssetsOf(ROOT, pagePath),
        {
          firstCell: await compileInNode(firstCell.source),
          ml: args.skip.has('ml') ? null : await compileInNode(mlCell({ ...mlSize, backend, extract: true, finetune: false, scratch: false })),
          features: args.skip.has('torch') ? null : await compileInNode(readFileSync(path.join(BENCH_DIR, 'cells', 'features.ts'), 'utf8')),
        },
        args.runs,
        log,
      );
    }
    if (!args.skip.has('pyodide')) {
      if (pyodide) {
        console.log('\n▶ Reference: Pyodide cold start to the first printed line');
        raw.pyodide = await pyodideColdStart(reference.url, args.runs, log);
      } else {
        const note = 'Pyodide: not measured, the npm package `pyodide` is not installed (npm install adds it: it is a devDependency).';
        console.log(`\n▶ ${note}`);
        notes.push(note);
      }
    }
    if (!args.skip.has('torch') && raw.bare?.featuresFile) {
      console.log('\n▶ Reference: the same head training in native PyTorch (/usr/bin/python3)');
      raw.torch = torchHead(raw.bare.featuresFile, args.runs, mlSize.epochs);
      log(`  ${raw.torch.error ?? `${raw.torch.ms?.map((x) => Math.round(x)).join(', ')} ms (torch ${raw.torch.torch}, ${raw.torch.threads} threads)`}`);
    }
  } finally {
    await site.close();
    await reference.close();
  }

  machine.loadAverageEnd = os.loadavg().map((x) => Math.round(x * 100) / 100);
  raw.totalSeconds = Math.round((Date.now() - started) / 1000);
  const results = buildResults(raw, SITE_DIR);
  const markdown = renderMarkdown(results);
  const dir = path.join(BENCH_DIR, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(path.join(dir, 'latest.md'), markdown);
  console.log(`\n${markdown}`);
  console.log(`Wrote bench/results/latest.json and bench/results/latest.md (${raw.totalSeconds} s).`);
}

await main();
