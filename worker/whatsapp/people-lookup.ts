import { and, eq, inArray, or } from 'drizzle-orm';
import { platformDatabase } from '../db/client';
import { companyDb } from '../db/company-data';
import { people } from '../db/schema';
import { newId } from '../ids';
import { phoneVariantsOfWaId, type SaleType } from './policy';

export interface InboundPerson {
  id: string;
  phone: string;
  saleType: SaleType;
  /** The wa_id already learnt for them, if any: an inbound from that same id has nothing to teach. */
  waId?: string | null;
}

/**
 * The person Meta's wa_id stands for: the one who has that wa_id, else the one whose phone is that number,
 * else one whose phone is another form of it (policy.phoneVariantsOfWaId). Null when no one matches.
 */
export async function findPersonByWaId(env: Env, companyId: string, waId: string): Promise<InboundPerson | null> {
  const variants = phoneVariantsOfWaId(waId);
  const rows = await companyDb(env, companyId)
    .select({ id: people.id, phone: people.phone, saleType: people.saleType, waId: people.waId })
    .from(people)
    .where(and(eq(people.companyId, companyId), or(eq(people.waId, waId), inArray(people.phone, variants))))
    .all();
  return bestMatch(rows, waId, variants);
}

interface Candidate {
  id: string;
  phone: string | null;
  saleType: SaleType;
  waId: string | null;
}

function bestMatch(rows: Candidate[], waId: string, variants: string[]): InboundPerson | null {
  const rank = (r: Candidate) =>
    r.waId === waId ? 0 : r.phone === `+${waId}` ? 1 : 2 + variants.indexOf(r.phone ?? '');
  const best = rows.filter((r) => r.phone !== null).sort((a, b) => rank(a) - rank(b))[0];
  return best?.phone ? { id: best.id, phone: best.phone, saleType: best.saleType, waId: best.waId } : null;
}

/** The business number a message came in on: its club, and whether it is the company's first (numbers.ts). */
export interface InboundNumber {
  phoneNumberId: string;
  clubId: string;
  isFirst: boolean;
  /**
   * What the inbound batch must decide, as the lookup found the clubs (cached with the sender, so up to a minute
   * old in another isolate): whether any club of the company assigns round-robin (people/round-robin.ts), and
   * whether this number's club has an away reply on (away-reply.ts). Only then does the batch carry their
   * statements: most messages need neither, and every statement is paid for on every message.
   */
  roundRobin: boolean;
  awayReply: boolean;
}

export interface NumberOwner {
  companyId: string;
  number: InboundNumber;
}

/**
 * The company and club that own a business number and the person behind a wa_id there, in one D1 round trip
 * (the webhook's hot path). Null when the number is none of ours; `person` null when no one in the company
 * matches. A disabled number still routes: what Meta delivers to it is stored, never lost.
 */
export async function findByNumber(
  env: Env,
  phoneNumberId: string,
  waId: string,
): Promise<(NumberOwner & { person: InboundPerson | null }) | null> {
  const variants = phoneVariantsOfWaId(waId);
  // A UNION of two unique-index lookups: an OR across wa_id and phone inside a join scans the company instead.
  // The number's company is the platform's directory, the person that company's data: one round trip while
  // they share a database. Once a company has its own, this becomes the directory's lookup, then findPersonByWaId.
  const forms = [0, 1, 2].map((i) => variants[i] ?? variants[0]);
  const { results } = await platformDatabase(env)
    .prepare(
      `WITH co AS (SELECT n.company_id AS id, n.club_id, n.is_first,
                  EXISTS (SELECT 1 FROM clubs r WHERE r.company_id = n.company_id AND r.assignment = 'round_robin') AS round_robin,
                  (SELECT c.hours IS NOT NULL AND json_valid(c.away_reply) AND json_extract(c.away_reply, '$.enabled') = 1
                     FROM clubs c WHERE c.id = n.club_id) AS away_reply
             FROM whatsapp_numbers n WHERE n.phone_number_id = ?1),
     m AS (SELECT p.id, p.phone, p.sale_type, p.wa_id FROM co JOIN people p ON p.company_id = co.id AND p.wa_id = ?2
           UNION SELECT p.id, p.phone, p.sale_type, p.wa_id FROM co JOIN people p ON p.company_id = co.id AND p.phone IN (?3, ?4, ?5))
     SELECT co.id AS company_id, co.club_id, co.is_first, co.round_robin, co.away_reply, m.id, m.phone, m.sale_type AS saleType, m.wa_id AS waId
       FROM co LEFT JOIN m`,
    )
    .bind(phoneNumberId, waId, ...forms)
    .all<{
      company_id: string;
      club_id: string;
      is_first: number;
      round_robin: number;
      away_reply: number | null;
      id: string | null;
      phone: string | null;
      saleType: SaleType;
      waId: string | null;
    }>();
  const first = results[0];
  if (!first) return null;
  const rows = results.flatMap((r) => (r.id ? [{ id: r.id, phone: r.phone, saleType: r.saleType, waId: r.waId }] : []));
  return {
    companyId: first.company_id,
    number: {
      phoneNumberId,
      clubId: first.club_id,
      isFirst: first.is_first === 1,
      roundRobin: first.round_robin === 1,
      awayReply: first.away_reply === 1,
    },
    person: bestMatch(rows, waId, variants),
  };
}

/**
 * The person behind an inbound wa_id, made as a lead (named from their WhatsApp profile) of the club whose number
 * they wrote to when no one matches. The unique (company, phone) index settles two first messages racing (even on
 * two numbers at once): one insert wins, both read it back.
 */
export async function findOrCreatePerson(
  env: Env,
  companyId: string,
  clubId: string,
  waId: string,
  names: { first: string; last: string | null },
  known?: InboundPerson | null,
): Promise<InboundPerson> {
  const existing = known === undefined ? await findPersonByWaId(env, companyId, waId) : known;
  if (existing) return existing;
  const now = Date.now();
  await companyDb(env, companyId)
    .insert(people)
    .values({
      id: newId('per'),
      companyId,
      firstName: names.first,
      lastName: names.last,
      phone: `+${waId}`,
      waId,
      status: 'lead',
      clubId,
      // Not their profile name: that is theirs, and an erasure must not have to look for it here.
      createdBy: { kind: 'whatsapp', id: waId, name: 'WhatsApp message' },
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing();
  const created = await findPersonByWaId(env, companyId, waId);
  if (!created) throw new Error('person insert did not stick');
  return created;
}
