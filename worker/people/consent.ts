// Decides which consent_log rows and history notes an opt-in/opt-out change produces. Pure: the caller writes
// them in the same db.batch as the person update, so state and proof never disagree.
//
// Meta requires proof of opt-in before a business messages someone on WhatsApp
// (https://developers.facebook.com/docs/whatsapp/overview/getting-opt-in): who recorded it, when and how.
// consent_log is append-only (triggers in migrations/0001) so that proof cannot be edited after the fact.
import type { AuditEntry } from '../audit/record';
import type { Actor } from '../auth/actor';
import type { consentLog, historyNotes } from '../db/schema';
import { ApiError } from '../errors';
import { newId } from '../ids';
import type { ConsentInput } from './schemas';

export type ConsentLogInsert = typeof consentLog.$inferInsert;
export type HistoryNoteInsert = typeof historyNotes.$inferInsert;
export type Channel = ConsentLogInsert['channel'];

export interface OptState {
  whatsappOptedOut: boolean;
  smsOptedOut: boolean;
}

export interface ConsentContext {
  companyId: string;
  personId: string;
  actor: Actor;
  now: number;
  /** Where the change came from, kept in the history note: 'api', or 'whatsapp' for a STOP/START keyword. */
  source: string;
}

/** How an opt-out was asked for: `api` (a PUT), `staff` (the profile action), `keyword` (the person sent STOP). */
export interface OptOutHow {
  method: string;
  reason?: string;
}

export interface ConsentRecords {
  log: ConsentLogInsert[];
  notes: HistoryNoteInsert[];
  /** One audit entry per consent_log row: the admin's view of who changed consent and opt-outs. */
  audit: AuditEntry[];
}

export function consentLogRow(
  ctx: ConsentContext,
  channel: Channel,
  action: ConsentLogInsert['action'],
  how: { method: string; text?: string | null; capturedAt?: number; evidenceUrl?: string | null },
): ConsentLogInsert {
  return {
    id: newId('con'),
    companyId: ctx.companyId,
    personId: ctx.personId,
    channel,
    action,
    method: how.method,
    text: how.text ?? null,
    capturedAt: how.capturedAt ?? ctx.now,
    evidenceUrl: how.evidenceUrl ?? null,
    actor: ctx.actor,
  };
}

export function optNote(
  ctx: ConsentContext,
  type: 'whatsapp_opt_in' | 'whatsapp_opt_out',
  content: Record<string, unknown>,
): HistoryNoteInsert {
  return {
    id: newId('his'),
    companyId: ctx.companyId,
    personId: ctx.personId,
    type,
    content: { source: ctx.source, ...content },
    actor: ctx.actor,
    occurredAt: ctx.now,
  };
}

function optInRecords(ctx: ConsentContext, consent: ConsentInput): { log: ConsentLogInsert; note: HistoryNoteInsert } {
  const how = {
    method: consent.method,
    text: consent.text,
    capturedAt: Date.parse(consent.captured_at),
    evidenceUrl: consent.evidence_url ?? null,
  };
  return {
    log: consentLogRow(ctx, 'whatsapp', 'opt_in', how),
    note: optNote(ctx, 'whatsapp_opt_in', {
      method: how.method,
      text: how.text,
      captured_at: new Date(how.capturedAt).toISOString(),
      evidence_url: how.evidenceUrl,
    }),
  };
}

function optOutRecords(ctx: ConsentContext, how: OptOutHow): { log: ConsentLogInsert; note: HistoryNoteInsert } {
  return {
    log: consentLogRow(ctx, 'whatsapp', 'opt_out', { method: how.method, text: how.reason ?? null }),
    note: optNote(ctx, 'whatsapp_opt_out', { method: how.method, ...(how.reason ? { reason: how.reason } : {}) }),
  };
}

/**
 * The records for moving from `before` (null when the person is being created) to `after`.
 * Refuses an opt-in without consent, and consent sent alongside an opt-out (which of the two was meant?).
 * On creation the consent log gets the starting state but no history note is written: nothing changed yet.
 */
export function planConsent(
  ctx: ConsentContext,
  before: OptState | null,
  after: OptState,
  consent: ConsentInput | undefined,
  optOut: OptOutHow,
): ConsentRecords {
  const records: ConsentRecords = { log: [], notes: [], audit: [] };
  const audit = (action: AuditEntry['action'], log: ConsentLogInsert, extra: Record<string, unknown> = {}) =>
    records.audit.push({
      action,
      target: { type: 'person', id: ctx.personId },
      details: { channel: log.channel, method: log.method, ...extra, consent_id: log.id },
    });
  const evidence = (log: ConsentLogInsert) => ({ captured_at: new Date(log.capturedAt).toISOString() });
  if (consent && after.whatsappOptedOut)
    throw new ApiError(
      422,
      'consent_conflict',
      'whatsapp_consent records an opt-in; it cannot be sent while whatsapp_opted_out is true',
    );

  const wasOut = before?.whatsappOptedOut ?? false;
  if (wasOut && !after.whatsappOptedOut) {
    if (!consent)
      throw new ApiError(
        422,
        'consent_required',
        'Opting a person back in to WhatsApp requires whatsapp_consent: {method, text, captured_at}',
      );
    const { log, note } = optInRecords(ctx, consent);
    records.log.push(log);
    audit('person.opted_in', log, evidence(log));
    if (before) records.notes.push(note);
  } else if (!wasOut && after.whatsappOptedOut) {
    const { log, note } = optOutRecords(ctx, optOut);
    records.log.push(log);
    audit('person.opted_out', log, optOut.reason ? { reason: optOut.reason } : {});
    if (before) records.notes.push(note);
  } else if (consent) {
    // Already opted in (or being created opted in): new evidence of consent, but no change worth a note.
    const { log } = optInRecords(ctx, consent);
    records.log.push(log);
    audit('consent.recorded', log, evidence(log));
  }

  const smsWasOut = before?.smsOptedOut ?? false;
  if (smsWasOut !== after.smsOptedOut) {
    const log = consentLogRow(ctx, 'sms', after.smsOptedOut ? 'opt_out' : 'opt_in', { method: optOut.method });
    records.log.push(log);
    audit(after.smsOptedOut ? 'person.opted_out' : 'person.opted_in', log);
  }
  return records;
}
