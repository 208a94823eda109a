// The queue side of broadcasts: the automated items' consumer (one Queue) hands over messages of kind
// 'broadcast'. Each waiting recipient is checked (opted out, no phone, no consent, marketing stopped, a variable
// without a value), claimed (the claim fixes the params and the message id, and takes the person's place under
// the frequency cap in the same batch) and sent at its number's pace through the same send path as any message.
import { and, eq, inArray } from 'drizzle-orm';
import type { SkipReason } from '#common/skip-reasons';
import { drizzleOf } from '../../db/client';
import { companyDatabase } from '../../db/company-data';
import { broadcastRecipients, broadcasts, companies, consentLog, people, whatsappNumbers } from '../../db/schema';
import { type BulkAnswer, sendBulk, settledAnswers } from '../automations/bulk-send';
import { type Claimed, claimStatements, finishStatement, settleStatements, storedParams } from '../automations/claims';
import { sendPaced } from '../automations/paced';
import { rowParams } from '../automations/params';
import { DEFAULT_SEND_WINDOW, inSendWindow } from '../automations/triggers';
import { capOf } from '../frequency-cap';
import type { PersonRow } from '../send-facts';
import { findTemplate, isApproved } from '../templates/store';
import type { BroadcastRow } from './service';
import { finishIfDone, pauseBroadcast } from './sweep';

type RecipientRow = typeof broadcastRecipients.$inferSelect;
const TABLE = 'broadcast_recipients';

interface Ready {
  recipient: RecipientRow;
  broadcast: BroadcastRow;
  person: PersonRow | undefined;
  params: string[];
  messageId: string;
  companyId: string;
  companyRate: number | null;
}

/**
 * Handles the named recipients at `now`. Finished ones are left alone; while the broadcast is paused, or outside
 * its send window, waiting ones are handed back (enqueued_at cleared) for the sweep to queue again when it may
 * send. Throws when some send could not be settled, so the queue retries the message.
 */
export async function processRecipients(env: Env, ids: string[], now: number, companyId: string): Promise<void> {
  if (ids.length === 0) return;
  const startedAt = Date.now();
  const clock = () => now + (Date.now() - startedAt);
  const d1 = companyDatabase(env, companyId);
  const db = drizzleOf(d1);
  const rows = await db.select().from(broadcastRecipients).where(inArray(broadcastRecipients.id, ids)).all();
  const pending = rows.filter((r) => r.state === 'pending' && r.companyId === companyId);
  if (pending.length === 0) return;
  const broadcastIds = [...new Set(pending.map((r) => r.broadcastId))];
  const personIds = pending.map((r) => r.personId);
  const [broadcastRows, company, personRows, numberRows] = await Promise.all([
    db.select().from(broadcasts).where(inArray(broadcasts.id, broadcastIds)).all(),
    db.select().from(companies).where(eq(companies.id, companyId)).get(),
    db.select().from(people).where(inArray(people.id, personIds)).all(),
    db.select().from(whatsappNumbers).where(eq(whatsappNumbers.companyId, companyId)).all(),
  ]);
  if (!company) return;
  const consented = new Set(
    (
      await db
        .selectDistinct({ personId: consentLog.personId })
        .from(consentLog)
        .where(
          and(
            eq(consentLog.companyId, companyId),
            inArray(consentLog.personId, personIds),
            eq(consentLog.channel, 'whatsapp'),
            eq(consentLog.action, 'opt_in'),
          ),
        )
        .all()
    ).map((r) => r.personId),
  );
  const byId = new Map(broadcastRows.map((b) => [b.id, b]));
  const personById = new Map(personRows.map((p) => [p.id, p]));

  const settled: D1PreparedStatement[] = [];
  const handBack: string[] = [];
  const skip = (r: RecipientRow, reason: SkipReason) =>
    settled.push(
      finishStatement(d1, TABLE, r.id, { state: 'skipped', reason, messageId: null }, now, r.claimedAt === null),
    );
  const candidates: Omit<Ready, 'messageId'>[] = [];
  const claims: ReturnType<typeof claimStatements>[] = [];
  for (const broadcastId of broadcastIds) {
    const broadcast = byId.get(broadcastId);
    const mine = pending.filter((r) => r.broadcastId === broadcastId);
    // Cancelled: the cancel settled the waiting ones; any it met claimed stay for their consumer.
    if (!broadcast || broadcast.state === 'cancelled') continue;
    const window = broadcast.sendWindow ?? DEFAULT_SEND_WINDOW;
    if (broadcast.state !== 'running' || !inSendWindow(now, company.timezone, window)) {
      handBack.push(...mine.filter((r) => r.claimedAt === null).map((r) => r.id));
      continue;
    }
    const template = await findTemplate(db, companyId, broadcast.templateName, broadcast.templateLanguage);
    if (!template || !isApproved(template)) {
      await pauseBroadcast(env, broadcast, `Template ${broadcast.templateName} is no longer APPROVED`, now);
      handBack.push(...mine.filter((r) => r.claimedAt === null).map((r) => r.id));
      continue;
    }
    const marketing = template.category === 'MARKETING';
    for (const r of mine) {
      const person = personById.get(r.personId);
      // Decided here only for a recipient never claimed: a claimed one may already be at the conversation object.
      if (r.claimedAt === null && person) {
        if (person.whatsappOptedOut) {
          skip(r, 'opted_out');
          continue;
        }
        if (!person.phone) {
          skip(r, 'no_phone');
          continue;
        }
        if (broadcast.audience?.consent_recorded && !consented.has(person.id)) {
          skip(r, 'no_consent');
          continue;
        }
        if (marketing && person.whatsappMarketingStopped) {
          skip(r, 'marketing_stopped');
          continue;
        }
      }
      const params = rowParams(r.params, template, broadcast.variables, person, company);
      if (!params) {
        skip(r, 'missing_variable');
        continue;
      }
      candidates.push({
        recipient: r,
        broadcast,
        person,
        params,
        companyId,
        companyRate: company.messagesPerSecond,
      });
      claims.push(
        claimStatements(
          d1,
          TABLE,
          { id: r.id, companyId, personId: r.personId, params },
          now,
          marketing ? capOf(company) : null,
        ),
      );
    }
  }
  if (handBack.length > 0)
    settled.push(
      d1
        .prepare(
          `UPDATE broadcast_recipients SET enqueued_at = NULL
            WHERE id IN (SELECT value FROM json_each(?1)) AND state = 'pending' AND claimed_at IS NULL`,
        )
        .bind(JSON.stringify(handBack)),
    );
  const statements = claims.flatMap((c) => c.statements);
  if (settled.length + statements.length === 0) return;
  const results = await d1.batch<Claimed>([...settled, ...statements]);
  const ready: Ready[] = [];
  let offset = settled.length;
  candidates.forEach((c, i) => {
    const claim = claims[i];
    if (!claim) return;
    const claimed = results[offset + claim.claimAt]?.results[0];
    offset += claim.statements.length;
    // Nothing: another consumer finished it meanwhile, or the frequency cap skipped it in this batch.
    if (claimed) ready.push({ ...c, params: storedParams(claimed, c.params), messageId: claimed.message_id });
  });

  const answers: { recipientId: string; companyId: string; answer: BulkAnswer }[] = [];
  const errors = await sendPaced(env, ready, numberRows, async (w) => {
    const answer = await sendBulk(env, {
      companyId,
      actor: { kind: 'broadcast', id: w.broadcast.id, name: w.broadcast.name },
      person: w.person,
      messageId: w.messageId,
      saleType: w.broadcast.saleType,
      template: { name: w.broadcast.templateName, language: w.broadcast.templateLanguage },
      params: w.params,
      ...(w.broadcast.headerMedia ? { headerMedia: w.broadcast.headerMedia } : {}),
    });
    answers.push({ recipientId: w.recipient.id, companyId, answer });
  });
  // Recorded even when some sends failed: those stay pending and claimed, and the retry resumes them.
  const outcomes = await settledAnswers(d1, answers, (a, outcome) =>
    settleStatements(d1, TABLE, a.recipientId, outcome, clock()),
  );
  if (outcomes.length > 0) await d1.batch(outcomes);
  for (const id of broadcastIds) await finishIfDone(d1, id, clock());
  if (errors.length > 0) throw new AggregateError(errors, `${errors.length} broadcast send(s) not settled`);
}
