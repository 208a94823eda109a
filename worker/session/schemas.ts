// Shapes of the staff session routes (/api/auth/*), shared by the routes and the OpenAPI document.
//
//   POST /api/auth/login  {email, password}      -> 200 Me, sets __Host-cc_session; 401 invalid_login; 429
//   POST /api/auth/logout {}                     -> 204, clears the cookie and revokes the session
//   GET  /api/auth/me                            -> 200 Me; 401 when not logged in
//
// Me = { user: {id, name, email}, role, club_ids, permissions[], company: {id, name, timezone,
//        whatsapp: {enabled, configured, display_phone_number}}, sandbox, on_shift }
import { z } from '@hono/zod-openapi';
import { ROLES } from '../auth/actor';

export const loginSchema = z
  .strictObject({
    email: z.string().trim().toLowerCase().email().max(254).openapi({ example: 'staff@demo.gym' }),
    password: z.string().min(1).max(1024).openapi({ example: 'clubchat-demo' }),
  })
  .openapi('Login');

export const PERMISSIONS = [
  'conversations',
  'templates',
  'automations',
  'quick_replies',
  'users',
  'api_keys',
  'person_data',
  'audit',
  'assign_owners',
  'clubs',
  'club_hours',
  'pipeline',
  'labels',
  'take_leads',
  'reports',
  'ad_reports',
  'conversions',
] as const;

export const meSchema = z
  .object({
    user: z.object({ id: z.string(), name: z.string(), email: z.string() }),
    role: z.enum(ROLES).openapi({
      description: 'A salesperson sees, searches and messages only the people they own and unowned leads',
    }),
    club_ids: z.array(z.string()).nullable().openapi({
      description: 'The clubs this user is limited to (their people only); null: every club of the company',
    }),
    permissions: z
      .array(z.enum(PERMISSIONS))
      .openapi({ description: 'What this role may do; the app hides the rest (the server refuses it anyway)' }),
    company: z.object({
      id: z.string(),
      name: z.string(),
      timezone: z.string(),
      whatsapp: z.object({
        enabled: z.boolean().openapi({ description: 'False: no WhatsApp actions anywhere in the app' }),
        configured: z.boolean().openapi({ description: 'A phone number id and token are set' }),
        display_phone_number: z.string().nullable(),
      }),
    }),
    sandbox: z.boolean().openapi({ description: 'The Meta simulator runs: the app may show its sandbox panel' }),
    on_shift: z.boolean().openapi({
      description: 'On shift for round-robin (PUT /api/v1/me/shift); off by default and again at logout',
    }),
  })
  .openapi('Me');

export type MeJson = z.infer<typeof meSchema>;
