// Where and when a figure was measured: the date, the commit, the machine and how busy it was.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
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

/**
 * CPU time (ms, user + system) used so far by every process in a process group (wrangler dev and its workerd).
 * A figure per request from it does not depend on what else the machine runs, unlike a rate.
 */
export function groupCpuMs(pgid) {
  const tick = 1000 / 100; // USER_HZ is 100 on Linux
  let total = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // Fields after the command name (which may hold spaces): state is field 3, pgrp 5, utime 14, stime 15.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(f[2]) === pgid) total += (Number(f[11]) + Number(f[12])) * tick;
  }
  return total;
}

/** Runs `fn` and adds the process group's CPU ms per `count` to its result as `server_cpu_ms_per_request`. */
export async function withServerCpu(pgid, count, fn) {
  const before = groupCpuMs(pgid);
  const result = await fn();
  return { ...result, server_cpu_ms_per_request: Number(((groupCpuMs(pgid) - before) / count).toFixed(2)) };
}
