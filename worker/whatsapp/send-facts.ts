import { and, eq } from 'drizzle-orm';
import { companyDb } from '../db/company-data';
import { companies, conversationWindows, people, templates } from '../db/schema';
import type { MetaCredentials, OutboundContent } from './meta/types';
import { companyNumbersQuery, credentialsFor, type NumberRow, sendingNumber } from './numbers';
import { isWindowOpen, type SendFacts, type TemplateParamsFacts } from './policy';
import { resolveTemplate } from './templates/resolve';

export type CompanyRow = typeof companies.$inferSelect;
export type PersonRow = typeof people.$inferSelect;
export type WindowRow = Pick<typeof conversationWindows.$inferSelect, 'phoneNumberId' | 'phone' | 'lastInboundAt'>;

export interface LoadedSend {
  company: CompanyRow;
  person: PersonRow;
  /** The number this message goes from (numbers.sendingNumber); null when the company has no enabled number. */
  number: NumberRow | null;
  facts: Omit<SendFacts, 'windowOpen'>;
  /** The content to record and send: a template comes back filled in for this person (`resolved`). */
  content: OutboundContent;
  /** The person's last message to each business number, and the phone it came from (migrations/0030). */
  windows: WindowRow[];
}

const NO_PROBLEM: TemplateParamsFacts = { missing: [], extra: [] };

/** Reads, in one round trip, everything the policy needs to decide on a send. Null when the person is gone. */
export async function loadSendFacts(
  env: Env,
  companyId: string,
  personId: string,
  content: OutboundContent,
): Promise<LoadedSend | null> {
  const db = companyDb(env, companyId);
  const company = db.select().from(companies).where(eq(companies.id, companyId));
  const person = db
    .select()
    .from(people)
    .where(and(eq(people.id, personId), eq(people.companyId, companyId)));
  const numbers = companyNumbersQuery(db, companyId);
  // A template reads its row; free text reads the window instead, the one thing Meta lets it go by: four
  // statements either way, not five (an automated send reads no window it does not need).
  if (content.kind !== 'template') {
    const windows = db
      .select({
        phoneNumberId: conversationWindows.phoneNumberId,
        phone: conversationWindows.phone,
        lastInboundAt: conversationWindows.lastInboundAt,
      })
      .from(conversationWindows)
      .where(eq(conversationWindows.personId, personId));
    const [companyRows, personRows, numberRows, windowRows] = await db.batch([company, person, numbers, windows]);
    const facts = sendBase(companyRows[0], personRows[0], numberRows);
    if (!facts) return null;
    return { ...facts.loaded, facts: { ...facts.base, message: { kind: content.kind } }, content, windows: windowRows };
  }
  const template = db
    .select()
    .from(templates)
    .where(
      and(
        eq(templates.companyId, companyId),
        eq(templates.name, content.template.name),
        eq(templates.language, content.template.language),
      ),
    );
  const [companyRows, personRows, numberRows, templateRows] = await db.batch([company, person, numbers, template]);
  const facts = sendBase(companyRows[0], personRows[0], numberRows);
  if (!facts) return null;
  return { ...templateSend(facts.loaded, templateRows[0] ?? null, content, facts.base), windows: [] };
}

/** The company, person and number a send goes with, and the facts every kind of message is checked against. */
function sendBase(company: CompanyRow | undefined, person: PersonRow | undefined, numberRows: NumberRow[]) {
  if (!company || !person) return null;
  const number = sendingNumber(numberRows, person);
  const base = {
    whatsappEnabled: company.whatsappEnabled && !!number && !!(number.accessTokenEnc ?? company.accessTokenEnc),
    optedOut: person.whatsappOptedOut,
    erased: person.erasedAt !== null,
    marketingStopped: person.whatsappMarketingStopped,
    hasPhone: !!person.phone,
  };
  return { loaded: { company, person, number }, base };
}

/** A template send: filled in for this person, with what its row (if any) says about it. */
function templateSend(
  loaded: Pick<LoadedSend, 'company' | 'person' | 'number'>,
  template: typeof templates.$inferSelect | null,
  content: Extract<OutboundContent, { kind: 'template' }>,
  base: Omit<SendFacts, 'windowOpen' | 'message'>,
): Omit<LoadedSend, 'windows'> {
  const { company, person } = loaded;
  let params = NO_PROBLEM;
  let filled: OutboundContent = content;
  if (template) {
    // Fixed once (values recorded with the message); a retry re-checks them against the template as it is now.
    const given = content.resolved?.values ?? content.template.params;
    const media = content.resolved?.headerMedia ?? content.template.header_media;
    const r = resolveTemplate(template, given, person, company, media ? { media } : {});
    if (r.ok) filled = { ...content, resolved: r.resolved };
    else params = { missing: r.missing, extra: r.extra, ...(r.header ? { header: r.header } : {}) };
  }
  return {
    ...loaded,
    facts: {
      ...base,
      message: {
        kind: 'template',
        template: template && { status: template.status, category: template.category },
        params,
      },
    },
    content: filled,
  };
}

/**
 * Meta's window is per person and business number: open only on the number this send goes from, for the phone
 * that wrote to it, for 24 hours from Meta's time of their last message there.
 */
export function windowOpenIn(loaded: LoadedSend, now: number): boolean {
  const { phone } = loaded.person;
  const numberId = loaded.number?.phoneNumberId;
  const row = loaded.windows.find((w) => w.phoneNumberId === numberId);
  return !!phone && !!row && row.phone === phone && isWindowOpen(row.lastInboundAt, now);
}

/** The credentials of the number this send goes from; null when there is none or no token. */
export async function credentialsOf(env: Env, loaded: LoadedSend): Promise<MetaCredentials | null> {
  return loaded.number ? credentialsFor(env, loaded.company, loaded.number) : null;
}

/** The person's WhatsApp id: their E.164 number without the plus. */
export const waIdOf = (phone: string): string => phone.replace(/^\+/, '');
