// Ingest: signed inbound webhooks as Meta sends them (one message per delivery, worker/sandbox/inbound.ts's
// shape), then a status storm for messages we really sent, each against the bare route at the same concurrency
// in the same run. Every message must be acknowledged 200 and found in D1 afterwards.
import { createHmac } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import { api, load } from '../lib/http.mjs';
import { withServerCpu } from '../lib/machine.mjs';
import { d1File, simulatorFiles } from '../lib/wrangler.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A signed delivery: X-Hub-Signature-256 is HMAC-SHA256 of the exact bytes (worker/whatsapp/meta/signature.ts). */
function signed(appSecret, payload) {
  const body = JSON.stringify(payload);
  return { body, signature: `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}` };
}

function envelope(number, value) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: number.waba_id,
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: number.display_phone_number, phone_number_id: number.phone_number_id },
              ...value,
            },
          },
        ],
      },
    ],
  };
}

/** Reads the local D1 file beside the running worker (read-only; WAL lets it read while workerd writes). */
function d1Query(stateDir, sql, ...params) {
  const db = new DatabaseSync(d1File(stateDir), { readOnly: true });
  try {
    return db.prepare(sql).all(...params);
  } finally {
    db.close();
  }
}

const post = (base, delivery) => (i, signal) =>
  fetch(`${base}/webhooks/whatsapp`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': delivery[i].signature },
    body: delivery[i].body,
    signal,
  });

const bare = (base, pid, count, concurrency) =>
  withServerCpu(pid, count, () =>
    load({ count, concurrency, request: (_i, signal) => fetch(`${base}/api/health`, { signal }) }),
  );

export async function runIngest({ base, pid, meta, stateDir, appSecret, messages = 4000, concurrency = 32, log }) {
  const people = meta.ingest_people;
  const run = Date.now().toString(36);
  const nowS = Math.floor(Date.now() / 1000);

  // Signed up front, so the client's own work during the run is only sending.
  const deliveries = Array.from({ length: messages }, (_, n) => {
    const person = people[n % people.length];
    const from = person.phone.slice(1);
    return signed(
      appSecret,
      envelope(meta.number, {
        contacts: [{ profile: { name: `Bench ${n % people.length}` }, wa_id: from }],
        messages: [
          {
            from,
            id: `wamid.ingest.${run}.${n}`,
            timestamp: String(nowS),
            type: 'text',
            text: { body: `Bench message ${n}: what time is the spin class?` },
          },
        ],
      }),
    );
  });

  const bareBefore = await bare(base, pid, messages, concurrency);
  log(
    `bare route at c=${concurrency}: ${bareBefore.per_s} req/s (p99 ${bareBefore.p99_ms} ms, ` +
      `server CPU ${bareBefore.server_cpu_ms_per_request} ms each)`,
  );
  const inbound = await withServerCpu(pid, messages, () =>
    load({
      count: messages,
      concurrency,
      request: post(base, deliveries),
      check: (text) => (text === 'OK' ? null : `answered ${text.slice(0, 80)}`),
    }),
  );
  const stored = d1Query(
    stateDir,
    `SELECT COUNT(*) AS n FROM history_notes WHERE company_id = ? AND wamid LIKE ?`,
    meta.company_id,
    `wamid.ingest.${run}.%`,
  )[0].n;
  log(
    `inbound: ${inbound.ok}/${messages} answered 200 in ${inbound.wall_ms} ms = ${inbound.per_s} msg/s; stored ${stored}; ` +
      `server CPU ${inbound.server_cpu_ms_per_request} ms each`,
  );

  // The status storm needs messages we really sent (the conversation object knows their wamids): one free-text
  // reply to each of the people who just wrote (their windows are open), with the simulator sending no statuses.
  await api(base, 'POST', '/sandbox/configure', meta.api_key, { delivery: 'manual', statuses: [] });
  const sendStarted = performance.now();
  const sends = await load({
    count: people.length,
    concurrency: 16,
    request: (i, signal) =>
      fetch(`${base}/api/v1/people/${people[i].id}/whatsapp/messages`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${meta.api_key}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ text: 'Thanks! The spin class starts at 6pm.' }),
        signal,
      }),
  });
  // Accepted (202) first; Meta's answer (the wamid) lands in D1 when the conversation object has sent it.
  const ids = people.map((p) => p.id);
  const marks = ids.map(() => '?').join(',');
  let sent = [];
  for (let i = 0; i < 240; i++) {
    sent = d1Query(
      stateDir,
      `SELECT id, person_id, wamid, status FROM history_notes
        WHERE company_id = ? AND type = 'whatsapp_sent' AND person_id IN (${marks}) AND wamid IS NOT NULL`,
      meta.company_id,
      ...ids,
    );
    if (sent.length >= people.length) break;
    await sleep(500);
  }
  const sendMs = performance.now() - sendStarted;
  log(`sent ${sends.ok} replies (202), ${sent.length} answered by the simulator in ${(sendMs / 1000).toFixed(1)} s`);

  // What "Meta" recorded for each: the callback data it echoes in statuses.
  const callback = new Map();
  for (const file of simulatorFiles(stateDir)) {
    const db = new DatabaseSync(file, { readOnly: true });
    try {
      for (const m of db.prepare('SELECT wamid, callback_data FROM messages').all())
        callback.set(m.wamid, m.callback_data);
    } catch {}
    db.close();
  }
  const phoneOf = new Map(people.map((p) => [p.id, p.phone.slice(1)]));
  // sent, delivered, read, plus a duplicate of delivered and of read, all shuffled: out of order and twice.
  const statuses = [];
  for (const note of sent)
    for (const [k, status] of ['sent', 'delivered', 'read', 'delivered', 'read'].entries())
      statuses.push({ note, status, at: nowS + 5 + (k % 3) });
  let seed = 7;
  for (let i = statuses.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const j = seed % (i + 1);
    [statuses[i], statuses[j]] = [statuses[j], statuses[i]];
  }
  const storm = statuses.map(({ note, status, at }) => {
    const cb = callback.get(note.wamid);
    return signed(
      appSecret,
      envelope(meta.number, {
        statuses: [
          {
            id: note.wamid,
            status,
            timestamp: String(at),
            recipient_id: phoneOf.get(note.person_id),
            ...(cb ? { biz_opaque_callback_data: cb } : {}),
            ...(status === 'read'
              ? {}
              : {
                  conversation: { id: `conv_${note.person_id}`, origin: { type: 'service' } },
                  pricing: {
                    billable: false,
                    pricing_model: 'PMP',
                    category: 'service',
                    type: 'free_customer_service',
                  },
                }),
          },
        ],
      }),
    );
  });
  const bareStorm = await bare(base, pid, storm.length, concurrency);
  const stormRun = await withServerCpu(pid, storm.length, () =>
    load({
      count: storm.length,
      concurrency,
      request: post(base, storm),
      check: (text) => (text === 'OK' ? null : `answered ${text.slice(0, 80)}`),
    }),
  );
  const readNow = d1Query(
    stateDir,
    `SELECT COUNT(*) AS n FROM history_notes WHERE id IN (${sent.map(() => '?').join(',')}) AND status = 'read'`,
    ...sent.map((n) => n.id),
  )[0].n;
  const sentCounter = d1Query(
    stateDir,
    `SELECT COALESCE(SUM(sent), 0) AS n FROM counters WHERE company_id = ? AND person_id IN (${marks})`,
    meta.company_id,
    ...ids,
  )[0].n;
  log(
    `status storm: ${stormRun.ok}/${storm.length} answered 200 = ${stormRun.per_s} webhooks/s; ${readNow}/${sent.length} read; sent counter ${sentCounter}`,
  );

  return {
    concurrency,
    numbers: people.length,
    inbound: {
      messages,
      ...inbound,
      stored,
      all_stored: stored === messages,
      bare: bareBefore,
      x_bare: Number((inbound.per_s / bareBefore.per_s).toFixed(3)),
    },
    sends: {
      requested: people.length,
      accepted: sends.ok,
      answered_by_simulator: sent.length,
      seconds: Number((sendMs / 1000).toFixed(1)),
    },
    storm: {
      webhooks: storm.length,
      messages: sent.length,
      ...stormRun,
      read: readNow,
      all_read: readNow === sent.length,
      sent_counter: sentCounter,
      counter_exact: sentCounter === sent.length,
      bare: bareStorm,
      x_bare: Number((stormRun.per_s / bareStorm.per_s).toFixed(3)),
    },
  };
}
