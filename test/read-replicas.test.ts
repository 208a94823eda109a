// Inbox and list reads go through D1's read replication (db/company-data.ts): each answer hands back a
// bookmark the caller sends with its next read, so it never reads older data than it has seen; after the
// caller writes, its next read starts on the primary, which holds what it just wrote.
import { describe, expect, it } from 'vitest';
import { api, makeCompany, makePerson } from './helpers/fixtures';
import { staffSession } from './helpers/staff';

describe('read replicas', () => {
  it('hands an API client a bookmark, and takes it back', async () => {
    const company = await makeCompany();
    const first = await api(company, 'GET', '/api/v1/conversations');
    expect(first.status).toBe(200);
    const bookmark = first.headers.get('X-D1-Bookmark');
    expect(bookmark).toMatch(/\S/);
    const next = await api(company, 'GET', '/api/v1/conversations', undefined, { 'X-D1-Bookmark': bookmark ?? '' });
    expect(next.status).toBe(200);
    expect(next.headers.get('X-D1-Bookmark')).toMatch(/\S/);
    // Not a bookmark: ignored (a fresh session), never handed to D1.
    const junk = await api(company, 'GET', '/api/v1/conversations', undefined, { 'X-D1-Bookmark': 'x"; drop' });
    expect(junk.status).toBe(200);
    // Every list reads the same way: people, a person's history, a conversation's messages.
    const person = await makePerson(company);
    for (const path of [
      '/api/v1/people',
      `/api/v1/people/${person.id}/history`,
      `/api/v1/conversations/${person.id}/messages`,
    ]) {
      const res = await api(company, 'GET', path, undefined, { 'X-D1-Bookmark': bookmark ?? '' });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('X-D1-Bookmark'), path).toMatch(/\S/);
    }
  });

  it("keeps a staff member's bookmark in a cookie, and reads from the primary after their write", async () => {
    const company = await makeCompany();
    const staff = await staffSession(company);
    const read = await staff.fetch('/api/v1/conversations');
    expect(read.headers.get('Set-Cookie')).toMatch(/cc_d1_bookmark=[^;]+;.*HttpOnly/);
    const person = await makePerson(company);
    const wrote = await staff.fetch(`/api/v1/conversations/${person.id}/read`, { method: 'POST', body: {} });
    expect(wrote.status).toBe(200);
    expect(wrote.headers.get('Set-Cookie')).toContain('cc_d1_bookmark=first-primary');
  });
});
