// One fuzz loop: fast-check draws a value per run from the run's seed, `check` tries it against the worker, and
// the summary line says how many requests were tried and the one command that repeats this very run.
import fc from 'fast-check';
import { inject } from 'vitest';

/** How long a fuzz test may take: its budget plus room for set-up, shrinking and the checks after it. */
export function fuzzTimeoutMs(): number {
  const seconds = inject('fuzzSeconds');
  return seconds === 0 ? 24 * 3600_000 : seconds * 1000 + 90_000;
}

export interface FuzzReport {
  runs: number;
  requests: number;
}

/**
 * Runs `check` on generated values until the time budget (or FUZZ_RUNS) is spent. `check` answers how many
 * requests it made. A failure is shrunk by fast-check and rethrown; either way the summary is printed.
 */
export async function fuzz<T>(
  file: string,
  arbitrary: fc.Arbitrary<T>,
  check: (value: T) => Promise<number>,
): Promise<FuzzReport> {
  const seed = inject('fuzzSeed');
  const runs = inject('fuzzRuns');
  const seconds = inject('fuzzSeconds');
  const report: FuzzReport = { runs: 0, requests: 0 };
  let firstFailure: number | null = null;
  // fast-check's time limit stops waiting for a run, not the run itself: the last one is awaited before the
  // checks that follow, so no request is still in flight while they read D1.
  let inFlight: Promise<unknown> = Promise.resolve();
  const started = Date.now();
  try {
    await fc.assert(
      fc.asyncProperty(arbitrary, async (value) => {
        const run = (async () => {
          report.runs += 1;
          const n = report.runs;
          try {
            report.requests += await check(value);
          } catch (err) {
            firstFailure ??= n;
            throw err;
          }
        })();
        inFlight = run.catch(() => undefined);
        await run;
      }),
      {
        seed,
        numRuns: runs || 10_000_000,
        ...(seconds ? { interruptAfterTimeLimit: seconds * 1000 } : {}),
      },
    );
  } finally {
    await inFlight;
    const took = ((Date.now() - started) / 1000).toFixed(1);
    // With the seed and the number of runs, the same values are drawn in the same order.
    const repeat = `FUZZ_SEED=${seed} FUZZ_RUNS=${firstFailure ?? report.runs} npm test -- ${file}`;
    console.log(
      `fuzz: ${report.requests} requests in ${report.runs} runs (${took} s), seed ${seed} (repeat: ${repeat})`,
    );
  }
  return report;
}
