// One bulk send (an automated item's occurrence, a broadcast's recipient) through the same path as any API send
// (send-service.ts -> the person's conversation object), and what its answer means for the row that claimed it:
// sent, skipped for a reason the run log or report names, or failed.
import { UNSCOPED } from '#common/scope';
import type { SkipReason } from '#common/skip-reasons';
import type { HeaderMedia } from '#common/templates/header-media';
import type { Actor, CompanyAuth } from '../../auth/actor';
import { ApiError } from '../../errors';
import { bulkSkipOfMetaError } from '../policy';
import type { PersonRow } from '../send-facts';
import { sendAsMessage } from '../send-service';
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

const codeOf = (error: unknown): unknown =>
  typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;

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

/** Throws only what is not a refusal (D1, the object): the queue retries, and the claim keeps the message id. */
export async function sendBulk(env: Env, s: BulkSend): Promise<Outcome> {
  // Bulk sends go to the whole company; their audience decided whom.
  const auth: CompanyAuth = { companyId: s.companyId, actor: s.actor, scope: UNSCOPED };
  if (!s.person) return { state: 'skipped', reason: 'person_deleted', messageId: null };
  try {
    const note = await sendAsMessage(env, auth, s.person, s.messageId, {
      sale_type: s.saleType,
      template: { ...s.template, params: s.params, ...(s.headerMedia ? { header_media: s.headerMedia } : {}) },
    });
    return outcomeOf(note.id, note.status, codeOf(note.error));
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    const reason = SKIP_FOR_REFUSAL[err.code];
    if (reason) return { state: 'skipped', reason, messageId: null };
    if (err.code === 'not_found' || err.code === 'no_person')
      return { state: 'skipped', reason: 'person_deleted', messageId: null };
    return { state: 'failed', reason: err.code, messageId: null };
  }
}
