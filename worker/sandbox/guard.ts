import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../http';

// The simulator plays Meta, so it must never answer in a live deployment: a stray sandbox route there could
// fake inbound messages or statuses. Only an explicit WHATSAPP_MODE=sandbox turns it on.

export const SANDBOX_DISABLED = {
  error: { code: 'sandbox_disabled', message: 'The Meta simulator only runs when WHATSAPP_MODE is "sandbox"' },
} as const;

export function sandboxEnabled(env: Pick<Env, 'WHATSAPP_MODE'>): boolean {
  return env.WHATSAPP_MODE === 'sandbox';
}

export function assertSandbox(env: Pick<Env, 'WHATSAPP_MODE'>): void {
  if (!sandboxEnabled(env)) throw new Error(SANDBOX_DISABLED.error.message);
}

/** Route guard: in live mode the sandbox routes do not exist, whoever asks (checked before any credentials). */
export const sandboxOnly = createMiddleware<AppEnv>(async (c, next) => {
  if (!sandboxEnabled(c.env)) return c.json(SANDBOX_DISABLED, 404);
  await next();
});
