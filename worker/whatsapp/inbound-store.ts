// Stores one inbound message: webhook ingest calls this for each message, after finding (or making) its person.
// Everything is decided by ONE D1 batch (D1's transaction), with no call to the conversation object. Its first
// statement stores the note (de-duplicated by its wamid, guarded by the sender still being this person), and the
// note's trigger counts it, opens Meta's window for the number it came to and moves the person's mirror on
// (migrations/0031). The rest of the batch, each guarded by that note so a redelivery changes nothing, only where
// it applies: the wa_id learnt, an ad's lead source, STOP/START, a round-robin owner and the club's away-reply
// facts. The conversation object is called only when an away reply is due (it decides "once per 12 hours" and
// sends it in order with the rest).
//
// Why one statement and no object: measured under webhook ingest (issue 12), the call into the object was about
// a third of an inbound message's server CPU, and folding the batch's four statements into one was worth about 5%
// more messages a second. Nothing the object decided needs it: the window only moves forward from Meta's
// timestamps, so the object reads it from D1 before each send; inbound sale type comes from the conversation row's
// last sent note, in SQL. The batch goes to D1 together with other webhooks' arriving at the same moment
// (db/group-commit.ts): one transaction for several messages, each answered with its own results.
import { adStatements } from '../ads/lead-source';
import type { Actor } from '../auth/actor';
import { enqueueConversion, recorded } from '../conversions/events';
import { commitGrouped, companyDatabase } from '../db/company-data';
import type { Background } from '../db/group-commit';
import { newId } from '../ids';
import * as roundRobin from '../people/round-robin';
import { inboundPreview } from '../push/inbound';
import { notifyInbound } from '../realtime/notify';
import { type AwayFacts, awayFactsStatement, awayReplyContent } from './away-reply';
import { conversationStub } from './conversation';
import * as writes from './history-writes';
import { inboundNote, typedText } from './inbound-content';
import type { InboundMessage } from './meta/webhook-schema';
import type { InboundNumber } from './people-lookup';
import * as policy from './policy';

export interface InboundCommand {
  companyId: string;
  /** The person webhook ingest matched (by wa_id or phone) or created, the phone it has now and the wa_id learnt. */
  person: { id: string; phone: string; saleType: policy.SaleType; waId?: string | null };
  /** The business number it came in on: the window it opens is that number's, as Meta counts it. */
  number: InboundNumber;
  /** Meta's wa_id for the sender (`from`). */
  waId: string;
  profileName?: string;
  message: InboundMessage;
  /** Meta's timestamp, already clamped to our clock (policy.metaTimeMs). */
  occurredAt: number;
}

export interface InboundResult {
  duplicate: boolean;
  personId: string;
  /** The person no longer answers to this sender: nothing was stored, and ingest looks the sender up afresh. */
  stale?: boolean;
}

export async function storeInbound(env: Env, cmd: InboundCommand, background: Background): Promise<InboundResult> {
  const { person } = cmd;
  const record: writes.InboundRecord = {
    noteId: newId('his'),
    companyId: cmd.companyId,
    personId: person.id,
    waId: cmd.waId,
    phoneNumberId: cmd.number.phoneNumberId,
    wamid: cmd.message.id,
    note: inboundNote(cmd.message),
    saleType: person.saleType,
    occurredAt: cmd.occurredAt,
  };
  const db = companyDatabase(env, cmd.companyId);
  const statements = [writes.insertInboundNote(db, record)];
  if (person.waId !== cmd.waId)
    statements.push(writes.learnWaId(db, cmd.companyId, person.id, person.phone, cmd.waId, record.noteId));
  // A message from an ad: the person's first and latest ad, and a lead's LeadSubmitted event (worker/ads/).
  const ad = adStatements(db, record);
  const adEventAt = ad.event ? statements.push(...ad.statements) - 1 : -1;
  const text = typedText(cmd.message);
  const keyword = policy.keywordOf(text);
  if (keyword && text) {
    const actor: Actor = { kind: 'whatsapp', id: cmd.waId, name: cmd.profileName ?? `+${cmd.waId}` };
    statements.push(...writes.keywordStatements(db, record, keyword, actor, text.trim()));
  }
  // A round-robin club gives an unowned person an owner in this same batch (people/round-robin.ts), and the
  // club's away reply is read in it too; each only where the number's lookup found it could apply.
  const roundRobinAt = cmd.number.roundRobin ? statements.push(...roundRobin.statements(db, record)) - 1 : -1;
  const awayAt = cmd.number.awayReply ? statements.push(awayFactsStatement(db, cmd.number.clubId, person.id)) - 1 : -1;
  const results = await commitGrouped(env, cmd.companyId, statements, background);
  let stored = results[0]?.results[0] as writes.StoredInbound | undefined;
  if (!stored) {
    // Nothing stored: a redelivery, a sender who is someone else by now, or (rarely) this very note, committed in a
    // group that never answered (one more read, only on this path).
    const found = await writes.inboundStored(db, record).first<writes.FoundInbound>();
    if (!found) return { duplicate: false, personId: person.id, stale: true };
    if (found.id !== record.noteId) return { duplicate: true, personId: person.id };
    stored = found;
  }

  // Live screens, then Web Push to staff whose app is closed (worker/push/), never for a redelivery: one parcel for
  // the inbox object (carried with any others arriving meanwhile, realtime/notify.ts), which records the event and
  // starts the pushes without waiting for them. Stored without its text (the person was erased since): no preview.
  const erased = !!stored.erased;
  const note = erased ? { messageType: record.note.messageType, body: null } : record.note;
  await notifyInbound(
    env,
    {
      companyId: cmd.companyId,
      personId: person.id,
      messageId: record.noteId,
      preview: inboundPreview(note),
    },
    background,
  );
  if (ad.event && recorded(results[adEventAt]))
    background(enqueueConversion(env, { companyId: cmd.companyId, eventId: ad.event.eventId }));
  const assigned = roundRobinAt >= 0 ? roundRobin.assignedBy(results[roundRobinAt], record) : null;
  if (assigned) background(roundRobin.announceRoundRobin(env, assigned));
  const away = awayAt >= 0 ? (results[awayAt]?.results[0] as AwayFacts | undefined) : undefined;
  const content = keyword || erased ? null : awayReplyContent(away, cmd.occurredAt);
  if (content)
    await conversationStub(env, cmd.companyId, person.id).awayReply({
      companyId: cmd.companyId,
      personId: person.id,
      saleType: stored.sale_type,
      content,
      occurredAt: cmd.occurredAt,
    });
  return { duplicate: false, personId: person.id };
}
