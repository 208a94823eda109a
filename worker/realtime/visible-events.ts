// Which inbox events a caller may have. An event names a person (ids only, events.ts), and that alone says who
// wrote when: a user limited to clubs, or a salesperson, gets only the events about people they may see
// (#common/scope), live (company-inbox.ts) and on catching up (GET /api/v1/events). The sequence numbers stay
// the company's: a gap is an event that was not theirs, which the app never needs to know about.
import { isScoped, type Scope, type ScopedPerson, visible } from '#common/scope';
import { companyDatabase } from '../db/company-data';
import type { InboxEvents } from './events';

/** What the rule reads of each person, for a set of person ids (one statement, the ids as one JSON parameter). */
export async function scopeFacts(
  env: Pick<Env, 'DB'>,
  companyId: string,
  personIds: readonly string[],
): Promise<Map<string, ScopedPerson>> {
  const ids = [...new Set(personIds)];
  if (ids.length === 0) return new Map();
  const { results } = await companyDatabase(env, companyId)
    .prepare(
      `SELECT id, club_id, owner_user_id, status FROM people
        WHERE company_id = ?1 AND id IN (SELECT value FROM json_each(?2))`,
    )
    .bind(companyId, JSON.stringify(ids))
    .all<{ id: string; club_id: string | null; owner_user_id: string | null; status: string }>();
  return new Map(results.map((r) => [r.id, { clubId: r.club_id, ownerUserId: r.owner_user_id, status: r.status }]));
}

/** The events of `all` this scope may have; the whole answer for an unscoped caller. */
export async function eventsFor(
  env: Pick<Env, 'DB'>,
  companyId: string,
  scope: Scope,
  all: InboxEvents,
): Promise<InboxEvents> {
  if (!isScoped(scope) || all.events.length === 0) return all;
  const facts = await scopeFacts(
    env,
    companyId,
    all.events.map((e) => e.person_id),
  );
  const events = all.events.filter((e) => {
    const person = facts.get(e.person_id);
    return person !== undefined && visible(scope, person);
  });
  return { ...all, events };
}
