import { createMiddleware } from 'hono/factory';
import { sandboxEnabled } from '../config';
import type { AppEnv } from '../http';

// The simulator plays Meta, so it must never answer in a live deployment (config.ts, sandboxEnabled): its
// routes do not exist there, and its object refuses every call.

export const SANDBOX_DISABLED = {
  error: { code: 'sandbox_disabled', message: 'The Meta simulator only runs when WHATSAPP_MODE is "sandbox"' },
} as const;

export function assertSandbox(env: Pick<Env, 'WHATSAPP_MODE'>): void {
  if (!sandboxEnabled(env)) throw new Error(SANDBOX_DISABLED.error.message);
}

/** Route guard: in live mode the sandbox routes do not exist, whoever asks (checked before any credentials). */
export const sandboxOnly = createMiddleware<AppEnv>(async (c, next) => {
  if (!sandboxEnabled(c.env)) return c.json(SANDBOX_DISABLED, 404);
  await next();
});
