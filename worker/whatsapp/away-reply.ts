// A club's away reply: when someone writes outside the club's opening hours, one free-text answer goes (they just
// wrote, so the window is open), at most once per person per 12 hours, never to STOP or START. The conversation
// object decides it (one call at a time per person) from facts read in its inbound batch, and sends it through
// its own send path, so every rule of a send (opt-out, erasure, WhatsApp switched off) holds for it too.
import { INTERACTIVE_LIMITS, replyButtons } from '#common/interactive/interactive-rules';
import type { Actor } from '../auth/actor';
import { isOpen, nextOpening } from '../clubs/hours';
import type { AwayReply, OpeningHours } from '../db/column-types';
import type { OutboundContent } from './meta/types';

export const AWAY_REPLY_EVERY_MS = 12 * 60 * 60 * 1000;
/** A message this old when it reaches us is answered by a person, not by an away reply that would come late. */
export const AWAY_REPLY_MAX_AGE_MS = 60 * 60 * 1000;

/** Who the history says sent it: automatic, not a member of staff. */
export const AWAY_REPLY_ACTOR: Actor = { kind: 'system', id: 'away_reply', name: 'Away reply' };

export interface AwayFacts {
  timezone: string;
  hours: string | null;
  closed_dates: string | null;
  away_reply: string | null;
  first_name: string | null;
}

/** The club's hours and away reply and the person's first name, read in the inbound batch (no extra round trip). */
export const awayFactsStatement = (db: D1Database, clubId: string, personId: string): D1PreparedStatement =>
  db
    .prepare(
      `SELECT c.timezone, c.hours, c.closed_dates, c.away_reply, p.first_name
         FROM clubs c LEFT JOIN people p ON p.id = ?2 WHERE c.id = ?1`,
    )
    .bind(clubId, personId);

function parsed<T>(json: string | null): T | null {
  if (json === null) return null;
  try {
    return JSON.parse(json) as T;
  } catch {
    return null;
  }
}

/**
 * The away reply's filled-in text for a message sent at `sentAt` and the reply buttons it asks with (if the club
 * set any), or null when none goes: no hours set (always open), the reply switched off, or the club open then.
 */
function awayReplyMessage(facts: AwayFacts | undefined, sentAt: number): { text: string; buttons: string[] } | null {
  if (!facts) return null;
  const reply = parsed<AwayReply>(facts.away_reply);
  const hours = parsed<OpeningHours>(facts.hours);
  if (!reply?.enabled || !hours) return null;
  const closed = parsed<string[]>(facts.closed_dates) ?? [];
  if (isOpen(hours, closed, facts.timezone, sentAt)) return null;
  const opensAt = nextOpening(hours, closed, facts.timezone, sentAt) ?? 'soon';
  const text = reply.text
    .replaceAll('{{first_name}}', facts.first_name?.trim() || 'there')
    .replaceAll('{{opens_at}}', opensAt)
    .slice(0, 4096);
  return { text, buttons: reply.buttons ?? [] };
}

/**
 * The away reply as it goes: free text, or, when the club set buttons, reply buttons under the same words (an
 * interactive body holds at most 1,024 characters; the club's text is held to that when buttons are set).
 */
export function awayReplyContent(facts: AwayFacts | undefined, sentAt: number): OutboundContent | null {
  const m = awayReplyMessage(facts, sentAt);
  if (!m) return null;
  if (m.buttons.length === 0) return { kind: 'text', text: m.text };
  return {
    kind: 'interactive',
    interactive: {
      type: 'button',
      body: { text: m.text.slice(0, INTERACTIVE_LIMITS.body) },
      action: { buttons: replyButtons(m.buttons) },
    },
  };
}
