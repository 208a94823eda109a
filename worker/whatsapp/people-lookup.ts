import { and, eq, inArray, or } from 'drizzle-orm';
import { getDb } from '../db/client';
import { people } from '../db/schema';
import { newId } from '../ids';
import { phoneVariantsOfWaId, type SaleType } from './policy';

export interface InboundPerson {
  id: string;
  phone: string;
  saleType: SaleType;
}

/**
 * The person Meta's wa_id stands for: the one who has that wa_id, else the one whose phone is that number,
 * else one whose phone is another form of it (policy.phoneVariantsOfWaId). Null when no one matches.
 */
export async function findPersonByWaId(env: Env, companyId: string, waId: string): Promise<InboundPerson | null> {
  const variants = phoneVariantsOfWaId(waId);
  const rows = await getDb(env)
    .select({ id: people.id, phone: people.phone, saleType: people.saleType, waId: people.waId })
    .from(people)
    .where(and(eq(people.companyId, companyId), or(eq(people.waId, waId), inArray(people.phone, variants))))
    .all();
  const rank = (r: (typeof rows)[number]) =>
    r.waId === waId ? 0 : r.phone === `+${waId}` ? 1 : 2 + variants.indexOf(r.phone ?? '');
  const best = rows.filter((r) => r.phone !== null).sort((a, b) => rank(a) - rank(b))[0];
  return best?.phone ? { id: best.id, phone: best.phone, saleType: best.saleType } : null;
}

/**
 * The person behind an inbound wa_id, made as a lead (named from their WhatsApp profile) when no one matches.
 * The unique (company, phone) index settles two first messages racing: one insert wins, both read it back.
 */
export async function findOrCreatePerson(
  env: Env,
  companyId: string,
  waId: string,
  names: { first: string; last: string | null },
): Promise<InboundPerson> {
  const existing = await findPersonByWaId(env, companyId, waId);
  if (existing) return existing;
  const now = Date.now();
  await getDb(env)
    .insert(people)
    .values({
      id: newId('per'),
      companyId,
      firstName: names.first,
      lastName: names.last,
      phone: `+${waId}`,
      waId,
      status: 'lead',
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing();
  const created = await findPersonByWaId(env, companyId, waId);
  if (!created) throw new Error('person insert did not stick');
  return created;
}
