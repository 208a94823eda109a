import { and, eq, isNull } from 'drizzle-orm';
import { createMiddleware } from 'hono/factory';
import { getDb } from '../db/client';
import { apiKeys } from '../db/schema';
import { ApiError } from '../errors';
import type { AppEnv } from '../http';
import { sha256Hex, timingSafeEqual } from './crypto';

function bearer(header: string | undefined): string | null {
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1] ?? null;
}

/**
 * Every company-scoped route: today an API key; the staff app adds its session cookie here, so there is one
 * authorisation layer. Use `requirePermission` (permissions.ts) after it for role checks.
 */
export const requireCompanyAuth = createMiddleware<AppEnv>(async (c, next) => requireApiKey(c, next));

/** Integrator API: `Authorization: Bearer <api key>`; the key decides the company every query is scoped to. */
export const requireApiKey = createMiddleware<AppEnv>(async (c, next) => {
  const token = bearer(c.req.header('Authorization'));
  if (!token) throw new ApiError(401, 'unauthorized', 'Send an API key as `Authorization: Bearer <key>`');
  const row = await getDb(c.env)
    .select({ id: apiKeys.id, name: apiKeys.name, companyId: apiKeys.companyId })
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, await sha256Hex(token)), isNull(apiKeys.revokedAt)))
    .get();
  if (!row) throw new ApiError(401, 'unauthorized', 'That API key is not valid');
  c.set('auth', { companyId: row.companyId, actor: { kind: 'api_key', id: row.id, name: row.name } });
  await next();
});

/** The operator who switches WhatsApp on for companies: `Authorization: Bearer <PLATFORM_ADMIN_TOKEN>`. */
export const requirePlatformAdmin = createMiddleware<AppEnv>(async (c, next) => {
  const token = bearer(c.req.header('Authorization'));
  const expected = c.env.PLATFORM_ADMIN_TOKEN;
  if (!token || !expected || !timingSafeEqual(token, expected))
    throw new ApiError(401, 'unauthorized', 'Platform admin token required');
  await next();
});
