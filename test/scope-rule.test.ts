// The scope rule (#common/scope) and the owner rule (#common/owners) as tables: pure, shared by the worker and
// the app, so every case here holds on both sides.
import { describe, expect, it } from 'vitest';
import { type OwnerChanger, ownerActions, ownerChangeAllowed } from '#common/owners';
import { mayOwn, type Scope, type ScopedPerson, scopeOf, UNSCOPED, visible } from '#common/scope';

const person = (clubId: string, ownerUserId: string | null, status = 'lead'): ScopedPerson => ({
  clubId,
  ownerUserId,
  status,
});

describe('visible', () => {
  const north: Scope = { clubIds: ['north'], ownOnly: null };
  const sally: Scope = { clubIds: null, ownOnly: 'sally' };
  const northSally: Scope = { clubIds: ['north'], ownOnly: 'sally' };
  it.each<[string, Scope, ScopedPerson, boolean]>([
    ['unscoped: anyone', UNSCOPED, person('south', 'sam', 'member'), true],
    ['club-limited: their club', north, person('north', 'sam', 'member'), true],
    ['club-limited: another club', north, person('south', null), false],
    ['salesperson: their own member', sally, person('south', 'sally', 'member'), true],
    ['salesperson: an unowned lead', sally, person('south', null, 'lead'), true],
    ['salesperson: an unowned member', sally, person('south', null, 'member'), false],
    ['salesperson: a colleague’s lead', sally, person('south', 'sam', 'lead'), false],
    ['salesperson of a club: their own, elsewhere', northSally, person('south', 'sally'), false],
    ['salesperson of a club: an unowned lead there', northSally, person('north', null), true],
  ])('%s', (_name, scope, p, expected) => expect(visible(scope, p)).toBe(expected));
});

describe('scopeOf and mayOwn', () => {
  it('a salesperson sees what they own; a user limited to clubs, those clubs; an empty list is every club', () => {
    expect(scopeOf({ id: 'u', role: 'salesperson', clubIds: null })).toEqual({ clubIds: null, ownOnly: 'u' });
    expect(scopeOf({ id: 'u', role: 'admin', clubIds: ['north'] })).toEqual({ clubIds: ['north'], ownOnly: null });
    expect(scopeOf({ id: 'u', role: 'staff', clubIds: [] })).toEqual(UNSCOPED);
  });

  it('whoever owns a person can see them: only the owner’s clubs stand in the way', () => {
    for (const role of ['admin', 'manager', 'staff', 'salesperson'])
      for (const [clubIds, club, ok] of [
        [null, 'south', true],
        [['north'], 'north', true],
        [['north'], 'south', false],
      ] as const) {
        const owner = { id: 'o', role, clubIds };
        expect(mayOwn(owner, { clubId: club }), `${role} ${clubIds} ${club}`).toBe(ok);
        // The same answer as `visible` once they own the person, whatever the person's status.
        for (const status of ['lead', 'member']) expect(visible(scopeOf(owner), person(club, 'o', status))).toBe(ok);
      }
  });
});

describe('owner changes', () => {
  const assigner = { mayAssign: true, userId: 'sam' };
  const seller = { mayAssign: false, userId: 'sally' };
  it.each<[string, OwnerChanger, string | null, string | null, boolean]>([
    ['staff reassigns anyone', assigner, 'bob', 'ann', true],
    ['staff unassigns', assigner, 'bob', null, true],
    ['salesperson claims an unowned lead', seller, null, 'sally', true],
    ['salesperson releases their own', seller, 'sally', null, true],
    ['salesperson gives a lead away', seller, null, 'bob', false],
    ['salesperson takes a colleague’s', seller, 'bob', 'sally', false],
    ['an API key assigns', { mayAssign: true, userId: null }, null, 'bob', true],
  ])('%s', (_name, who, from, to, ok) => expect(ownerChangeAllowed(who, from, to)).toBe(ok));

  it('the app offers the same: Claim and Release to a salesperson, Assign to… to staff', () => {
    expect(ownerActions(seller, null)).toEqual({ assign: false, claim: true, release: false });
    expect(ownerActions(seller, 'sally')).toEqual({ assign: false, claim: false, release: true });
    expect(ownerActions(assigner, 'bob')).toEqual({ assign: true, claim: false, release: false });
  });
});
