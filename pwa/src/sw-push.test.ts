// The service worker's push side as plain functions: what a push shows, and where a tap may go.
import { describe, expect, it } from 'vitest';
import { noticeFrom, safeUrl } from './sw-push';

const ORIGIN = 'https://app.clubchat.example';

describe('noticeFrom', () => {
  it('shows the person, the preview, the conversation tag and URL the server sent', () => {
    const notice = { title: 'Sheena Patel', body: 'Is the pool open?', tag: 'conversation-per_1', url: '/c/per_1' };
    expect(noticeFrom(notice)).toEqual(notice);
  });

  it('shows something sensible for an empty or broken push (a silent push costs the permission)', () => {
    for (const data of [null, undefined, 'text', 42, {}, { title: '', body: 7 }]) {
      expect(noticeFrom(data)).toEqual({ title: 'ClubChat', body: 'New WhatsApp message', tag: 'clubchat', url: '/' });
    }
  });
});

describe('safeUrl', () => {
  it('opens paths of this app only', () => {
    expect(safeUrl('/c/per_1', ORIGIN)).toBe(`${ORIGIN}/c/per_1`);
    expect(safeUrl(`${ORIGIN}/c/per_2`, ORIGIN)).toBe(`${ORIGIN}/c/per_2`);
    expect(safeUrl('https://evil.example/phish', ORIGIN)).toBe(`${ORIGIN}/`);
    expect(safeUrl('//evil.example/x', ORIGIN)).toBe(`${ORIGIN}/`);
    expect(safeUrl(undefined, ORIGIN)).toBe(`${ORIGIN}/`);
  });
});
