// One bulk send (an automated item's occurrence, a broadcast's recipient) through the same path as any API send
// (send-service.ts -> the person's conversation object), and what its answer means for the row that claimed it:
// sent, skipped for a reason the run log or report names, or failed.
import { UNSCOPED } from '#common/scope';
import type { SkipReason } from '#common/skip-reasons';
import type { HeaderMedia } from '#common/templates/header-media';
import type { Actor, CompanyAuth } from '../../auth/actor';
import type { ReadDb } from '../../db/company-data';
import { ApiError } from '../../errors';
import { bulkSkipOfMetaError } from '../policy';
import type { PersonRow } from '../send-facts';
import { sendThroughConversation } from '../send-service';
import type { Outcome } from './claims';

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
  // A photo, video or document header with no file: as much a missing value as a variable's.
  template_header_media: 'missing_variable',
};

function outcomeOf(messageId: string, status: string | null, errorCode: unknown): Outcome {
  if (status === 'failed') {
    // Meta's 131050 or 131049 at once: a skip, as if we had known (policy.bulkSkipOfMetaError).
    const skip = bulkSkipOfMetaError(errorCode);
    if (skip) return { state: 'skipped', reason: skip, messageId };
    return { state: 'failed', reason: String(errorCode ?? 'failed'), messageId };
  }
  // sent, delivered, read, or queued: the conversation object has it (130429 and other throttling are retried
  // there, in order: back-pressure, not failure), and its history note follows it from here.
  return { state: 'sent', reason: null, messageId };
}

export interface BulkSend {
  companyId: string;
  actor: Actor;
  /** Loaded with the batch: a person deleted since is a skip, and the conversation object reads them afresh. */
  person: PersonRow | undefined;
  messageId: string;
  saleType: 'membership' | 'secondary';
  template: { name: string; language: string };
  params: string[];
  /** The item's or broadcast's own file for a media header; left out, the template's default. */
  headerMedia?: HeaderMedia;
}

/** A bulk send's answer: what it means for its row, or accepted by the conversation object (see outcomesOf). */
export type BulkAnswer = Outcome | { state: 'accepted'; reason: null; messageId: string };

/**
 * Throws only what is not a refusal (D1, the object): the queue retries, and the claim keeps the message id. An
 * accepted send's outcome is read with the batch's others (outcomesOf): one read for them all, not one each.
 */
export async function sendBulk(env: Env, s: BulkSend): Promise<BulkAnswer> {
  // Bulk sends go to the whole company; their audience decided whom.
  const auth: CompanyAuth = { companyId: s.companyId, actor: s.actor, scope: UNSCOPED };
  if (!s.person) return { state: 'skipped', reason: 'person_deleted', messageId: null };
  try {
    const messageId = await sendThroughConversation(env, auth, s.person, s.messageId, {
      sale_type: s.saleType,
      template: { ...s.template, params: s.params, ...(s.headerMedia ? { header_media: s.headerMedia } : {}) },
    });
    return { state: 'accepted', reason: null, messageId };
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    const reason = SKIP_FOR_REFUSAL[err.code];
    if (reason) return { state: 'skipped', reason, messageId: null };
    if (err.code === 'not_found' || err.code === 'no_person')
      return { state: 'skipped', reason: 'person_deleted', messageId: null };
    return { state: 'failed', reason: err.code, messageId: null };
  }
}

/** D1 allows 100 bound parameters per statement. */
const CHUNK = 90;

/**
 * The outcomes of a batch's accepted sends, from their history notes as the conversation objects left them (sent,
 * or failed with Meta's code): one read per 90 messages. A message missing from history throws (the queue retries).
 */
export async function outcomesOf(db: ReadDb, companyId: string, messageIds: string[]): Promise<Map<string, Outcome>> {
  const out = new Map<string, Outcome>();
  for (let i = 0; i < messageIds.length; i += CHUNK) {
    const ids = messageIds.slice(i, i + CHUNK);
    const { results } = await db
      .prepare(
        `SELECT id, status, json_extract(CASE WHEN json_valid(error) THEN error END, '$.code') AS code
           FROM history_notes WHERE company_id = ?1 AND id IN (${ids.map((_, j) => `?${j + 2}`).join(', ')})`,
      )
      .bind(companyId, ...ids)
      .all<{ id: string; status: string | null; code: unknown }>();
    for (const r of results) out.set(r.id, outcomeOf(r.id, r.status, r.code));
  }
  const missing = messageIds.filter((id) => !out.has(id));
  if (missing.length > 0) throw new Error(`messages ${missing.join(', ')} were accepted but not recorded`);
  return out;
}

/**
 * The statements that settle a batch's rows: each refusal's outcome as it came, each accepted send's read from
 * its note (outcomesOf, per company, on the database the batch claimed its rows in).
 */
export async function settledAnswers<A extends { companyId: string; answer: BulkAnswer }>(
  db: ReadDb,
  answers: A[],
  settle: (a: A, outcome: Outcome) => D1PreparedStatement[],
): Promise<D1PreparedStatement[]> {
  const accepted = new Map<string, string[]>();
  for (const { companyId, answer } of answers)
    if (answer.state === 'accepted') accepted.set(companyId, [...(accepted.get(companyId) ?? []), answer.messageId]);
  const read = new Map<string, Outcome>();
  for (const [companyId, ids] of accepted)
    for (const [id, outcome] of await outcomesOf(db, companyId, ids)) read.set(id, outcome);
  return answers.flatMap((a) => {
    const outcome = a.answer.state === 'accepted' ? read.get(a.answer.messageId) : a.answer;
    return outcome ? settle(a, outcome) : [];
  });
}
