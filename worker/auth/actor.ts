/** Who did something: recorded on sends, opt-outs and consent so history can say who. */
export type Actor =
  | { kind: 'api_key'; id: string; name: string }
  | { kind: 'user'; id: string; name: string }
  | { kind: 'whatsapp'; id: string; name: string }
  | { kind: 'system'; id: string; name: string }
  /** An automated item (issue 6): its id and name. */
  | { kind: 'automation'; id: string; name: string };

export interface CompanyAuth {
  companyId: string;
  actor: Actor;
  /** A staff member's role (sessions); absent for API keys, which permissions.ts treats on their own. */
  role?: 'admin' | 'manager' | 'staff';
}
