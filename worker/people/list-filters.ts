// The filters the people directory and the inbox share: `club=` and `owner=` (`me`, `none` or a user id). A
// filter narrows what the caller's scope already allows (auth/scope-sql.ts), never widens it: a club or an owner
// they may not see simply matches nobody.
import { z } from '@hono/zod-openapi';
import { ApiError } from '../errors';

export const clubFilter = z.string().min(1).max(64).optional().openapi({
  description: 'Only people of this club (a club id); a club you may not see matches nobody',
  example: 'clb_0123456789abcdefghjk',
});

export const ownerFilterQuery = z.string().min(1).max(64).optional().openapi({
  description:
    "Only people owned by: `me` (the logged-in staff member; sessions only), `none` (unassigned), or a user's id",
  example: 'me',
});

export const sourceFilter = z.enum(['ad']).optional().openapi({
  description: 'Only people who came from a click-to-WhatsApp ad (their first message carried the ad)',
});

export const adFilter = z.string().min(1).max(64).optional().openapi({
  description: "Only people who came from this ad first (Meta's ad id: lead_source.first.source_id)",
  example: '120210000000000001',
});

/** Whose people a list shows (`owner=`): nobody's, or one user's ('me' resolved to the caller). */
export type OwnerFilter = { kind: 'none' } | { kind: 'user'; id: string };

/** `owner=` as asked: `me` is the caller (a staff member), `none` nobody, anything else a user id. */
export function ownerFilterOf(owner: string | undefined, userId: string | null): OwnerFilter | null {
  if (owner === undefined) return null;
  if (owner === 'none') return { kind: 'none' };
  if (owner !== 'me') return { kind: 'user', id: owner };
  if (userId === null) throw new ApiError(422, 'validation_failed', 'owner: `me` needs a staff session');
  return { kind: 'user', id: userId };
}

/** The caller's user id: a staff session's; null for an API key. */
export function userIdOf(auth: { actor: { kind: string; id: string } }): string | null {
  return auth.actor.kind === 'user' ? auth.actor.id : null;
}

/**
 * `stage=` / `label=` on the inbox: one id, or several separated by commas (`stage=stg_a,stg_b`), matching any of
 * them. A comma list rather than repeated keys, so a link or a curl line reads as one value.
 */
export const idListFilter = (what: string, max: number) =>
  z
    .string()
    .regex(new RegExp(`^[^,\\s]{1,64}(,[^,\\s]{1,64}){0,${max - 1}}$`), `up to ${max} ${what} ids, separated by commas`)
    .optional()
    .openapi({
      description: `Only people in any of these ${what}s: one ${what} id, or up to ${max} separated by commas`,
      example: `${what === 'stage' ? 'stg' : 'lbl'}_0123456789abcdefghjk`,
    });

/** A comma list (idListFilter) as its ids, each once, in the order given; absent: none. */
export const idsOf = (list: string | undefined): string[] => (list ? [...new Set(list.split(','))] : []);
