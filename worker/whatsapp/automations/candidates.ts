// The people a Lookup (triggers.ts) finds, as SQL over `people p`: the sweep inserts them as occurrences, the
// preview lists them. One builder, so what the preview shows is what the sweep does.

import type { Audience } from '../../db/column-types';
import type { Band, Lookup } from './triggers';

export interface CandidateQuery {
  band: Band;
  /** SQL for the moment the occurrence fell due (a column expression or a bound number). */
  dueSql: string;
  /** `FROM people p WHERE ...` with its arguments, after `dueArgs`. */
  whereSql: string;
  dueArgs: unknown[];
  whereArgs: unknown[];
}

export function audienceSql(audience: Audience | null, args: unknown[]): string {
  let sql = '';
  if (audience?.statuses?.length) {
    sql += ` AND p.status IN (${audience.statuses.map(() => '?').join(', ')})`;
    args.push(...audience.statuses);
  }
  if (audience?.sale_types?.length) {
    sql += ` AND p.sale_type IN (${audience.sale_types.map(() => '?').join(', ')})`;
    args.push(...audience.sale_types);
  }
  if (audience?.club_ids?.length) {
    sql += ` AND p.club_id IN (${audience.club_ids.map(() => '?').join(', ')})`;
    args.push(...audience.club_ids);
  }
  // Stages and labels, like the rest of the audience, are checked on the rows the trigger's index walk meets:
  // the stage on the row itself, the labels by person_labels' (person, label) primary key, one probe a row.
  if (audience?.stage_ids?.length) {
    sql += ` AND p.stage_id IN (${audience.stage_ids.map(() => '?').join(', ')})`;
    args.push(...audience.stage_ids);
  }
  if (audience?.label_ids?.length) {
    sql += ` AND EXISTS (SELECT 1 FROM person_labels l WHERE l.person_id = p.id
      AND l.label_id IN (${audience.label_ids.map(() => '?').join(', ')}))`;
    args.push(...audience.label_ids);
  }
  // Lead source: the ad that first brought the person, as broadcasts and the directory's ad filter read it.
  if (audience?.source === 'ad') sql += ' AND p.ad_source_id IS NOT NULL';
  if (audience?.ad_ids?.length) {
    sql += ` AND p.ad_source_id IN (${audience.ad_ids.map(() => '?').join(', ')})`;
    args.push(...audience.ad_ids);
  }
  return sql;
}

/** One query per band and matching date; each names only people of `companyId`. */
export function candidateQueries(companyId: string, lookup: Lookup, audience: Audience | null): CandidateQuery[] {
  const base = (cond: string, condArgs: unknown[]) => {
    const whereArgs: unknown[] = [companyId, ...condArgs];
    const whereSql = `FROM people p WHERE p.company_id = ? AND ${cond}${audienceSql(audience, whereArgs)}`;
    return { whereSql, whereArgs };
  };
  switch (lookup.kind) {
    case 'date':
      // Column names come from the Lookup's closed union, never from input.
      return lookup.matches.map((m) => ({
        band: m.band,
        dueSql: '?',
        dueArgs: [m.dueAt],
        ...base(`p.${lookup.column} = ?`, [m.value]),
      }));
    case 'birthday':
      return lookup.matches.map((m) => ({
        band: m.band,
        dueSql: '?',
        dueArgs: [m.dueAt],
        ...base('substr(p.date_of_birth, 6) = ?', [m.value]),
      }));
    case 'hours':
      return lookup.bands.map((b) => {
        let cond = `p.${lookup.column} >= ? AND p.${lookup.column} < ?`;
        const condArgs: unknown[] = [b.from, b.to];
        if (lookup.stageId !== undefined) {
          // First, so the walk is people_company_stage_changed's (company, stage, time) range.
          cond = `p.stage_id = ? AND ${cond}`;
          condArgs.unshift(lookup.stageId);
        }
        if (lookup.createdAfter !== undefined) {
          cond += ' AND p.created_at > ?';
          condArgs.push(lookup.createdAfter);
        }
        if (lookup.unanswered)
          cond += ` AND NOT EXISTS (SELECT 1 FROM history_notes h WHERE h.company_id = p.company_id
            AND h.person_id = p.id AND h.type = 'whatsapp_sent' AND h.occurred_at > p.whatsapp_last_inbound_at)`;
        return {
          band: b.band,
          dueSql: `(p.${lookup.column} + ?)`,
          dueArgs: [lookup.offsetMs],
          ...base(cond, condArgs),
        };
      });
  }
}

/** The occurrence id: item, person and the moment it fell due. The same occurrence always gets the same id. */
export const occurrenceIdSql = (dueSql: string): string => `? || ':' || p.id || ':' || ${dueSql}`;
export const occurrenceId = (automationId: string, personId: string, dueAt: number): string =>
  `${automationId}:${personId}:${dueAt}`;
