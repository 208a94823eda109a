// The funnel: the leads added in the range by the stage they are in now, and how many moved from the pipeline's
// first stage to a won one in the range (people.won_at, kept by migrations/0021_reports.sql), per club,
// salesperson (the lead's owner) and source. Two statements over people's company indexes: one range of
// people_company_stage_created per stage (at most 12), and people_company_won.
import type { ReadDb } from '../db/company-data';
import { clubCondition, params, type ReportFilter } from './filters';
import { namer } from './names';
import { share } from './stats';

/**
 * Where a lead came from, by who added them: they wrote in on WhatsApp, the company's integration (an API key,
 * e.g. a web form) sent them, or staff added them in the app.
 */
export const SOURCE_SQL = `CASE json_extract(created_by, '$.kind') WHEN 'whatsapp' THEN 'whatsapp' WHEN 'api_key' THEN 'api'
  WHEN 'user' THEN 'staff' ELSE 'other' END`;

interface Row {
  stage_id?: string;
  club_id: string | null;
  owner_user_id: string | null;
  source: string;
  n: number;
}

interface Group {
  added: number;
  won: number;
}

export async function funnel(db: ReadDb, users: { id: string; name: string }[], f: ReportFilter) {
  const owner = (p: (v: unknown) => string) => (f.userId === null ? '' : ` AND owner_user_id = ${p(f.userId)}`);
  const added = params();
  const a = added.p;
  const addedSql = `SELECT stage_id, club_id, owner_user_id, ${SOURCE_SQL} AS source, COUNT(*) AS n FROM people
     WHERE company_id = ${a(f.companyId)} AND created_at >= ${a(f.startMs)} AND created_at < ${a(f.endMs)}
       AND stage_id IN (SELECT id FROM pipeline_stages WHERE company_id = ${a(f.companyId)})${clubCondition(f, 'club_id', a)}${owner(a)}
     GROUP BY 1, 2, 3, 4`;
  const won = params();
  const w = won.p;
  const wonSql = `SELECT club_id, owner_user_id, ${SOURCE_SQL} AS source, COUNT(*) AS n FROM people
     WHERE company_id = ${w(f.companyId)} AND won_at IS NOT NULL AND won_at >= ${w(f.startMs)} AND won_at < ${w(f.endMs)}
       ${clubCondition(f, 'club_id', w)}${owner(w)}
     GROUP BY 1, 2, 3`;
  const [addedRows, wonRows, stageRows, clubRows] = await db.batch([
    db.prepare(addedSql).bind(...added.values),
    db.prepare(wonSql).bind(...won.values),
    db
      .prepare('SELECT id, name, outcome FROM pipeline_stages WHERE company_id = ?1 ORDER BY position, id')
      .bind(f.companyId),
    db.prepare('SELECT id, name FROM clubs WHERE company_id = ?1').bind(f.companyId),
  ]);
  const stages = (stageRows?.results ?? []) as unknown as { id: string; name: string; outcome: string }[];
  const perStage = new Map(stages.map((s) => [s.id, 0]));
  const groups = {
    club: new Map<string, Group>(),
    user: new Map<string | null, Group>(),
    source: new Map<string, Group>(),
  };
  const bump = <K>(map: Map<K, Group>, key: K, field: keyof Group, n: number) => {
    const g = map.get(key) ?? { added: 0, won: 0 };
    g[field] += n;
    map.set(key, g);
  };
  const totals: Group = { added: 0, won: 0 };
  const tally = (rows: Row[], field: keyof Group) => {
    for (const r of rows) {
      totals[field] += r.n;
      if (r.stage_id !== undefined) perStage.set(r.stage_id, (perStage.get(r.stage_id) ?? 0) + r.n);
      bump(groups.club, r.club_id ?? '', field, r.n);
      bump(groups.user, r.owner_user_id, field, r.n);
      bump(groups.source, r.source, field, r.n);
    }
  };
  tally((addedRows?.results ?? []) as unknown as Row[], 'added');
  tally((wonRows?.results ?? []) as unknown as Row[], 'won');
  const clubName = namer((clubRows?.results ?? []) as unknown as { id: string; name: string }[]);
  const userName = namer(users);
  const withRate = (g: Group) => ({ ...g, win_rate: share(g.won, g.added) });
  const order = (x: { added: number; won: number }, y: { added: number; won: number }) =>
    y.added - x.added || y.won - x.won;
  return {
    stages: stages.map((s) => ({ stage_id: s.id, name: s.name, outcome: s.outcome, leads: perStage.get(s.id) ?? 0 })),
    ...withRate(totals),
    by_club: [...groups.club].map(([id, g]) => ({ club_id: id, name: clubName(id) ?? id, ...withRate(g) })).sort(order),
    by_user: [...groups.user].map(([id, g]) => ({ user_id: id, name: userName(id), ...withRate(g) })).sort(order),
    by_source: [...groups.source].map(([source, g]) => ({ source, ...withRate(g) })).sort(order),
  };
}
