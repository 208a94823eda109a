import { exports } from 'cloudflare:workers';
import { SIGNATURE_HEADER, signBody } from '../whatsapp/meta/signature';

// Meta POSTs webhooks to the URL configured for the app; in sandbox mode that is our own webhook route,
// reached in-process through the worker's entrypoint (no public URL needed).
export const WEBHOOK_URL = 'http://clubchat.sandbox/webhooks/whatsapp';

/** Meta gives up on a delivery that takes too long and retries it later; so do we. */
const WEBHOOK_TIMEOUT_MS = 10_000;

export interface DeliveryResult {
  signature: string;
  /** The HTTP status, or 0 when the request itself failed. */
  status: number;
}

/** Signs the exact bytes it sends, as Meta does (X-Hub-Signature-256 over the raw body). */
export async function postWebhook(appSecret: string, body: string): Promise<DeliveryResult> {
  const bytes = new TextEncoder().encode(body);
  const signature = await signBody(appSecret, bytes);
  try {
    const res = await exports.default.fetch(
      new Request(WEBHOOK_URL, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'facebookexternalua',
          [SIGNATURE_HEADER]: signature,
        },
        body: bytes,
        signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      }),
    );
    await res.body?.cancel();
    return { signature, status: res.status };
  } catch (err) {
    console.warn('sandbox webhook delivery failed', err instanceof Error ? err.message : String(err));
    return { signature, status: 0 };
  }
}

/** Meta retries failed deliveries with growing gaps for days; the simulator keeps the shape but not the scale. */
export const MAX_DELIVERY_ATTEMPTS = 6;
export function redeliveryDelayMs(attempts: number): number {
  return Math.min(60_000, 1000 * 2 ** (attempts - 1));
}
