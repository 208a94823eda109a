import { leadSourceJson } from '../ads/referral';
import type { counters, people } from '../db/schema';
import { isWindowOpen, windowExpiresAt } from '../whatsapp/policy';
import { type PersonDetailJson, type PersonJson, personSchema } from './schemas';

export type PersonRow = typeof people.$inferSelect;
export type CounterRow = typeof counters.$inferSelect;

const iso = (ms: number): string => new Date(ms).toISOString();

const creatorSchema = personSchema.shape.created_by;

/** The stored actor as the API shows it; a value of another shape (never written by us) shows as unknown. */
function creatorOf(value: unknown): PersonJson['created_by'] {
  const parsed = creatorSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

export function serializePerson(p: PersonRow): PersonJson {
  return {
    id: p.id,
    first_name: p.firstName,
    last_name: p.lastName,
    phone: p.phone,
    email: p.email,
    sale_type: p.saleType,
    status: p.status,
    membership_start: p.membershipStart,
    membership_end: p.membershipEnd,
    date_of_birth: p.dateOfBirth,
    sms_opted_out: p.smsOptedOut,
    whatsapp_opted_out: p.whatsappOptedOut,
    whatsapp_marketing_stopped: p.whatsappMarketingStopped,
    erased_at: p.erasedAt === null ? null : iso(p.erasedAt),
    has_conversation: p.hasConversation,
    owner_user_id: p.ownerUserId,
    club_id: p.clubId,
    stage_id: p.stageId,
    lead_source: { first: leadSourceJson(p.leadSourceFirst), latest: leadSourceJson(p.leadSourceLatest) },
    created_by: creatorOf(p.createdBy),
    created_at: iso(p.createdAt),
    updated_at: iso(p.updatedAt),
  };
}

/**
 * The profile view: the service window from the last inbound message (policy.ts owns the 24-hour rule) and
 * the WhatsApp counters per sale type. Both are shown whether or not WhatsApp is enabled for the company, so
 * history survives switching it off.
 */
export function serializePersonDetail(p: PersonRow, counterRows: readonly CounterRow[], now: number): PersonDetailJson {
  const count = (saleType: CounterRow['saleType']) => {
    const row = counterRows.find((r) => r.channel === 'whatsapp' && r.saleType === saleType);
    return { sent: row?.sent ?? 0, received: row?.received ?? 0 };
  };
  const expires = windowExpiresAt(p.whatsappLastInboundAt);
  return {
    ...serializePerson(p),
    whatsapp: {
      conversation: isWindowOpen(p.whatsappLastInboundAt, now) ? 'active' : 'inactive',
      window_expires_at: expires === null ? null : iso(expires),
      wa_id: p.waId,
    },
    counters: { whatsapp: { membership: count('membership'), secondary: count('secondary') } },
  };
}
