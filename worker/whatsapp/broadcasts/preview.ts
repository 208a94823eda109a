// POST /:id/preview: how many the broadcast would reach if it started now, who would be skipped and why, and
// what Meta would bill, without sending or recording anything. The people come from the start's own audience
// query (audience.ts) and each skip is the consumer's own check in the consumer's order, written as SQL so a
// hundred thousand people are counted in one statement.
import type { z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { isPersonField } from '#common/person-fields';
import type { Scope } from '#common/scope';
import { renderTemplate } from '#common/templates/components';
import type { VariableSource } from '../../db/column-types';
import { companyDatabase, companyDb } from '../../db/company-data';
import { people } from '../../db/schema';
import { itemParams, itemVariableMap } from '../automations/params';
import type { CompanyRow } from '../automations/sweep';
import { capOf, overCapSql, periodStart } from '../frequency-cap';
import { findTemplate, isApproved, type TemplateRow } from '../templates/store';
import { audienceQuery, consentRecordedSql } from './audience';
import type { broadcastPreviewSchema } from './schemas';
import type { BroadcastRow } from './service';

type Preview = z.infer<typeof broadcastPreviewSchema>;
const LISTED = 50;

const blank = (column: string) => `trim(coalesce(${column}, '')) = ''`;

/** SQL over `people p`: true when the person has no value for this source (resolveSource's rule). */
function missingSourceSql(source: VariableSource | undefined, company: CompanyRow): string {
  if (source === undefined) return '1';
  if (typeof source === 'object') return source.text.trim() === '' ? '1' : '0';
  switch (source) {
    case 'first_name':
      return blank('p.first_name');
    case 'last_name':
      return blank('p.last_name');
    case 'full_name':
      return `(${blank('p.first_name')} AND ${blank('p.last_name')})`;
    case 'phone':
      return blank('p.phone');
    case 'email':
      return blank('p.email');
    case 'membership_start':
      return 'p.membership_start IS NULL';
    case 'membership_end':
      return 'p.membership_end IS NULL';
    case 'date_of_birth':
      return 'p.date_of_birth IS NULL';
    case 'company_name':
      return company.name.trim() === '' ? '1' : '0';
  }
}

/** Some variable of the template has no value for the person (the consumer's missing_variable). */
function missingVariableSql(template: TemplateRow, b: BroadcastRow, company: CompanyRow): string {
  const map = { ...template.variableMap, ...itemVariableMap(template, b.variables) };
  const parts = template.variables.map((name) =>
    missingSourceSql(
      map[name] ?? (template.parameterFormat === 'NAMED' && isPersonField(name) ? name : undefined),
      company,
    ),
  );
  return parts.length === 0 ? '0' : `(${parts.join(' OR ')})`;
}

/** The clubs both the broadcast's maker and this reader may see; null: every club. */
function clubsOf(maker: readonly string[] | null, reader: readonly string[] | null): readonly string[] | null {
  if (maker === null) return reader;
  if (reader === null) return maker;
  return maker.filter((id) => reader.includes(id));
}

export async function previewBroadcast(
  env: Env,
  b: BroadcastRow,
  company: CompanyRow,
  scope: Scope,
  now: number,
): Promise<Preview> {
  const template = await findTemplate(companyDb(env, company.id), company.id, b.templateName, b.templateLanguage);
  const marketing = template?.category === 'MARKETING';
  const cap = capOf(company);
  const q = audienceQuery(company.id, b.audience ?? {}, company.timezone, clubsOf(b.createdBy.club_ids, scope.clubIds));
  // The consumer's checks, in its order; the first that holds is the reason.
  const reasons: { sql: string; args: unknown[]; reason: string }[] = [
    { sql: company.whatsappEnabled ? '0' : '1', args: [], reason: 'whatsapp_disabled' },
    { sql: template && isApproved(template) ? '0' : '1', args: [], reason: 'template_not_approved' },
    { sql: 'p.whatsapp_opted_out = 1', args: [], reason: 'opted_out' },
    { sql: 'p.phone IS NULL', args: [], reason: 'no_phone' },
    { sql: b.audience?.consent_recorded ? `NOT ${consentRecordedSql}` : '0', args: [], reason: 'no_consent' },
    { sql: marketing ? 'p.whatsapp_marketing_stopped = 1' : '0', args: [], reason: 'marketing_stopped' },
    { sql: template ? missingVariableSql(template, b, company) : '0', args: [], reason: 'missing_variable' },
    {
      sql: marketing ? overCapSql : '0',
      args: marketing ? [periodStart(cap, now), cap.max] : [],
      reason: 'frequency_cap',
    },
  ];
  const caseSql = `CASE ${reasons.map((r) => `WHEN ${r.sql} THEN '${r.reason}'`).join(' ')} ELSE NULL END`;
  const caseArgs = reasons.flatMap((r) => r.args);
  const d1 = companyDatabase(env, company.id);
  const [groups, listed] = await Promise.all([
    d1
      .prepare(`SELECT ${caseSql} AS reason, count(*) AS n ${q.fromSql} GROUP BY 1`)
      .bind(...caseArgs, ...q.args)
      .all<{ reason: string | null; n: number }>(),
    d1
      .prepare(
        `SELECT p.id, p.first_name, p.last_name, ${caseSql} AS reason ${q.fromSql}
          ORDER BY p.first_name, p.last_name, p.id LIMIT ?`,
      )
      .bind(...caseArgs, ...q.args, LISTED)
      .all<{ id: string; first_name: string; last_name: string | null; reason: string | null }>(),
  ]);
  const out: Preview = {
    audience: 0,
    will_send: 0,
    skipped: {},
    cost: {
      category:
        template?.category === 'UTILITY'
          ? 'utility'
          : template?.category === 'AUTHENTICATION'
            ? 'authentication'
            : 'marketing',
      messages: 0,
    },
    frequency_cap: marketing ? cap : null,
    people: listed.results.map((r) => ({
      person_id: r.id,
      name: [r.first_name, r.last_name].filter(Boolean).join(' '),
      skipped: r.reason,
    })),
    body: null,
  };
  for (const g of groups.results) {
    out.audience += g.n;
    if (g.reason === null) out.will_send += g.n;
    else out.skipped[g.reason] = (out.skipped[g.reason] ?? 0) + g.n;
  }
  out.cost.messages = out.will_send;
  const first = listed.results.find((r) => r.reason === null);
  if (template && first) {
    const person = await companyDb(env, company.id).select().from(people).where(eq(people.id, first.id)).get();
    const resolved = person ? itemParams(template, b.variables, person, company) : null;
    if (resolved?.ok) {
      const values = Object.fromEntries(template.variables.map((name, i) => [name, resolved.params[i] ?? '']));
      out.body = renderTemplate(template.components, template.parameterFormat, values).body;
    }
  }
  return out;
}
