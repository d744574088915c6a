import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import { CHROMIUM_EXTRA_ARGS } from '../../scripts/browser/launch';

export interface Machine {
  date: string;
  cpuModel: string;
  cores: number;
  ramGiB: number;
  os: string;
  node: string;
  chromium: string;
  /** Flags added to the tests' Chromium flags through CHROMIUM_EXTRA_ARGS (none in a normal run). */
  chromiumExtraArgs: string[];
  /** 1, 5 and 15 minute load averages when the run started and ended: this machine is shared. */
  loadAverageStart: number[];
  loadAverageEnd?: number[];
  commit: string | null;
  /** Uncommitted changes in the tree (other engineers work in it while the benchmark runs). */
  dirtyFiles: number | null;
  /** When out/ (the production build measured) was built. */
  buildTime: string | null;
  backend?: string;
  backendReason?: string;
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) return line.split(':')[1]!.trim();
  } catch {
    // not Linux
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

function git(args: string[]): string | null {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

export function describeMachine(buildMarker: string): Machine {
  let buildTime: string | null = null;
  try {
    buildTime = statSync(buildMarker).mtime.toISOString();
  } catch {
    // no build
  }
  const status = git(['status', '--porcelain']);
  return {
    date: new Date().toISOString(),
    cpuModel: cpuModel(),
    cores: os.cpus().length,
    ramGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    chromium: '?',
    chromiumExtraArgs: CHROMIUM_EXTRA_ARGS,
    loadAverageStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
    commit: git(['rev-parse', '--short', 'HEAD']),
    dirtyFiles: status === null ? null : status.split('\n').filter(Boolean).length,
    buildTime,
  };
}
