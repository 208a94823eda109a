// Erasure on request (GDPR article 17): POST /api/v1/people/:id/erase. What goes and what stays:
//
// - Goes: name (first_name becomes "Erased person"), email, membership dates, date of birth; every history
//   note's text, captions, media ids (so the media proxy no longer serves the file), template values, locations,
//   contacts, reactions, Meta's error detail, and the person's WhatsApp profile name on STOP/START notes; messages
//   not yet sent; the template values automated items fixed for them; the remembered answers of sends made with an
//   Idempotency-Key.
// - Stays: the row and its id; each note's type, direction, time, status, category, sale type and wamid (so the
//   counters and usage by category stay true, and a webhook Meta redelivers is recognised, not stored again); the
//   consent log, untouched (append-only: it is the proof Meta may ask for, and now also holds the opt-out this
//   erasure records with method `erasure_request`); the audit log.
// - The phone number and wa_id stay on the row, as a suppression entry. "No message may ever go to that number
//   again without new consent" needs the number itself: the unique (company, phone) index then refuses a second
//   person with it (409 phone_taken), every send path reads the erased, opted-out row and refuses (422
//   person_erased), and an inbound message from the number (in any of its forms, matched through wa_id) lands on
//   this row, still opted out, instead of making a fresh lead that could be messaged. Keeping a number to honour
//   an objection is the suppression list data-protection authorities expect; a salted hash in a separate table
//   would need the same check added to every send, import and inbound path, and could not match Meta's other forms
//   of the number (Brazil's ninth digit, Mexico's "1").
//
// Afterwards the person stays erased and opted out until new consent: a PUT with `whatsapp_consent` (or their own
// START, sent after the erasure) opts them back in and sends go again. Messages they send after the erasure are
// stored as usual: they wrote to the gym again.
import type { AuditBy } from '../audit/record';
import type { CompanyAuth } from '../auth/actor';
import { companyDb } from '../db/company-data';
import { notFound } from '../errors';
import { notifyInbox } from '../realtime/notify';
import { conversationStub } from '../whatsapp/conversation';
import type { PersonRow } from './serialize';
import { findPerson, getPerson } from './service';

/** Idempotent: erasing again removes anything stored since (and is audited again), and opts out nobody twice. */
export async function erasePerson(env: Env, auth: CompanyAuth, by: AuditBy, id: string): Promise<PersonRow> {
  const db = companyDb(env, auth.companyId);
  const person = await getPerson(db, auth, id);
  // Through the person's conversation object, which orders it with their sends and inbound messages.
  await conversationStub(env, auth.companyId, person.id).erase({
    companyId: auth.companyId,
    personId: person.id,
    by,
    repeat: person.erasedAt !== null,
  });
  await notifyInbox(env, auth.companyId, { type: 'erased', personId: person.id });
  // The erased person as they are now, unscoped: the caller could see them a moment ago.
  const erased = await findPerson(db, auth.companyId, person.id);
  if (!erased) throw notFound('Person');
  return erased;
}
