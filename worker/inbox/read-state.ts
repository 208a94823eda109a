// Read and unread, shared by a company's staff: `people.whatsapp_last_read_at` is the inbox time (order.ts) of
// the latest inbound message someone opened; inbound messages after it are unread. Opening a conversation also marks the person's
// messages read at Meta (blue ticks on their phone): marking the latest one marks everything before it.
import { and, desc, eq } from 'drizzle-orm';
import { getDb } from '../db/client';
import { companies, historyNotes, people } from '../db/schema';
import { notFound } from '../errors';
import { notifyInbox } from '../realtime/notify';
import { metaApiFor } from '../whatsapp/meta';
import { credentialsOf } from '../whatsapp/send-facts';
import { inboxTime } from './order';

async function latestInbound(env: Env, companyId: string, personId: string) {
  const db = getDb(env);
  const [personRows, inboundRows] = await db.batch([
    db
      .select({ id: people.id, lastReadAt: people.whatsappLastReadAt })
      .from(people)
      .where(and(eq(people.companyId, companyId), eq(people.id, personId))),
    db
      .select({ wamid: historyNotes.wamid, at: inboxTime })
      .from(historyNotes)
      .where(
        and(
          eq(historyNotes.companyId, companyId),
          eq(historyNotes.personId, personId),
          eq(historyNotes.type, 'whatsapp_received'),
        ),
      )
      .orderBy(desc(inboxTime), desc(historyNotes.createdAt))
      .limit(1),
  ]);
  const person = personRows[0];
  if (!person) throw notFound('Person');
  return { person, latest: inboundRows[0] };
}

export async function markConversationRead(env: Env, companyId: string, personId: string) {
  const { person, latest } = await latestInbound(env, companyId, personId);
  if (!latest) return;
  const db = getDb(env);
  // Never move the mark back: a slower request from another phone must not make messages unread again.
  if ((person.lastReadAt ?? 0) < latest.at) {
    await db
      .update(people)
      .set({ whatsappLastReadAt: latest.at })
      .where(and(eq(people.companyId, companyId), eq(people.id, personId)));
    await notifyInbox(env, companyId, { type: 'person', personId });
  }
  const company = await db.select().from(companies).where(eq(companies.id, companyId)).get();
  if (!latest.wamid || !company?.whatsappEnabled) return;
  const credentials = await credentialsOf(env, company);
  // Blue ticks are a courtesy to the person: markRead logs its failures and never fails the request.
  if (credentials) await metaApiFor(env).markRead(credentials, latest.wamid);
}

/** "Mark as unread": the latest inbound message counts as unread again (WhatsApp does the same). */
export async function markConversationUnread(env: Env, companyId: string, personId: string) {
  const { latest } = await latestInbound(env, companyId, personId);
  if (!latest) return;
  await getDb(env)
    .update(people)
    .set({ whatsappLastReadAt: latest.at - 1 })
    .where(and(eq(people.companyId, companyId), eq(people.id, personId)));
  await notifyInbox(env, companyId, { type: 'person', personId });
}
