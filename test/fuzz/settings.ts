// The fuzzers' seed and budget. vitest.config.ts reads them from the environment once per `npm test` and hands
// them to the tests (vitest `provide` / `inject`), so every fuzz file of a run draws from the same printed seed.
//   FUZZ_SEED     the seed (an integer); default: a fresh random one each run
//   FUZZ_SECONDS  time budget per fuzz file; default 20, or no limit when FUZZ_RUNS is given alone
//   FUZZ_RUNS     stop after this many runs; with FUZZ_SEED it repeats a run exactly

export interface FuzzSettings {
  fuzzSeed: number;
  /** 0: as many runs as the time budget allows. */
  fuzzRuns: number;
  /** 0: no time limit. */
  fuzzSeconds: number;
}

declare module 'vitest' {
  export interface ProvidedContext {
    fuzzSeed: number;
    fuzzRuns: number;
    fuzzSeconds: number;
  }
}

export const DEFAULT_FUZZ_SECONDS = 20;

function integer(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^-?\d+$/.test(value.trim()) || n < min || n > max)
    throw new Error(`${name} must be an integer from ${min} to ${max}, not ${JSON.stringify(value)}`);
  return n;
}

export function fuzzSettings(env: Record<string, string | undefined>): FuzzSettings {
  const { FUZZ_SEED: seed, FUZZ_RUNS: runs, FUZZ_SECONDS: seconds } = env;
  return {
    // fast-check takes a 32-bit seed.
    fuzzSeed: seed ? integer('FUZZ_SEED', seed, -(2 ** 31), 2 ** 31 - 1) : Math.floor(Math.random() * 2 ** 31),
    fuzzRuns: runs ? integer('FUZZ_RUNS', runs, 1, 10_000_000) : 0,
    fuzzSeconds: seconds ? integer('FUZZ_SECONDS', seconds, 1, 7 * 24 * 3600) : runs ? 0 : DEFAULT_FUZZ_SECONDS,
  };
}
