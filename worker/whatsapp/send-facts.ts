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
  const templateName = content.kind === 'template' ? content.template.name : '';
  const templateLanguage = content.kind === 'template' ? content.template.language : '';
  const [companyRows, personRows, templateRows, numberRows, windows] = await db.batch([
    db.select().from(companies).where(eq(companies.id, companyId)),
    db
      .select()
      .from(people)
      .where(and(eq(people.id, personId), eq(people.companyId, companyId))),
    db
      .select()
      .from(templates)
      .where(
        and(
          eq(templates.companyId, companyId),
          eq(templates.name, templateName),
          eq(templates.language, templateLanguage),
        ),
      ),
    companyNumbersQuery(db, companyId),
    db
      .select({
        phoneNumberId: conversationWindows.phoneNumberId,
        phone: conversationWindows.phone,
        lastInboundAt: conversationWindows.lastInboundAt,
      })
      .from(conversationWindows)
      .where(eq(conversationWindows.personId, personId)),
  ]);
  const company = companyRows[0];
  const person = personRows[0];
  if (!company || !person) return null;
  const number = sendingNumber(numberRows, person);
  const base = {
    whatsappEnabled: company.whatsappEnabled && !!number && !!(number.accessTokenEnc ?? company.accessTokenEnc),
    optedOut: person.whatsappOptedOut,
    erased: person.erasedAt !== null,
    marketingStopped: person.whatsappMarketingStopped,
    hasPhone: !!person.phone,
  };
  if (content.kind !== 'template')
    return { company, person, number, facts: { ...base, message: { kind: content.kind } }, content, windows };

  const template = templateRows[0] ?? null;
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
    company,
    person,
    number,
    facts: {
      ...base,
      message: {
        kind: 'template',
        template: template && { status: template.status, category: template.category },
        params,
      },
    },
    content: filled,
    windows,
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
