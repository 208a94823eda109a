// The queue side of automated items: each message names a few occurrences; each pending one is sent through
// the same path as any API send (send-service.ts -> the person's conversation object). Its message id is fixed
// when the occurrence is first claimed, in the same D1 statement that claims it, and the conversation object
// sends one id once. So a redelivered batch, or a consumer that died halfway, finds either a finished
// occurrence or the very message it had started, never a second send. (The occurrence row is the idempotency
// record: no Idempotency-Key round trips per send, which the 100,000-person benchmark felt.)

import { inArray } from 'drizzle-orm';
import { UNSCOPED } from '#common/scope';
import type { SkipReason } from '#common/skip-reasons';
import type { CompanyAuth } from '../../auth/actor';
import { drizzleOf, platformDatabase } from '../../db/client';
import type { OccurrenceState } from '../../db/column-types';
import { companyDatabase } from '../../db/company-data';
import { automationOccurrences, automations, companies, people, whatsappNumbers } from '../../db/schema';
import { ApiError } from '../../errors';
import { newId } from '../../ids';
import { sendingNumber } from '../numbers';
import { META_ERROR } from '../policy';
import type { PersonRow } from '../send-facts';
import { sendAsMessage } from '../send-service';
import { findTemplate, isApproved, type TemplateRow } from '../templates/store';
import { DEFAULT_MESSAGES_PER_SECOND, pacerFor } from './pacer';
import { itemParams } from './params';
import { pauseAutomation } from './pause';
import type { AutomationMessage, AutomationRow, CompanyRow } from './sweep';
import { DEFAULT_SEND_WINDOW, inSendWindow, isTooLate } from './triggers';

type OccurrenceRow = typeof automationOccurrences.$inferSelect;

/** The send path's refusals that are reasons to skip a person, not failures. */
const SKIP_FOR_REFUSAL: Record<string, SkipReason> = {
  opted_out: 'opted_out',
  // An erased person is opted out until new consent: the same skip, whichever way the send path words it.
  person_erased: 'opted_out',
  no_phone: 'no_phone',
  whatsapp_disabled: 'whatsapp_disabled',
  marketing_stopped: 'marketing_stopped',
  template_not_approved: 'template_not_approved',
  template_params: 'missing_variable',
};

/** Sends in flight at once per queue message: enough to keep a 1,000/s number busy, few enough for D1. */
const CONCURRENCY = 8;

interface Outcome {
  state: Exclude<OccurrenceState, 'pending'>;
  reason: string | null;
  messageId: string | null;
}

function finishStatement(
  d1: D1Database,
  id: string,
  o: Outcome,
  now: number,
  unclaimedOnly = false,
): D1PreparedStatement {
  return d1
    .prepare(
      `UPDATE automation_occurrences SET state = ?2, reason = ?3, message_id = ?4, updated_at = ?5
     WHERE id = ?1 AND state = 'pending'${unclaimedOnly ? ' AND claimed_at IS NULL' : ''}`,
    )
    .bind(id, o.state, o.reason, o.messageId, now);
}

/** Fixes the parameters and the message id on the first attempt, so every retry sends the same message. */
function claimStatement(d1: D1Database, id: string, params: string[], now: number): D1PreparedStatement {
  return d1
    .prepare(
      `UPDATE automation_occurrences
        SET claimed_at = coalesce(claimed_at, ?2), params = coalesce(params, ?3), message_id = coalesce(message_id, ?4)
      WHERE id = ?1 AND state = 'pending' RETURNING params, message_id`,
    )
    .bind(id, now, JSON.stringify(params), newId('his'));
}

interface Claimed {
  params: string;
  message_id: string;
}

function storedParams(row: Claimed, fallback: string[]): string[] {
  const stored: unknown = JSON.parse(row.params);
  return Array.isArray(stored) ? stored.map(String) : fallback;
}

function outcomeOf(messageId: string, status: string | null, errorCode: unknown): Outcome {
  if (status === 'failed') {
    // Meta's 131050 after acceptance: the person stopped marketing messages; a skip, as if we had known.
    if (errorCode === META_ERROR.marketingStopped) return { state: 'skipped', reason: 'marketing_stopped', messageId };
    return { state: 'failed', reason: String(errorCode ?? 'failed'), messageId };
  }
  // sent, delivered, read, or queued: the conversation object has it (130429 and other throttling are retried
  // there, in order: back-pressure, not failure), and its history note follows it from here.
  return { state: 'sent', reason: null, messageId };
}

const codeOf = (error: unknown): unknown =>
  typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;

interface Work {
  occurrence: OccurrenceRow;
  item: AutomationRow;
  company: CompanyRow;
  person: PersonRow | undefined;
}

interface Candidate extends Work {
  template: TemplateRow;
  params: string[];
}

interface Ready extends Candidate {
  messageId: string;
}

async function send(env: Env, w: Ready): Promise<Outcome> {
  const auth: CompanyAuth = {
    companyId: w.company.id,
    actor: { kind: 'automation', id: w.item.id, name: w.item.name },
    // An item sends for the whole company (its audience decides whom).
    scope: UNSCOPED,
  };
  const req = {
    sale_type: w.item.saleType,
    template: { name: w.template.name, language: w.template.language, params: w.params },
  };
  // Loaded with the batch: a person deleted since is a skip, and the conversation object reads them afresh.
  if (!w.person) return { state: 'skipped', reason: 'person_deleted', messageId: null };
  try {
    const note = await sendAsMessage(env, auth, w.person, w.messageId, req);
    return outcomeOf(note.id, note.status, codeOf(note.error));
  } catch (err) {
    // Not a refusal (D1, the object): let the queue retry; the claim keeps the message id for it.
    if (!(err instanceof ApiError)) throw err;
    const reason = SKIP_FOR_REFUSAL[err.code];
    if (reason === 'template_not_approved') await pauseAutomation(env, w.item, w.template.status);
    if (reason) return { state: 'skipped', reason, messageId: null };
    if (err.code === 'not_found' || err.code === 'no_person')
      return { state: 'skipped', reason: 'person_deleted', messageId: null };
    return { state: 'failed', reason: err.code, messageId: null };
  }
}

/** Runs `fn` over `items`, at most `limit` at a time; every item runs even if another throws. */
async function pool<T>(items: T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<unknown[]> {
  const errors: unknown[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      const item = items[i];
      if (item === undefined) continue;
      try {
        await fn(item, i);
      } catch (err) {
        errors.push(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return errors;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Handles the named occurrences at `now`. Finished ones are left alone; one outside its send window stays
 * pending (the next sweep in the window queues it again); one past its 24 hours is `too_late` unless a send
 * had already started for it. Throws when some send could not be settled, so the queue retries the message.
 */
export async function processOccurrences(env: Env, ids: string[], now: number, companyId?: string): Promise<void> {
  if (ids.length === 0) return;
  // `now` may be a test's moved clock; let it run on in real time from there.
  const startedAt = Date.now();
  const clock = () => now + (Date.now() - startedAt);
  // The company's database; a message queued before it named its company is read from the one database every
  // company shares today (drain those before moving a company to a database of its own).
  const d1 = companyId ? companyDatabase(env, companyId) : platformDatabase(env);
  const db = drizzleOf(d1);
  const occurrences = await db.select().from(automationOccurrences).where(inArray(automationOccurrences.id, ids)).all();
  const pending = occurrences.filter((o) => o.state === 'pending');
  if (pending.length === 0) return;
  const itemIds = [...new Set(pending.map((o) => o.automationId))];
  const [itemRows, personRows] = await Promise.all([
    db.select().from(automations).where(inArray(automations.id, itemIds)).all(),
    db
      .select()
      .from(people)
      .where(
        inArray(
          people.id,
          pending.map((o) => o.personId),
        ),
      )
      .all(),
  ]);
  const companyIds = [...new Set(itemRows.map((i) => i.companyId))];
  const [companyRows, numberRows] = await Promise.all([
    db.select().from(companies).where(inArray(companies.id, companyIds)).all(),
    db.select().from(whatsappNumbers).where(inArray(whatsappNumbers.companyId, companyIds)).all(),
  ]);
  const items = new Map(itemRows.map((i) => [i.id, i]));
  const companyById = new Map(companyRows.map((c) => [c.id, c]));
  const personById = new Map(personRows.map((p) => [p.id, p]));
  const templates = new Map<string, TemplateRow | undefined>();

  // Decisions made here, and the claims, go to D1 in one batch; the sends' outcomes in another at the end.
  // A skip decided on an occurrence read unclaimed holds only while it still is: another consumer may have
  // claimed and sent it since this one read it (and will record that), so the statement checks again.
  const settled: D1PreparedStatement[] = [];
  const skip = (o: OccurrenceRow, reason: SkipReason) =>
    settled.push(finishStatement(d1, o.id, { state: 'skipped', reason, messageId: null }, now, o.claimedAt === null));
  const candidates: Candidate[] = [];
  for (const occurrence of pending) {
    const item = items.get(occurrence.automationId);
    const company = item && companyById.get(item.companyId);
    // A deleted item takes its occurrences with it; a paused one keeps them pending until it is enabled again.
    if (!item || !company || !item.enabled) continue;
    if (occurrence.claimedAt === null && isTooLate(occurrence.dueAt, now)) {
      skip(occurrence, 'too_late');
      continue;
    }
    if (!inSendWindow(now, company.timezone, item.sendWindow ?? DEFAULT_SEND_WINDOW)) continue;
    if (!templates.has(item.id))
      templates.set(item.id, await findTemplate(db, company.id, item.templateName, item.templateLanguage));
    const template = templates.get(item.id);
    if (!template || !isApproved(template)) {
      await pauseAutomation(env, item, template?.status ?? 'missing');
      skip(occurrence, 'template_not_approved');
      continue;
    }
    const person = personById.get(occurrence.personId);
    // Settled here, in the claims' batch, when the row just read already refuses: an opt-out read a moment ago
    // can only have turned into an opt-in since, and skipping then errs on the side Meta's rules want. Only
    // for an occurrence never claimed: a claimed one may have reached the conversation object already (and
    // skip() checks that again, against a consumer that claimed it since this batch read it).
    if (person && occurrence.claimedAt === null && (person.whatsappOptedOut || !person.phone)) {
      skip(occurrence, person.whatsappOptedOut ? 'opted_out' : 'no_phone');
      continue;
    }
    let params = occurrence.params && Array.isArray(occurrence.params) ? occurrence.params : null;
    if (!params) {
      const resolved = person ? itemParams(template, item.variables, person, company) : null;
      if (!resolved?.ok) {
        skip(occurrence, 'missing_variable');
        continue;
      }
      params = resolved.params;
    }
    candidates.push({ occurrence, item, company, person, template, params });
  }
  const claims = candidates.map((c) => claimStatement(d1, c.occurrence.id, c.params, now));
  if (settled.length + claims.length === 0) return;
  const results = await d1.batch<Claimed>([...settled, ...claims]);
  const ready: Ready[] = [];
  candidates.forEach((c, i) => {
    const claimed = results[settled.length + i]?.results[0];
    // A claim that matched nothing: another consumer finished it meanwhile.
    if (claimed) ready.push({ ...c, params: storedParams(claimed, c.params), messageId: claimed.message_id });
  });
  if (ready.length === 0) return;

  // Pace to each number's throughput: slots are handed out per phone number across every consumer. A send goes
  // from the number the conversation object will pick (numbers.sendingNumber), read from the same rows.
  // Each send's number, picked once.
  const numberOf = new Map(
    ready.map((w) => {
      const numbers = numberRows.filter((n) => n.companyId === w.company.id);
      return [w, w.person ? sendingNumber(numbers, w.person) : null] as const;
    }),
  );
  const slots = new Map<string, { start: number; interval: number; used: number }>();
  for (const [phoneNumberId, group] of groupBy(ready, (r) => numberOf.get(r)?.phoneNumberId ?? '')) {
    const first = group[0];
    const number = first && numberOf.get(first);
    const rate = number?.messagesPerSecond ?? first?.company.messagesPerSecond ?? DEFAULT_MESSAGES_PER_SECOND;
    const start = phoneNumberId ? await pacerFor(env, phoneNumberId).reserve(group.length, rate) : Date.now();
    slots.set(phoneNumberId, { start, interval: 1000 / rate, used: 0 });
  }
  const outcomes: D1PreparedStatement[] = [];
  const errors = await pool(ready, CONCURRENCY, async (w) => {
    const slot = slots.get(numberOf.get(w)?.phoneNumberId ?? '');
    if (slot) {
      const at = slot.start + slot.interval * slot.used++;
      const wait = at - Date.now();
      if (wait > 0) await sleep(wait);
    }
    const outcome = await send(env, w);
    outcomes.push(finishStatement(d1, w.occurrence.id, outcome, clock()));
  });
  // Recorded even when some sends failed: those stay pending and claimed, and the retry resumes them.
  if (outcomes.length > 0) await d1.batch(outcomes);
  if (errors.length > 0) throw new AggregateError(errors, `${errors.length} automated send(s) not settled`);
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

/** The Queue consumer: each message is acknowledged on its own, so one failure retries only its occurrences. */
export async function handleAutomationBatch(batch: MessageBatch<AutomationMessage>, env: Env): Promise<void> {
  await Promise.all(
    batch.messages.map(async (message) => {
      const ids = Array.isArray(message.body?.ids) ? message.body.ids.filter((id) => typeof id === 'string') : [];
      try {
        await processOccurrences(env, ids, Date.now(), message.body?.companyId);
        message.ack();
      } catch (err) {
        console.error('automation queue message failed', message.id, err);
        message.retry({ delaySeconds: 30 });
      }
    }),
  );
}
