import type { Scope } from '#common/scope';

/** Who did something: recorded on sends, opt-outs, consent and the audit log so they can say who. */
export type Actor =
  | { kind: 'api_key'; id: string; name: string }
  | { kind: 'user'; id: string; name: string }
  | { kind: 'whatsapp'; id: string; name: string }
  | { kind: 'system'; id: string; name: string }
  /** An automated item: its id and name. */
  | { kind: 'automation'; id: string; name: string }
  /** A scheduled broadcast: its id and name. */
  | { kind: 'broadcast'; id: string; name: string }
  /** The operator behind PLATFORM_ADMIN_TOKEN (the /api/admin routes): one token, so one actor. */
  | { kind: 'platform_admin'; id: string; name: string };

export type ActorKind = Actor['kind'];

// A record, so a new kind of actor fails to compile until it is listed here (and so in every schema using it).
const KINDS: Record<ActorKind, true> = {
  api_key: true,
  user: true,
  whatsapp: true,
  system: true,
  automation: true,
  broadcast: true,
  platform_admin: true,
};
export const ACTOR_KINDS = Object.keys(KINDS) as [ActorKind, ...ActorKind[]];

export const PLATFORM_ADMIN: Actor = { kind: 'platform_admin', id: 'platform_admin', name: 'ClubChat operator' };

/** Changes nobody asked for in a request: Meta's webhooks, the hourly template sync, an item pausing itself. */
export const SYSTEM = {
  meta: { kind: 'system', id: 'meta', name: 'Meta' },
  templateSync: { kind: 'system', id: 'template_sync', name: 'Hourly template sync' },
  automations: { kind: 'system', id: 'automations', name: 'ClubChat' },
  /** A club's round-robin giving a new lead to the staff member on shift who waited longest (people/round-robin.ts). */
  roundRobin: { kind: 'system', id: 'round_robin', name: 'Round-robin' },
} as const satisfies Record<string, Actor>;

/** Every role a user may have, in the order the app lists them (most limited last). */
export const ROLES = ['admin', 'manager', 'staff', 'salesperson'] as const;
export type Role = (typeof ROLES)[number];

export interface CompanyAuth {
  companyId: string;
  actor: Actor;
  /** A staff member's role (sessions); absent for API keys, which permissions.ts treats on their own. */
  role?: Role;
  /**
   * Which of the company's people this caller may see (#common/scope): a user's clubs and, for a salesperson,
   * their own people and unowned leads. API keys and unlimited users: UNSCOPED. Read by getPerson
   * (people/service.ts) and every list's SQL (scope-sql.ts); nothing else compares clubs or owners.
   */
  scope: Scope;
}

/** A logged-in staff member, as their session cookie names them (sessions.ts). */
export interface SessionUser {
  tokenHash: string;
  userId: string;
  companyId: string;
  name: string;
  email: string;
  role: Role;
  /** The clubs the user is limited to (users.club_ids); null: every club. */
  clubIds: string[] | null;
  /** When the session ends (ms): the live socket carries it and closes then (worker/realtime/company-inbox.ts). */
  expiresAt: number;
}

/**
 * What the guards of this folder set on a request: `auth` for every company-scoped route, `session` for
 * cookie-authenticated ones (the staff app). http.ts's AppEnv adds what the floors above set.
 */
export type AuthEnv = { Bindings: Env; Variables: { auth: CompanyAuth; session?: SessionUser } };
