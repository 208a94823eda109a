// Claiming and settling a bulk send, for automated items' occurrences and broadcasts' recipients alike (the two
// tables share these columns). The first claim fixes the parameters and the message id in the statement that
// claims, and the conversation object sends one id once, so a redelivered queue message or a consumer that died
// halfway resumes the very same message. A marketing template's claim also takes a place under the company's
// frequency cap in the same batch (frequency-cap.ts).
import type { OccurrenceState } from '../../db/column-types';
import { newId } from '../../ids';
import {
  type ClaimTable,
  capGuardSql,
  capReleaseStatement,
  capReserveStatement,
  capSkipStatement,
  type FrequencyCap,
} from '../frequency-cap';

export interface Outcome {
  state: Exclude<OccurrenceState, 'pending'>;
  reason: string | null;
  messageId: string | null;
}

export function finishStatement(
  d1: D1Database,
  table: ClaimTable,
  id: string,
  o: Outcome,
  now: number,
  unclaimedOnly = false,
): D1PreparedStatement {
  return d1
    .prepare(
      `UPDATE ${table} SET state = ?2, reason = ?3, message_id = ?4, updated_at = ?5
     WHERE id = ?1 AND state = 'pending'${unclaimedOnly ? ' AND claimed_at IS NULL' : ''}`,
    )
    .bind(id, o.state, o.reason, o.messageId, now);
}

/** The outcome's statements: the row settled, and a cap place given back when the send never reached Meta. */
export function settleStatements(
  d1: D1Database,
  table: ClaimTable,
  id: string,
  o: Outcome,
  now: number,
): D1PreparedStatement[] {
  const out = [finishStatement(d1, table, id, o, now)];
  if (o.messageId === null) out.push(capReleaseStatement(d1, id));
  return out;
}

export interface ClaimRow {
  id: string;
  companyId: string;
  personId: string;
  params: string[];
}

/**
 * The statements that claim one row, in batch order, and which of them answers the claim (RETURNING params and
 * message_id; nothing when another consumer finished it, or the cap skipped it). `cap`: null for a template
 * that is not MARKETING.
 */
export function claimStatements(
  d1: D1Database,
  table: ClaimTable,
  row: ClaimRow,
  now: number,
  cap: FrequencyCap | null,
): { statements: D1PreparedStatement[]; claimAt: number } {
  const claim = d1
    .prepare(
      `UPDATE ${table}
        SET claimed_at = coalesce(claimed_at, ?2), params = coalesce(params, ?3), message_id = coalesce(message_id, ?4)
      WHERE id = ?1 AND state = 'pending'${cap ? ` AND ${capGuardSql('?1')}` : ''} RETURNING params, message_id`,
    )
    .bind(row.id, now, JSON.stringify(row.params), newId('his'));
  if (!cap) return { statements: [claim], claimAt: 0 };
  return {
    statements: [capReserveStatement(d1, table, row, cap, now), claim, capSkipStatement(d1, table, row.id, now)],
    claimAt: 1,
  };
}

export interface Claimed {
  params: string;
  message_id: string;
}

export function storedParams(row: Claimed, fallback: string[]): string[] {
  const stored: unknown = JSON.parse(row.params);
  return Array.isArray(stored) ? stored.map(String) : fallback;
}
