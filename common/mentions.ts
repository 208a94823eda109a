// Mentions in an internal note, for the worker and the app alike. A note's stored text names a mentioned user by
// id, as the token `@[usr_…]`, so a renamed user is still the one meant; the note's JSON carries the names
// (`content.mentions`) and both sides render the token as "@Name". Pure: no I/O, no framework.

/** A note's text, after trimming: long enough for a call summary, short enough for a push preview to cut. */
export const NOTE_MAX_CHARS = 4000;
/** More would be a broadcast, not a mention; it also bounds the note's one D1 batch. */
export const MAX_MENTIONS = 20;

// Any user id: random ones (ids.ts) and the demo seed's readable ones (usr_demo_manager) alike.
const TOKEN = /@\[(usr_[A-Za-z0-9_]{1,60})\]/g;

export const mentionToken = (userId: string): string => `@[${userId}]`;

/** The user ids a text mentions, each once, in the order they first appear. */
export function mentionedIds(text: string): string[] {
  return [...new Set([...text.matchAll(TOKEN)].map((m) => m[1] ?? ''))].filter(Boolean);
}

export interface MentionRef {
  id: string;
  name: string;
}

export type NoteSegment = { text: string } | { mention: MentionRef };

/** The text cut into plain runs and mentions, each mention with its name (or "someone" if not known). */
export function noteSegments(text: string, mentions: readonly MentionRef[]): NoteSegment[] {
  const names = new Map(mentions.map((m) => [m.id, m.name]));
  const out: NoteSegment[] = [];
  let at = 0;
  for (const m of text.matchAll(TOKEN)) {
    const id = m[1] ?? '';
    if (m.index > at) out.push({ text: text.slice(at, m.index) });
    out.push({ mention: { id, name: names.get(id) ?? 'someone' } });
    at = m.index + m[0].length;
  }
  if (at < text.length) out.push({ text: text.slice(at) });
  return out;
}

/** The text as people read it: every token as "@Name". */
export const renderMentions = (text: string, mentions: readonly MentionRef[]): string =>
  noteSegments(text, mentions)
    .map((s) => ('text' in s ? s.text : `@${s.mention.name}`))
    .join('');

/**
 * What the app typed ("@Ben Carter") back into tokens, for the users picked from the @ list. Longer names first,
 * so "@Sam Stone" is not taken for "@Sam" followed by " Stone". A name the user deleted is simply not there.
 */
export function tokenizeMentions(text: string, picked: readonly MentionRef[]): string {
  const byLength = [...new Map(picked.map((p) => [p.id, p])).values()].sort((a, b) => b.name.length - a.name.length);
  let out = text;
  for (const p of byLength) out = out.split(`@${p.name}`).join(mentionToken(p.id));
  return out;
}
