// The one place that says who may do what inside a company. Routes ask `requirePermission(...)`; nothing
// else compares roles. API keys are the company's own integration: they may do everything but manage
// people's logins and other keys, and read the audit log (which watches them too).
import { createMiddleware } from 'hono/factory';
import { ownerChangeAllowed } from '#common/owners';
import { ApiError } from '../errors';
import type { AuthEnv, CompanyAuth, Role } from './actor';

export type Permission =
  /**
   * Conversations, people, history, sends, opt-out: every staff member, salespeople included. Which people each
   * may reach is their scope (#common/scope: clubs, and a salesperson's own people), not their permissions.
   */
  | 'conversations'
  /** WhatsApp templates and automated items: managers and admins. */
  | 'templates'
  | 'automations'
  /** Writing the company's quick replies (every staff member reads them): managers and admins. */
  | 'quick_replies'
  /** Staff logins and API keys: admins only. */
  | 'users'
  | 'api_keys'
  /**
   * A person's data requests, export and erasure: admins, and API keys (the integration that forwards a
   * person's request from the gym's own systems). An erasure cannot be undone, so managers and staff may not.
   */
  | 'person_data'
  /** Reading the audit log (who changed consent, templates, users, keys...): admins only. */
  | 'audit'
  /**
   * Setting any lead's owner to anyone allowed to see them (common/owners.ts): staff, managers, admins and API
   * keys. Salespeople may only claim unowned leads and release their own.
   */
  | 'assign_owners'
  /** Adding and changing clubs (name, time zone, address, how leads are assigned): admins and API keys. */
  | 'clubs'
  /** A club's opening hours, closed dates and away reply: managers too. */
  | 'club_hours'
  /** The pipeline's stages: admins and API keys (everyone reads them and moves people between them). */
  | 'pipeline'
  /** The company's labels: managers, admins and API keys (everyone reads them and puts them on people). */
  | 'labels'
  /**
   * Going on shift (PUT /api/v1/me/shift), so that round-robin clubs give them new leads: staff, and salespeople
   * (the role issue 15 adds). Admins and managers hand leads out rather than take them in turn.
   */
  | 'take_leads'
  /**
   * Everyone's figures in reports (worker/reports/): managers, admins and API keys, within their clubs. Staff and
   * salespeople read reports too, their own figures only.
   */
  | 'reports'
  /** The ads report (leads, replies and joined per click-to-WhatsApp ad): managers, admins and API keys. */
  | 'ad_reports'
  /** The Meta dataset ad leads' events are reported to (Conversions API): admins and API keys. */
  | 'conversions';

const ALLOWED: Record<Permission, ReadonlySet<Role | 'api_key'>> = {
  conversations: new Set(['admin', 'manager', 'staff', 'salesperson', 'api_key']),
  templates: new Set(['admin', 'manager', 'api_key']),
  automations: new Set(['admin', 'manager', 'api_key']),
  quick_replies: new Set(['admin', 'manager', 'api_key']),
  users: new Set(['admin']),
  api_keys: new Set(['admin']),
  person_data: new Set(['admin', 'api_key']),
  audit: new Set(['admin']),
  assign_owners: new Set(['admin', 'manager', 'staff', 'api_key']),
  clubs: new Set(['admin', 'api_key']),
  club_hours: new Set(['admin', 'manager', 'api_key']),
  pipeline: new Set(['admin', 'api_key']),
  labels: new Set(['admin', 'manager', 'api_key']),
  take_leads: new Set(['staff', 'salesperson']),
  reports: new Set(['admin', 'manager', 'api_key']),
  ad_reports: new Set(['admin', 'manager', 'api_key']),
  conversions: new Set(['admin', 'api_key']),
};

export function can(auth: CompanyAuth, permission: Permission): boolean {
  // A session without a role never happens; if it did, it gets the least a user may do.
  const who = auth.actor.kind === 'api_key' ? 'api_key' : (auth.role ?? 'salesperson');
  return ALLOWED[permission].has(who);
}

/** After the company is known (requireCompanyAuth): 403 when the caller's role does not allow this. */
export const requirePermission = (permission: Permission) =>
  createMiddleware<AuthEnv>(async (c, next) => {
    if (!can(c.get('auth'), permission))
      throw new ApiError(403, 'forbidden', 'Your role does not allow this; ask an admin');
    await next();
  });

/** Whether this caller may make this owner change (the rule: common/owners.ts, which the app follows too). */
export function canSetOwner(auth: CompanyAuth, from: string | null, to: string | null): boolean {
  const userId = auth.actor.kind === 'user' ? auth.actor.id : null;
  return ownerChangeAllowed({ mayAssign: can(auth, 'assign_owners'), userId }, from, to);
}
