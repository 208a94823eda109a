/** Who did something: recorded on sends, opt-outs and consent so history can say who. */
export type Actor =
  | { kind: 'api_key'; id: string; name: string }
  | { kind: 'user'; id: string; name: string }
  | { kind: 'whatsapp'; id: string; name: string }
  | { kind: 'system'; id: string; name: string }
  /** An automated item: its id and name. */
  | { kind: 'automation'; id: string; name: string };

export type Role = 'admin' | 'manager' | 'staff';

export interface CompanyAuth {
  companyId: string;
  actor: Actor;
  /** A staff member's role (sessions); absent for API keys, which permissions.ts treats on their own. */
  role?: Role;
}

/** A logged-in staff member, as their session cookie names them (sessions.ts). */
export interface SessionUser {
  tokenHash: string;
  userId: string;
  companyId: string;
  name: string;
  email: string;
  role: Role;
  /** When the session ends (ms): the live socket carries it and closes then (worker/realtime/company-inbox.ts). */
  expiresAt: number;
}

/**
 * What the guards of this folder set on a request: `auth` for every company-scoped route, `session` for
 * cookie-authenticated ones (the staff app). http.ts's AppEnv adds what the floors above set.
 */
export type AuthEnv = { Bindings: Env; Variables: { auth: CompanyAuth; session?: SessionUser } };
