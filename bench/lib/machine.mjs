// Where and when a figure was measured: the date, the commit, the machine and how busy it was.
import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { ROOT } from './wrangler.mjs';

const git = (args) => {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
};

export function commit() {
  const sha = git(['rev-parse', '--short', 'HEAD']);
  // The results files are rewritten by the benchmark itself: they do not make the code it measured dirty.
  const dirty =
    git(['status', '--porcelain', '--untracked-files=no', '--', '.', ':!bench/results.json', ':!bench/results.md']) !==
    '';
  return `${sha}${dirty ? ' (with uncommitted changes)' : ''}`;
}

export function machine() {
  return {
    nproc: availableParallelism(),
    cpu: cpus()[0]?.model ?? 'unknown',
    memory_gib: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
}

export const load = () => loadavg().map((n) => Number(n.toFixed(2)));

/** Runs `fn` and returns its result with the date, commit, machine and load averages before and after. */
export async function measured(fn) {
  const before = load();
  const started = new Date();
  const result = await fn();
  return {
    run: {
      date: started.toISOString(),
      seconds: Math.round((Date.now() - started.getTime()) / 1000),
      commit: commit(),
      machine: machine(),
      load_before: before,
      load_after: load(),
    },
    result,
  };
}
