// What the @ list follows in a note's text box. Pure: the text and the caret in, the query and the edit out.
import type { MentionRef } from '#common/mentions';

/** An "@" typed at the start or after a space, and what follows it up to the caret (no spaces yet: "@be"). */
export interface MentionQuery {
  /** Where the "@" is. */
  start: number;
  /** What follows it, up to the caret. */
  query: string;
}

export function mentionQueryAt(text: string, caret: number): MentionQuery | null {
  const before = text.slice(0, caret);
  const match = /(^|\s)@([^\s@]{0,40})$/.exec(before);
  if (!match) return null;
  const query = match[2] ?? '';
  return { start: caret - query.length - 1, query };
}

/** Users whose name, or a word of it, starts with the query (case and accents ignored), in the list's order. */
export function matchUsers<T extends MentionRef>(users: readonly T[], query: string): T[] {
  const fold = (s: string) =>
    s
      .normalize('NFD')
      .replace(/\p{Diacritic}/gu, '')
      .toLowerCase();
  const q = fold(query);
  if (!q) return [...users];
  return users.filter((u) => {
    const name = fold(u.name);
    return name.startsWith(q) || name.split(/\s+/).some((w) => w.startsWith(q));
  });
}

/** The text with the "@query" at `at` replaced by "@Name " and where the caret goes after it. */
export function insertMention(text: string, at: MentionQuery, user: MentionRef): { text: string; caret: number } {
  const inserted = `@${user.name} `;
  const end = at.start + 1 + at.query.length;
  return { text: `${text.slice(0, at.start)}${inserted}${text.slice(end)}`, caret: at.start + inserted.length };
}
