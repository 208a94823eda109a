// `node bench/load-data.mjs --notes 10000|100000|1000000 --persist-to DIR`: a gym chain's data in seconds,
// written straight into the local D1 SQLite file that `wrangler dev --persist-to DIR` uses. Never part of
// `npm test`; run through npm or node_modules/.bin/node (node:sqlite and wrangler need Node 22).
//
//   1. DIR is wiped, the migrations applied (`wrangler d1 migrations apply DB --local --persist-to DIR`).
//   2. wrangler dev starts once so the platform-admin API makes the company, its WhatsApp number (token sealed
//      by the worker) and an API key (hashed by the worker), exactly as production would; then it stops.
//   3. The data set (lib/dataset.mjs) goes into the D1 file with node:sqlite: prepared statements, big
//      transactions. Base rows only (people, history_notes, counters, consent_log): derived tables are kept by
//      the schema's own triggers, which fire here as they would for the worker's writes.
//   4. DIR/bench-data.json says what was made: the API key, ids the benchmarks read, sizes, timings.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureDevVars, readDevVars } from '../scripts/ensure-dev-vars.mjs';
import { generate, planFor, prng } from './lib/dataset.mjs';
import { api } from './lib/http.mjs';
import { assertNode22, d1File, migrate, startDev } from './lib/wrangler.mjs';

export const BENCH_NUMBER = {
  waba_id: '299000000000012',
  phone_number_id: '199000000000012',
  display_phone_number: '15550199012',
};
const BATCH = 50_000;
/** The tables this loader writes (plus companies and api_keys, made through the admin API). */
const WRITTEN = ['people', 'history_notes', 'counters', 'consent_log', 'companies', 'api_keys'];
const seconds = (ms) => Number((ms / 1000).toFixed(2));

/** Makes the company through the running worker's platform-admin API, as an operator would. */
async function makeCompany(base, adminToken) {
  const company = await api(base, 'POST', '/api/admin/companies', adminToken, { name: 'Bench Gym', timezone: 'UTC' });
  await api(base, 'PUT', `/api/admin/companies/${company.id}/whatsapp`, adminToken, {
    enabled: true,
    ...BENCH_NUMBER,
    access_token: 'sandbox-token',
    messages_per_second: 1000,
  });
  const { key } = await api(base, 'POST', `/api/admin/companies/${company.id}/api-keys`, adminToken, { name: 'bench' });
  return { companyId: company.id, apiKey: key };
}

function insertAll(file, companyId, data, log) {
  const db = new DatabaseSync(file);
  // Connection-local settings only: nothing about the file that wrangler dev reads later changes.
  db.exec('PRAGMA synchronous = OFF; PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY;');
  // The triggers an INSERT fires (the ones this load runs), apart from the others on the same tables.
  const triggers = db
    .prepare(`SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY tbl_name, name`)
    .all()
    .map((r) => ({
      name: `${r.tbl_name}.${r.name}`,
      on: /\b(?:BEFORE|AFTER|INSTEAD\s+OF)\s+(INSERT|UPDATE|DELETE)\b/i.exec(r.sql)?.[1]?.toLowerCase() ?? '?',
    }))
    .filter((t) => WRITTEN.includes(t.name.split('.')[0]));
  const personRow = db.prepare(
    `INSERT INTO people (id, company_id, first_name, last_name, phone, wa_id, email, sale_type, status, membership_start,
       membership_end, date_of_birth, sms_opted_out, whatsapp_opted_out, whatsapp_marketing_stopped,
       whatsapp_last_inbound_at, whatsapp_last_read_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, 0, ?, ?, ?, ?)`,
  );
  const noteRow = db.prepare(
    `INSERT INTO history_notes (id, company_id, person_id, type, wamid, message_type, body, content, context_wamid,
       sale_type, status, status_at, error, actor, category, occurred_at, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const counterRow = db.prepare(
    `INSERT INTO counters (company_id, person_id, channel, sale_type, sent, received) VALUES (?, ?, 'whatsapp', 'membership', ?, ?)`,
  );
  const consentRow = db.prepare(
    `INSERT INTO consent_log (id, company_id, person_id, channel, action, method, text, captured_at, evidence_url, actor, recorded_at)
     VALUES (?, ?, ?, 'whatsapp', ?, ?, ?, ?, ?, ?, ?)`,
  );
  const inBatches = (label, rows, write) => {
    const t0 = performance.now();
    for (let i = 0; i < rows.length; i += BATCH) {
      db.exec('BEGIN');
      for (const row of rows.slice(i, i + BATCH)) write(row);
      db.exec('COMMIT');
      if (rows.length > BATCH) log(`  ${label}: ${Math.min(rows.length, i + BATCH)}/${rows.length}`);
    }
    return seconds(performance.now() - t0);
  };
  const { people } = data;
  const times = {};
  times.people_s = inBatches('people', people, (p) =>
    personRow.run(
      p.id,
      companyId,
      p.firstName,
      p.lastName,
      p.phone,
      p.waId,
      p.email,
      p.saleType,
      p.status,
      p.membershipStart,
      p.membershipEnd,
      p.dateOfBirth,
      p.optedOut,
      p.lastInboundAt,
      p.lastReadAt,
      p.createdAt,
      p.updatedAt,
    ),
  );
  times.history_notes_s = inBatches('history_notes', data.notes, (n) =>
    noteRow.run(
      n.id,
      companyId,
      people[n.person].id,
      n.type,
      n.wamid,
      n.messageType,
      n.body,
      n.content,
      n.type === 'whatsapp_sent' || n.type === 'whatsapp_received' ? 'membership' : null,
      n.status,
      n.statusAt,
      n.error,
      n.actor,
      n.category,
      n.occurredAt,
      n.createdAt,
    ),
  );
  times.counters_s = inBatches('counters', data.counters, (c) =>
    counterRow.run(companyId, people[c.person].id, c.sent, c.received),
  );
  times.consent_log_s = inBatches('consent_log', data.consent, (c) =>
    consentRow.run(
      c.id,
      companyId,
      people[c.person].id,
      c.action,
      c.method,
      c.text,
      c.capturedAt,
      c.evidenceUrl,
      c.actor,
      c.recordedAt,
    ),
  );
  const t0 = performance.now();
  db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  times.checkpoint_s = seconds(performance.now() - t0);
  const count = (table) => db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE company_id = ?`).get(companyId).n;
  const counts = { people: count('people'), history_notes: count('history_notes') };
  const tables = db
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
    .all()
    .map((r) => r.name);
  // Rows in tables this loader never writes (besides the company's own): what the schema's triggers kept.
  const derived = {};
  for (const table of tables) {
    // FTS5 keeps its index in shadow tables (<name>_data, _idx, _content, _docsize, _config): count the table itself.
    if (WRITTEN.includes(table) || table === 'd1_migrations' || /_(data|idx|content|docsize|config)$/.test(table))
      continue;
    const rows = db.prepare(`SELECT COUNT(*) AS n FROM "${table}"`).get().n;
    if (rows > 0) derived[table] = rows;
  }
  db.close();
  return { triggers, times, counts, tables, derived };
}

/**
 * Makes the data set for `notes` notes in `stateDir` (wiped first). `port` is where wrangler dev runs while the
 * company is made. Returns (and writes to stateDir/bench-data.json) what the benchmarks need.
 */
export async function loadData({
  notes,
  stateDir,
  port = 8793,
  conversationShare = 0.3,
  seed = 12,
  log = console.log,
}) {
  ensureDevVars();
  const adminToken = readDevVars().PLATFORM_ADMIN_TOKEN;
  if (!adminToken) throw new Error('PLATFORM_ADMIN_TOKEN is missing from .dev.vars');
  const plan = planFor(notes, { conversationShare });
  const timings = {};
  const started = performance.now();
  rmSync(stateDir, { recursive: true, force: true });

  let t0 = performance.now();
  migrate(stateDir);
  timings.migrations_s = seconds(performance.now() - t0);

  t0 = performance.now();
  const dev = await startDev({ port, stateDir });
  let company;
  try {
    company = await makeCompany(dev.base, adminToken);
  } finally {
    await dev.stop();
  }
  timings.company_via_admin_api_s = seconds(performance.now() - t0);

  t0 = performance.now();
  const now = Date.now();
  const data = generate(plan, { now, seed });
  timings.generate_s = seconds(performance.now() - t0);
  log(
    `generated ${data.people.length} people, ${data.notes.length} notes, ${data.counters.length} conversations in ${timings.generate_s} s`,
  );

  t0 = performance.now();
  const file = d1File(stateDir);
  const written = insertAll(file, company.companyId, data, log);
  timings.insert_s = seconds(performance.now() - t0);
  timings.insert_detail = written.times;
  timings.total_s = seconds(performance.now() - started);

  // What the benchmarks read: ids picked with their own seed so they do not depend on generation order.
  const pick = prng(seed + 1);
  const { people } = data;
  const sample = Array.from({ length: 100 }, () => people[pick.int(people.length)].id);
  const quiet = people.filter((p) => !p.conversation && !p.optedOut);
  const ingest = [];
  for (let i = 0; ingest.length < 400 && i < quiet.length; i += Math.max(1, Math.floor(quiet.length / 400)))
    ingest.push({ id: quiet[i].id, phone: quiet[i].phone });
  const talker = people[data.convPeople[1]];
  const long = people[data.longPersonIndex];
  const meta = {
    made_at: new Date(now).toISOString(),
    plan,
    counts: {
      ...written.counts,
      conversations: data.counters.length,
      opted_out: people.filter((p) => p.optedOut).length,
      window_open: data.flags.windowOpen,
      unread: data.flags.unread,
      opted_out_with_conversation: data.flags.optedOutWithConversation,
      opt_in_cycles: data.flags.optInCycles,
      consent_log: data.consent.length,
      by_type: Object.fromEntries(
        ['whatsapp_sent', 'whatsapp_received', 'whatsapp_opt_out', 'whatsapp_opt_in'].map((t) => [
          t,
          data.notes.filter((n) => n.type === t).length,
        ]),
      ),
    },
    company_id: company.companyId,
    api_key: company.apiKey,
    number: BENCH_NUMBER,
    long_person_id: long.id,
    long_notes: plan.longNotes,
    sample_person_ids: sample,
    ingest_people: ingest,
    q_name: 'Mar',
    q_phone: talker.phone.slice(-6),
    triggers_during_load: written.triggers,
    derived_rows: written.derived,
    tables: written.tables,
    timings,
    d1_file: file,
  };
  writeFileSync(join(stateDir, 'bench-data.json'), JSON.stringify(meta, null, 2));
  return meta;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  assertNode22();
  const { values } = parseArgs({
    options: {
      notes: { type: 'string', default: '10000' },
      'persist-to': { type: 'string', default: '/tmp/clubchat-bench-data' },
      port: { type: 'string', default: '8793' },
      'conversation-share': { type: 'string', default: '0.3' },
      seed: { type: 'string', default: '12' },
    },
  });
  process.on('SIGINT', () => process.exit(130));
  const log = (s) => console.log(`[load ${new Date().toISOString().slice(11, 19)}] ${s}`);
  loadData({
    notes: Number(values.notes),
    stateDir: values['persist-to'],
    port: Number(values.port),
    conversationShare: Number(values['conversation-share']),
    seed: Number(values.seed),
    log,
  })
    .then((meta) => {
      const { api_key: _key, sample_person_ids: _s, ingest_people: _i, ...shown } = meta;
      console.log(JSON.stringify(shown, null, 2));
      log(`done: ${meta.counts.history_notes} notes, ${meta.counts.people} people; insert ${meta.timings.insert_s} s`);
      log(`start it with: npm start -- --persist-to ${values['persist-to']}  (API key in bench-data.json)`);
    })
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
