// The ads report: per click-to-WhatsApp ad, the leads it brought in a period, how many of them replied, and how
// many joined. A lead is a person whose first ad is that ad (people.ad_source_id), counted in the period their
// first message from it arrived (people.ad_lead_at, Meta's time). Replied: they wrote again after our first
// answer (the conversation went past the ad's opening message). Joined: they are now in one of the pipeline's won
// stages (pipeline_stages.outcome = 'won'). The walk is people_company_ad_lead_at's range for the period; each
// lead's reply is two probes of history_notes_person_type, so no request reads a company's history.
import type { Scope } from '#common/scope';
import { leadSourceJson } from '../ads/referral';
import { inline, scopeCondition } from '../auth/scope-sql';
import type { ReadDb } from '../db/company-data';

export interface AdRow {
  source_id: string;
  headline: string | null;
  source_url: string | null;
  source_type: string | null;
  leads: number;
  replies: number;
  joined: number;
  /** A lead's message from this ad, whose picture GET /people/{id}/ad-thumbnail/{note_id} serves. */
  sample: { person_id: string; note_id: string } | null;
}

interface Row {
  ad: string;
  leads: number;
  replies: number;
  joined: number;
  sample_person: string | null;
  sample_source: string | null;
}

const SCOPE_COLUMNS = { club: 'p.club_id', owner: 'p.owner_user_id', status: 'p.status' };

/** The statement, built and not run: tests read its plan. */
export function adsReportQuery(companyId: string, scope: Scope, from: number, to: number) {
  const params: unknown[] = [companyId, from, to];
  const bind = (v: unknown) => {
    params.push(v);
    return `?${params.length}`;
  };
  const scoped = scopeCondition(scope, SCOPE_COLUMNS);
  const scopeSql = scoped ? ` AND ${inline(scoped, bind)}` : '';
  // Our first answer after the ad's message, then any message of theirs after it (a reaction is no reply). Meta
  // stamps theirs in whole seconds and ours carry milliseconds: a reply in the same second as our answer counts
  // (as the inbox orders them, history_notes.inbox_at).
  const firstAnswer = `(SELECT MIN(o.occurred_at) FROM history_notes o
      WHERE o.company_id = p.company_id AND o.person_id = p.id AND o.type = 'whatsapp_sent' AND o.occurred_at >= p.ad_lead_at)`;
  const replied = `EXISTS (SELECT 1 FROM history_notes r
      WHERE r.company_id = p.company_id AND r.person_id = p.id AND r.type = 'whatsapp_received'
        AND r.occurred_at > ${firstAnswer} - 1000 AND coalesce(r.message_type, '') <> 'reaction')`;
  const sql = `WITH leads AS (
      SELECT p.id, p.ad_source_id AS ad, p.ad_lead_at, ${replied} AS replied,
             EXISTS (SELECT 1 FROM pipeline_stages s WHERE s.id = p.stage_id AND s.outcome = 'won') AS joined
        FROM people p INDEXED BY people_company_ad_lead_at
       WHERE p.company_id = ?1 AND p.ad_source_id IS NOT NULL AND p.ad_lead_at >= ?2 AND p.ad_lead_at < ?3${scopeSql})
    SELECT ad, COUNT(*) AS leads, SUM(replied) AS replies, SUM(joined) AS joined,
           (SELECT l.id FROM leads l WHERE l.ad = leads.ad ORDER BY l.ad_lead_at DESC LIMIT 1) AS sample_person,
           (SELECT q.lead_source_first FROM people q WHERE q.id =
              (SELECT l.id FROM leads l WHERE l.ad = leads.ad ORDER BY l.ad_lead_at DESC LIMIT 1)) AS sample_source
      FROM leads GROUP BY ad ORDER BY leads DESC, ad`;
  return { sql, params };
}

export async function adsReport(
  db: ReadDb,
  who: { companyId: string; scope: Scope },
  from: number,
  to: number,
): Promise<AdRow[]> {
  const q = adsReportQuery(who.companyId, who.scope, from, to);
  const { results } = await db
    .prepare(q.sql)
    .bind(...q.params)
    .all<Row>();
  return results.map((r) => {
    const source = leadSourceJson(parse(r.sample_source));
    return {
      source_id: r.ad,
      headline: source?.headline ?? null,
      source_url: source?.source_url ?? null,
      source_type: source?.source_type ?? null,
      leads: r.leads,
      replies: r.replies,
      joined: r.joined,
      sample: source && r.sample_person ? { person_id: r.sample_person, note_id: source.note_id } : null,
    };
  });
}

function parse(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
