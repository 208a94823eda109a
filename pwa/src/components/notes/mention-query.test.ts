import { describe, expect, it } from 'vitest';
import { mentionedIds, noteSegments, renderMentions, tokenizeMentions } from '#common/mentions';
import { insertMention, matchUsers, mentionQueryAt } from './mention-query';

const users = [
  { id: 'usr_ben', name: 'Ben Carter' },
  { id: 'usr_chloe', name: 'Chloé Davies' },
  { id: 'usr_sam', name: 'Sam Staff' },
  { id: 'usr_sams', name: 'Sam Stone' },
];

describe('the @ list', () => {
  it('opens on an @ at the start or after a space, up to the caret', () => {
    expect(mentionQueryAt('@', 1)).toEqual({ start: 0, query: '' });
    expect(mentionQueryAt('Call @be', 8)).toEqual({ start: 5, query: 'be' });
    expect(mentionQueryAt('Call @be today', 8)).toEqual({ start: 5, query: 'be' });
    expect(mentionQueryAt('mail sam@gym.com', 16)).toBeNull();
    expect(mentionQueryAt('@ben carter', 11)).toBeNull();
  });

  it('matches a name or any word of it, ignoring case and accents', () => {
    expect(matchUsers(users, 'ca').map((u) => u.id)).toEqual(['usr_ben']);
    expect(matchUsers(users, 'chloe').map((u) => u.id)).toEqual(['usr_chloe']);
    expect(matchUsers(users, 'S').map((u) => u.id)).toEqual(['usr_sam', 'usr_sams']);
    expect(matchUsers(users, '')).toHaveLength(4);
  });

  it('inserts the name and leaves the caret after it', () => {
    const text = 'Call @be today';
    const at = mentionQueryAt(text, 8);
    if (!at) throw new Error('no query');
    expect(insertMention(text, at, { id: 'usr_ben', name: 'Ben Carter' })).toEqual({
      text: 'Call @Ben Carter  today',
      caret: 17,
    });
  });
});

describe('mention tokens', () => {
  it('turns the names picked into ids, longer names first, and back into names', () => {
    const typed = '@Sam Stone and @Sam Staff, see @Ben Carter, not @Sam';
    const picked = [users[2], users[3], users[0]].filter((u) => u !== undefined);
    const stored = tokenizeMentions(typed, picked);
    expect(stored).toBe('@[usr_sams] and @[usr_sam], see @[usr_ben], not @Sam');
    expect(mentionedIds(stored)).toEqual(['usr_sams', 'usr_sam', 'usr_ben']);
    expect(renderMentions(stored, users)).toBe(typed);
    expect(mentionedIds('@[usr_demo_manager], @[usr_0a1b] and @[usr_demo_manager]')).toEqual([
      'usr_demo_manager',
      'usr_0a1b',
    ]);
    expect(noteSegments('hi @[usr_gone]!', users)).toEqual([
      { text: 'hi ' },
      { mention: { id: 'usr_gone', name: 'someone' } },
      { text: '!' },
    ]);
  });
});
