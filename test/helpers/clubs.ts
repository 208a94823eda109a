// Clubs for tests: a company starts with one (a trigger makes it, migrations/0015); more are added here directly.
import { env } from 'cloudflare:workers';
import { asc, eq } from 'drizzle-orm';
import { getDb } from '../../worker/db/client';
import { clubs } from '../../worker/db/schema';
import { newId } from '../../worker/ids';
import type { TestCompany } from './fixtures';

/** The club every company starts with. */
export async function firstClub(company: Pick<TestCompany, 'id'>): Promise<string> {
  const row = await getDb(env)
    .select({ id: clubs.id })
    .from(clubs)
    .where(eq(clubs.companyId, company.id))
    .orderBy(asc(clubs.createdAt), asc(clubs.id))
    .get();
  if (!row) throw new Error('no first club');
  return row.id;
}

/** Another club of the company; its id. */
export async function makeClub(company: Pick<TestCompany, 'id'>, name: string): Promise<string> {
  const id = newId('clb');
  // A millisecond after the first club at least, so "the company's first club" stays the first.
  await getDb(env)
    .insert(clubs)
    .values({ id, companyId: company.id, name, timezone: 'Europe/London', createdAt: Date.now() + 1 });
  return id;
}
