export type WhatsappMode = 'sandbox' | 'live';

/** A deployment whose settings cannot be right: every request and cron answers this, nothing is sent. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * `live` talks to Meta, `sandbox` to the simulator. Anything else stops the worker: a typo must never
 * quietly send production traffic to a simulator that is switched off, or test traffic to Meta.
 */
export function whatsappMode(env: Pick<Env, 'WHATSAPP_MODE'>): WhatsappMode {
  const mode = env.WHATSAPP_MODE;
  if (mode === 'live' || mode === 'sandbox') return mode;
  throw new ConfigError(`WHATSAPP_MODE must be "live" or "sandbox", not ${JSON.stringify(mode ?? null)}`);
}

/**
 * Whether the Meta simulator (worker/sandbox/) runs: only an explicit WHATSAPP_MODE=sandbox turns it on, so a
 * stray sandbox route can never fake inbound messages or statuses in a live deployment. Production code asks
 * here, never the simulator itself.
 */
export function sandboxEnabled(env: Pick<Env, 'WHATSAPP_MODE'>): boolean {
  return env.WHATSAPP_MODE === 'sandbox';
}

export function metaTimeoutMs(env: Env): number {
  const n = Number(env.META_TIMEOUT_MS);
  return Number.isFinite(n) && n > 0 ? n : 10_000;
}

/** The Meta app id the simulator plays when META_APP_ID is empty: sandbox mode needs no real Meta app. */
export const SANDBOX_APP_ID = 'sandbox-app';

/**
 * The Meta app whose Resumable Upload API takes template header samples (`POST /{app-id}/uploads`): wrangler var
 * META_APP_ID; in sandbox mode the simulator's app when it is empty; null in live mode without it.
 */
export function metaAppId(env: Pick<Env, 'WHATSAPP_MODE' | 'META_APP_ID'>): string | null {
  if (sandboxEnabled(env)) return env.META_APP_ID || SANDBOX_APP_ID;
  return env.META_APP_ID || null;
}

/**
 * Embedded Signup's app id and Facebook Login for Business configuration id (wrangler vars META_APP_ID and
 * META_ES_CONFIG_ID); null in live mode when either is missing (nobody can connect a number from the app then).
 */
export function embeddedSignupConfig(
  env: Pick<Env, 'WHATSAPP_MODE' | 'META_APP_ID' | 'META_ES_CONFIG_ID'>,
): { appId: string; configId: string } | null {
  if (sandboxEnabled(env))
    return { appId: env.META_APP_ID || SANDBOX_APP_ID, configId: env.META_ES_CONFIG_ID || 'sandbox-config' };
  return env.META_APP_ID && env.META_ES_CONFIG_ID ? { appId: env.META_APP_ID, configId: env.META_ES_CONFIG_ID } : null;
}
