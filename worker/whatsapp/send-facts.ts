import { and, eq } from 'drizzle-orm';
import { openToken } from '../auth/token-seal';
import { getDb } from '../db/client';
import { companies, people, templates } from '../db/schema';
import type { MetaCredentials, OutboundContent } from './meta/types';
import type { SendFacts } from './policy';

export type CompanyRow = typeof companies.$inferSelect;
export type PersonRow = typeof people.$inferSelect;

export interface LoadedSend {
  company: CompanyRow;
  person: PersonRow;
  facts: Omit<SendFacts, 'windowOpen'>;
}

/** Reads, in one round trip, everything the policy needs to decide on a send. Null when the person is gone. */
export async function loadSendFacts(
  env: Env,
  companyId: string,
  personId: string,
  content: OutboundContent,
): Promise<LoadedSend | null> {
  const db = getDb(env);
  const templateName = content.kind === 'template' ? content.template.name : '';
  const templateLanguage = content.kind === 'template' ? content.template.language : '';
  const [companyRows, personRows, templateRows] = await db.batch([
    db.select().from(companies).where(eq(companies.id, companyId)),
    db
      .select()
      .from(people)
      .where(and(eq(people.id, personId), eq(people.companyId, companyId))),
    db
      .select({ status: templates.status, category: templates.category, bodyParamCount: templates.bodyParamCount })
      .from(templates)
      .where(
        and(
          eq(templates.companyId, companyId),
          eq(templates.name, templateName),
          eq(templates.language, templateLanguage),
        ),
      ),
  ]);
  const company = companyRows[0];
  const person = personRows[0];
  if (!company || !person) return null;
  return {
    company,
    person,
    facts: {
      whatsappEnabled: company.whatsappEnabled && !!company.phoneNumberId && !!company.accessTokenEnc,
      optedOut: person.whatsappOptedOut,
      marketingStopped: person.whatsappMarketingStopped,
      hasPhone: !!person.phone,
      message:
        content.kind === 'text'
          ? { kind: 'text' }
          : { kind: 'template', template: templateRows[0] ?? null, paramCount: content.template.params.length },
    },
  };
}

export async function credentialsOf(env: Env, company: CompanyRow): Promise<MetaCredentials | null> {
  if (!company.phoneNumberId || !company.accessTokenEnc) return null;
  return {
    phoneNumberId: company.phoneNumberId,
    accessToken: await openToken(env, company.id, company.accessTokenEnc),
  };
}

/** The person's WhatsApp id: their E.164 number without the plus. */
export const waIdOf = (phone: string): string => phone.replace(/^\+/, '');
