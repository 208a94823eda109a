export type WhatsappMode = 'sandbox' | 'live';

export function whatsappMode(env: Env): WhatsappMode {
  return env.WHATSAPP_MODE === 'live' ? 'live' : 'sandbox';
}

export function metaTimeoutMs(env: Env): number {
  const n = Number(env.META_TIMEOUT_MS);
  return Number.isFinite(n) && n > 0 ? n : 10_000;
}
