// HTTP for the benchmarks: JSON calls that fail loudly, and a closed-loop load runner (N workers, each sending
// its next request when the previous one answered) that records every latency, error and timeout.

export const TIMEOUT_MS = 30_000;

export async function api(base, method, path, token, body) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 500)}`);
  return text ? JSON.parse(text) : null;
}

/**
 * Sends `count` requests from `concurrency` workers, stopping early (and saying so) once `budgetMs` has passed.
 * `request(i)` returns a Response promise; the body is read in full before the clock stops. A request slower
 * than `timeoutMs` (30 s) is aborted and counted as a timeout (its time is not in the latencies).
 */
export async function load({
  count,
  concurrency,
  budgetMs = Number.POSITIVE_INFINITY,
  timeoutMs = TIMEOUT_MS,
  request,
  check,
  groupOf,
}) {
  const latencies = [];
  // The worker's own time per answer, from its `Server-Timing: total;dur=` (absent on routes without it).
  const serverTimes = [];
  // Optional: latencies per group as well (e.g. a route and the base read, interleaved request by request).
  const groups = new Map();
  const errors = new Map();
  let timeouts = 0;
  let next = 0;
  const started = performance.now();
  let truncated = false;
  const worker = async () => {
    for (;;) {
      if (next >= count) return;
      if (performance.now() - started > budgetMs) {
        truncated = true;
        return;
      }
      const i = next++;
      const t0 = performance.now();
      try {
        const res = await request(i, AbortSignal.timeout(timeoutMs));
        const text = await res.text();
        const ms = performance.now() - t0;
        const problem = res.ok ? check?.(text, i) : `HTTP ${res.status}`;
        if (problem) errors.set(problem, (errors.get(problem) ?? 0) + 1);
        else {
          latencies.push(ms);
          const server = serverTotalMs(res.headers.get('server-timing'));
          if (server !== null) serverTimes.push(server);
          const g = groupOf?.(i);
          if (g !== undefined) {
            const group = groups.get(g) ?? { ms: [], server: [] };
            group.ms.push(ms);
            if (server !== null) group.server.push(server);
            groups.set(g, group);
          }
        }
      } catch (err) {
        if (err?.name === 'TimeoutError') timeouts++;
        else {
          const key = String(err?.cause?.code ?? err?.message ?? err);
          errors.set(key, (errors.get(key) ?? 0) + 1);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const wallMs = performance.now() - started;
  const sorted = latencies.sort((a, b) => a - b);
  return {
    concurrency,
    requested: count,
    timeout_s: timeoutMs / 1000,
    done: next,
    ok: sorted.length,
    timeouts,
    errors: Object.fromEntries(errors),
    truncated,
    wall_ms: round(wallMs),
    per_s: round((sorted.length / wallMs) * 1000),
    p50_ms: round(percentile(sorted, 0.5)),
    p99_ms: round(percentile(sorted, 0.99)),
    max_ms: round(sorted.at(-1) ?? Number.NaN),
    ...serverFigures(serverTimes),
    groups: Object.fromEntries(
      [...groups].map(([g, { ms, server }]) => {
        const gs = ms.sort((a, b) => a - b);
        const figures = { ok: gs.length, p50_ms: round(percentile(gs, 0.5)), p99_ms: round(percentile(gs, 0.99)) };
        return [g, { ...figures, ...serverFigures(server) }];
      }),
    ),
  };
}

/** `total;dur=12.3;desc="…"` → 12.3; null when the header or its total is missing. */
export function serverTotalMs(header) {
  const dur = header?.match(/(?:^|,)\s*total;dur=([\d.]+)/)?.[1];
  return dur === undefined ? null : Number(dur);
}

/** p50 and p99 of the worker's own times, when the answers carried them. */
function serverFigures(times) {
  if (!times.length) return {};
  const sorted = times.sort((a, b) => a - b);
  return { server_p50_ms: round(percentile(sorted, 0.5)), server_p99_ms: round(percentile(sorted, 0.99)) };
}

/** Nearest-rank percentile of sorted values (p99 of 100 samples is the 99th, not an interpolation). */
export function percentile(sorted, p) {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

export const round = (n, digits = 1) => (Number.isFinite(n) ? Number(n.toFixed(digits)) : null);
