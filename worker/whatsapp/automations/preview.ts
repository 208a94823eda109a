// POST /:id/preview: who is due now and what they would be sent, and who would be skipped and why, without
// sending or recording anything. The people come from the sweep's own queries (candidates.ts) and the
// refusals from the send path's own policy, so the preview cannot drift from what a run does.
import type { z } from '@hono/zod-openapi';
import { inArray } from 'drizzle-orm';
import { renderTemplate } from '#common/templates/components';
import type { Audience } from '../../db/column-types';
import { companyDatabase, companyDb } from '../../db/company-data';
import { people } from '../../db/schema';
import { sendRefusal } from '../policy';
import { loadSendFacts } from '../send-facts';
import { findTemplate, isApproved } from '../templates/store';
import { candidateQueries, occurrenceIdSql } from './candidates';
import { itemParams } from './params';
import type { previewSchema } from './schemas';
import type { AutomationRow, CompanyRow } from './sweep';
import { DEFAULT_SEND_WINDOW, inSendWindow, lookupFor } from './triggers';

const LISTED = 50;

/** The item's audience narrowed to the reader's clubs; a club id nobody has ('') when none of theirs is in it. */
function audienceSeenBy(audience: Audience | null, clubIds: readonly string[] | null): Audience | null {
  if (clubIds === null) return audience;
  const wanted = audience?.club_ids ? audience.club_ids.filter((id) => clubIds.includes(id)) : [...clubIds];
  return { ...(audience ?? {}), club_ids: wanted.length > 0 ? wanted : [''] };
}

/**
 * `clubIds`: the reader's clubs (a user limited to clubs, #common/scope); the preview then counts and lists only
 * their clubs' people, as every other list does for them. Null: every club.
 */
export async function previewAutomation(
  env: Env,
  item: AutomationRow,
  company: CompanyRow,
  now: number,
  clubIds: readonly string[] | null = null,
): Promise<z.infer<typeof previewSchema>> {
  const window = item.sendWindow ?? DEFAULT_SEND_WINDOW;
  const lookup = lookupFor(item.trigger, now, company.timezone, window, item.createdAt);
  const out: z.infer<typeof previewSchema> = {
    in_send_window: inSendWindow(now, company.timezone, window),
    due: 0,
    too_late: 0,
    would_send: [],
    would_skip: [],
    truncated: false,
  };
  const listed: { personId: string; dueAt: number }[] = [];
  for (const q of candidateQueries(company.id, lookup, audienceSeenBy(item.audience, clubIds))) {
    // Only occurrences not handled yet: a person already sent to (or skipped) is not due again.
    const fresh = `${q.whereSql} AND NOT EXISTS (SELECT 1 FROM automation_occurrences o WHERE o.id = ${occurrenceIdSql(q.dueSql)})`;
    const args = [...q.whereArgs, item.id, ...q.dueArgs];
    const total = await companyDatabase(env, company.id)
      .prepare(`SELECT count(*) AS n ${fresh}`)
      .bind(...args)
      .first<{ n: number }>();
    if (q.band === 'too_late') {
      out.too_late += total?.n ?? 0;
      continue;
    }
    out.due += total?.n ?? 0;
    const rows = await companyDatabase(env, company.id)
      .prepare(`SELECT p.id AS id, ${q.dueSql} AS due_at ${fresh} ORDER BY p.id LIMIT ?`)
      .bind(...q.dueArgs, ...args, LISTED)
      .all<{ id: string; due_at: number }>();
    for (const r of rows.results) listed.push({ personId: r.id, dueAt: r.due_at });
  }
  out.truncated = out.due > LISTED;
  const shown = listed.slice(0, LISTED);
  if (shown.length === 0) return out;

  const db = companyDb(env, company.id);
  const template = await findTemplate(db, company.id, item.templateName, item.templateLanguage);
  const personRows = await db
    .select()
    .from(people)
    .where(
      inArray(
        people.id,
        shown.map((s) => s.personId),
      ),
    )
    .all();
  const byId = new Map(personRows.map((p) => [p.id, p]));
  for (const s of shown) {
    const person = byId.get(s.personId);
    if (!person) continue;
    const base = {
      person_id: person.id,
      name: [person.firstName, person.lastName].filter(Boolean).join(' '),
      due_at: new Date(s.dueAt).toISOString(),
    };
    if (!template || !isApproved(template)) {
      out.would_skip.push({ ...base, reason: 'template_not_approved' });
      continue;
    }
    const resolved = itemParams(template, item.variables, person, company);
    if (!resolved.ok) {
      out.would_skip.push({ ...base, reason: 'missing_variable' });
      continue;
    }
    const content = {
      kind: 'template' as const,
      template: { name: template.name, language: template.language, params: resolved.params },
    };
    const loaded = await loadSendFacts(env, company.id, person.id, content);
    // Templates may go outside the 24-hour window, so the window is not what decides here.
    const refusal = loaded ? sendRefusal({ ...loaded.facts, windowOpen: true }) : null;
    if (refusal) {
      out.would_skip.push({ ...base, reason: refusal.code });
      continue;
    }
    const values = Object.fromEntries(template.variables.map((name, i) => [name, resolved.params[i] ?? '']));
    out.would_send.push({
      ...base,
      params: resolved.params,
      body: renderTemplate(template.components, template.parameterFormat, values).body,
    });
  }
  return out;
}
