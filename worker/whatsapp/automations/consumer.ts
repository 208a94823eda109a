// The queue side of automated items: each message names a few occurrences; each pending one is sent through
// the same path as any API send (send-service.ts -> the person's conversation object). Its message id is fixed
// when the occurrence is first claimed, in the same D1 statement that claims it, and the conversation object
// sends one id once. So a redelivered batch, or a consumer that died halfway, finds either a finished
// occurrence or the very message it had started, never a second send. (The occurrence row is the idempotency
// record: no Idempotency-Key round trips per send, which the 100,000-person benchmark felt.)

import { inArray } from 'drizzle-orm';
import type { SkipReason } from '#common/skip-reasons';
import { drizzleOf, platformDatabase } from '../../db/client';
import { companyDatabase } from '../../db/company-data';
import { automationOccurrences, automations, companies, people, whatsappNumbers } from '../../db/schema';
import { capOf } from '../frequency-cap';
import type { PersonRow } from '../send-facts';
import { findTemplate, isApproved, type TemplateRow } from '../templates/store';
import { type BulkAnswer, sendBulk, settledAnswers } from './bulk-send';
import { type Claimed, claimStatements, finishStatement, settleStatements, storedParams } from './claims';
import { sendPaced } from './paced';
import { rowParams } from './params';
import { pauseAutomation } from './pause';
import type { AutomationRow, CompanyRow } from './sweep';
import { DEFAULT_SEND_WINDOW, inSendWindow, isTooLate } from './triggers';

type OccurrenceRow = typeof automationOccurrences.$inferSelect;
const TABLE = 'automation_occurrences';

interface Candidate {
  occurrence: OccurrenceRow;
  item: AutomationRow;
  company: CompanyRow;
  person: PersonRow | undefined;
  template: TemplateRow;
  params: string[];
}

interface Ready extends Candidate {
  messageId: string;
  companyId: string;
  companyRate: number | null;
}

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
    settled.push(
      finishStatement(d1, TABLE, o.id, { state: 'skipped', reason, messageId: null }, now, o.claimedAt === null),
    );
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
    const params = rowParams(occurrence.params, template, item.variables, person, company);
    if (!params) {
      skip(occurrence, 'missing_variable');
      continue;
    }
    candidates.push({ occurrence, item, company, person, template, params });
  }
  // A MARKETING template's claim also takes the person's place under the company's frequency cap, in this batch.
  const claims = candidates.map((c) =>
    claimStatements(
      d1,
      TABLE,
      { id: c.occurrence.id, companyId: c.company.id, personId: c.occurrence.personId, params: c.params },
      now,
      c.template.category === 'MARKETING' ? capOf(c.company) : null,
    ),
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
    // A claim that matched nothing: another consumer finished it meanwhile, or the cap skipped it.
    if (claimed)
      ready.push({
        ...c,
        params: storedParams(claimed, c.params),
        messageId: claimed.message_id,
        companyId: c.company.id,
        companyRate: c.company.messagesPerSecond,
      });
  });
  if (ready.length === 0) return;

  const answers: { occurrenceId: string; companyId: string; answer: BulkAnswer }[] = [];
  const errors = await sendPaced(env, ready, numberRows, async (w) => {
    const answer = await sendBulk(env, {
      companyId: w.company.id,
      actor: { kind: 'automation', id: w.item.id, name: w.item.name },
      person: w.person,
      messageId: w.messageId,
      saleType: w.item.saleType,
      template: { name: w.template.name, language: w.template.language },
      params: w.params,
      ...(w.item.headerMedia ? { headerMedia: w.item.headerMedia } : {}),
    });
    if (answer.reason === 'template_not_approved') await pauseAutomation(env, w.item, w.template.status);
    answers.push({ occurrenceId: w.occurrence.id, companyId: w.company.id, answer });
  });
  // Recorded even when some sends failed: those stay pending and claimed, and the retry resumes them.
  const outcomes = await settledAnswers(d1, answers, (a, outcome) =>
    settleStatements(d1, TABLE, a.occurrenceId, outcome, clock()),
  );
  if (outcomes.length > 0) await d1.batch(outcomes);
  if (errors.length > 0) throw new AggregateError(errors, `${errors.length} automated send(s) not settled`);
}
