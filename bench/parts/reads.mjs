// Reads: p50/p99 of the API's list and detail routes against a loaded data set, at concurrency 1 and 16, each
// compared with the base one-row read (a person's detail) measured in the same run.
import { load } from '../lib/http.mjs';

/**
 * What the routes are asked; `deep` entries are resolved to a page 90% of the way through the list first.
 * `basePath`: the one person's detail every route's c=1 requests alternate with.
 */
function endpoints(meta, basePath) {
  const long = meta.long_person_id;
  const sample = meta.sample_person_ids;
  return [
    { name: 'base: person detail', path: (i) => `/api/v1/people/${sample[i % sample.length]}`, base: true },
    { name: 'bare route /api/health', path: () => '/api/health', bare: true },
    // The base read paired with itself: its "× base" is what chance alone makes of a p99 ratio in this run.
    { name: 'control: the base read against itself', path: () => basePath },
    { name: 'inbox page 1', path: () => '/api/v1/conversations' },
    { name: 'inbox ?unread=true', path: () => '/api/v1/conversations?unread=true' },
    { name: 'inbox ?window_open=true', path: () => '/api/v1/conversations?window_open=true' },
    { name: 'inbox ?opted_out=true', path: () => '/api/v1/conversations?opted_out=true' },
    { name: `inbox ?q=${meta.q_name} (name prefix)`, path: () => `/api/v1/conversations?q=${meta.q_name}` },
    { name: `inbox ?q=${meta.q_phone} (phone digits)`, path: () => `/api/v1/conversations?q=${meta.q_phone}` },
    { name: 'inbox deep page', deep: '/api/v1/conversations' },
    {
      name: `messages of the ${meta.long_notes}-note conversation, page 1`,
      path: () => `/api/v1/conversations/${long}/messages`,
    },
    {
      name: `messages of the ${meta.long_notes}-note conversation, deep page`,
      deep: `/api/v1/conversations/${long}/messages`,
    },
    { name: `history of the ${meta.long_notes}-note person`, path: () => `/api/v1/people/${long}/history` },
    { name: 'history ?filter=whatsapp_sent', path: () => `/api/v1/people/${long}/history?filter=whatsapp_sent` },
    { name: 'people list page 1', path: () => '/api/v1/people' },
    { name: 'people list deep page', deep: '/api/v1/people' },
    // Not in every version of the API: a version without search answers 422 here, reported in the table.
    { name: `people list ?q=${meta.q_name}`, path: () => `/api/v1/people?q=${meta.q_name}`, optional: true },
    // Reports (worker/reports/): the last 30 days, as the Reports screen opens, and the longest range, a year.
    ...REPORTS.flatMap((report) =>
      [30, 366].map((days) => ({
        name: `report ${report}, ${days} days`,
        path: () => `/api/v1/reports/${report}?${lastDays(days)}`,
        optional: true,
      })),
    ),
  ];
}

const REPORTS = ['speed-to-lead', 'conversations', 'funnel', 'templates'];
/** `from=&to=` for the last `days` days, today included (UTC dates: the bench company's zone). */
function lastDays(days) {
  const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  return `from=${day(-(days - 1))}&to=${day(0)}`;
}

/** Unmeasured requests before a route is measured (see the warm-up below). */
export const WARM_UP = 20;
const withQuery = (path, query) => `${path}${path.includes('?') ? '&' : '?'}${query}`;

/**
 * A page 90% of the way through a list. If the answer carries `pagination.next_cursor` the list is walked with
 * `cursor=` (100 a page, up to `walkBudgetMs`) and the cursor found at 90% of the walk is the deep page;
 * otherwise it is `page=` at 90% of `total_pages`. Says which, and how many rows lie before it.
 */
export async function resolveDeep(base, headers, path, walkBudgetMs, timeoutMs = 30_000) {
  const get = async (url) => {
    const res = await fetch(`${base}${url}`, { headers, signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${(await res.text()).slice(0, 300)}`);
    return res.json();
  };
  const first = await get(path);
  const pagination = first.pagination ?? {};
  if ('next_cursor' in pagination) {
    const started = performance.now();
    const cursors = [];
    let seen = 0;
    let complete = false;
    let page = await get(withQuery(path, 'per_page=100'));
    for (;;) {
      seen += page.collection.length;
      const cursor = page.pagination?.next_cursor ?? null;
      if (!cursor) {
        complete = true;
        break;
      }
      cursors.push({ cursor, before: seen });
      if (performance.now() - started > walkBudgetMs) break;
      page = await get(withQuery(path, `per_page=100&cursor=${encodeURIComponent(cursor)}`));
    }
    if (!cursors.length) return { url: path, how: 'cursor (list fits one page)', before: 0 };
    const at = cursors[Math.min(cursors.length - 1, Math.floor(cursors.length * 0.9))];
    return {
      url: withQuery(path, `cursor=${encodeURIComponent(at.cursor)}`),
      how: `cursor= (walked ${seen}${complete ? ', the whole list' : ' rows before the walk budget ran out'})`,
      before: at.before,
    };
  }
  const perPage = first.collection?.length || 25;
  const pages = pagination.total_pages ?? 1;
  const pageNo = Math.max(1, Math.ceil(pages * 0.9));
  return { url: withQuery(path, `page=${pageNo}`), how: `page=${pageNo} of ${pages}`, before: (pageNo - 1) * perPage };
}

/**
 * After requests that timed out the worker is still busy with them (local D1 runs one query at a time and an
 * aborted request's queries still run): wait until the base read answers within a second again, so the next
 * route is not measured behind that backlog. Returns the seconds it took.
 */
async function drain(base, headers, path, maxMs = 15 * 60_000) {
  const started = performance.now();
  while (performance.now() - started < maxMs) {
    const t0 = performance.now();
    try {
      const res = await fetch(`${base}${path}`, { headers, signal: AbortSignal.timeout(30_000) });
      await res.text();
      if (res.ok && performance.now() - t0 < 1000) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 2000));
  }
  return Math.round((performance.now() - started) / 1000);
}

export async function runReads({
  base,
  meta,
  counts = { 1: 100, 16: 400 },
  budgetMs = 60_000,
  timeoutMs = 30_000,
  log,
}) {
  const headers = { Authorization: `Bearer ${meta.api_key}` };
  const basePath = `/api/v1/people/${meta.sample_person_ids[0]}`;
  const rows = [];
  for (const ep of endpoints(meta, basePath)) {
    const row = { name: ep.name, base: !!ep.base, bare: !!ep.bare, how: null, before: null, problems: [] };
    let path = ep.path;
    if (ep.deep) {
      try {
        const deep = await resolveDeep(base, headers, ep.deep, budgetMs * 2, timeoutMs);
        path = () => deep.url;
        row.how = deep.how;
        row.before = deep.before;
      } catch (err) {
        row.problems.push(`deep page not found: ${err.message.slice(0, 120)}`);
        row.drain_s = await drain(base, headers, basePath);
        rows.push(row);
        log(`${ep.name}: ${row.problems[0]}`);
        continue;
      }
    }
    row.url = path(0);
    // Warm-up (not measured), which also says how much the route returns; a slow route gets only one. Twenty,
    // so the route's code is compiled and its pages cached before the first measured request (with three, the
    // first measured requests of a route still paid for that and made a p99 of their own).
    for (let i = 0; i < WARM_UP; i++) {
      const t0 = performance.now();
      try {
        const res = await fetch(`${base}${path(i)}`, { headers, signal: AbortSignal.timeout(timeoutMs) });
        const body = await res.json().catch(() => null);
        if (!res.ok) {
          if (ep.optional && res.status >= 400 && res.status < 500) row.unsupported = res.status;
          throw new Error(`answered ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
        }
        row.rows = Array.isArray(body?.collection) ? body.collection.length : null;
        row.total = body?.pagination?.total_entries ?? row.total ?? null;
        row.next_cursor = !!body?.pagination && 'next_cursor' in body.pagination;
        if (i === 0 && row.total === null && row.rows !== null && !row.url.includes('page=')) {
          // Keyset lists count only when asked: once, unmeasured, for the table's "total".
          const counted = await fetch(`${base}${withQuery(path(0), 'count=true')}`, {
            headers,
            signal: AbortSignal.timeout(timeoutMs),
          })
            .then((r) => (r.ok ? r.json() : null))
            .catch(() => null);
          row.total = counted?.pagination?.total_entries ?? null;
        }
      } catch (err) {
        const timedOut = err.name === 'TimeoutError';
        row.problems.push(`warm-up: ${timedOut ? `no answer in ${timeoutMs / 1000} s` : err.message}`);
        if (timedOut) row.drain_s = await drain(base, headers, basePath);
        break;
      }
      if (performance.now() - t0 > 5000) break;
    }
    if (row.unsupported) {
      log(`${ep.name}: not measured, this version answers ${row.unsupported}`);
      rows.push(row);
      continue;
    }
    for (const c of [1, 16]) {
      if (c > 1 && row.c1.ok === 0 && row.c1.timeouts > 0) {
        // Sixteen at once would only queue behind one another in local D1 and time out too.
        row.problems.push('not measured at c=16: every request at c=1 timed out');
        break;
      }
      // At c=1 every request of the route alternates with a base read, so both see the same machine at the
      // same moments and their ratio does not depend on what else the machine did during one of them.
      const paired = c === 1 && !ep.base;
      const result = await load({
        count: paired ? counts[c] * 2 : counts[c],
        concurrency: c,
        budgetMs,
        timeoutMs,
        request: (i, signal) =>
          fetch(`${base}${paired && i % 2 === 1 ? basePath : path(Math.floor(i / (paired ? 2 : 1)))}`, {
            headers,
            signal,
          }),
        groupOf: paired ? (i) => (i % 2 === 1 ? 'base' : 'route') : undefined,
      });
      if (paired) {
        const route = result.groups.route ?? { ok: 0, p50_ms: null, p99_ms: null };
        Object.assign(result, route, {
          paired_base_p99_ms: result.groups.base?.p99_ms ?? null,
          paired_base_server_p99_ms: result.groups.base?.server_p99_ms ?? null,
        });
      }
      row[`c${c}`] = result;
      if (row[`c${c}`].timeouts > 0) row.drain_s = (row.drain_s ?? 0) + (await drain(base, headers, basePath));
    }
    const fig = (r) =>
      !r ? 'not measured' : r.ok === 0 ? `${r.timeouts} timed out` : `p50 ${r.p50_ms} p99 ${r.p99_ms} ms`;
    log(
      `${ep.name}: c=1 ${fig(row.c1)} | c=16 ${fig(row.c16)}` +
        (row.c1.truncated || row.c16?.truncated ? ' (stopped at the time budget)' : '') +
        (row.drain_s ? ` (waited ${row.drain_s} s for the backlog to clear)` : ''),
    );
    rows.push(row);
  }
  const baseRow = rows.find((r) => r.base);
  for (const row of rows)
    for (const c of [1, 16]) {
      const r = row[`c${c}`];
      const b = r?.paired_base_p99_ms ?? baseRow[`c${c}`]?.p99_ms;
      if (r) r.x_base_p99 = b && r.p99_ms !== null ? Number((r.p99_ms / b).toFixed(1)) : null;
      const sb = r?.paired_base_server_p99_ms ?? baseRow[`c${c}`]?.server_p99_ms;
      if (r) r.x_base_server_p99 = sb && r.server_p99_ms ? Number((r.server_p99_ms / sb).toFixed(1)) : null;
    }
  return rows;
}
