// Web Push requests: the browser's PushSubscription.toJSON() as it is, and the key the app subscribes with.
import { z } from '@hono/zod-openapi';

// p256dh: the browser's P-256 public key, 65 bytes = 87 base64url characters; auth: 16 bytes = 22 characters.
// Some browsers add "=" padding; it is accepted and removed.
const base64url = (bytes: number) =>
  z
    .string()
    .trim()
    .transform((s) => s.replace(/=+$/, ''))
    .pipe(
      z
        .string()
        .regex(/^[A-Za-z0-9_-]+$/, 'base64url')
        .length(Math.ceil((bytes * 4) / 3), `${bytes} bytes, base64url`),
    );

const endpoint = z
  .url({ protocol: /^https$/, error: 'an https URL (the push service endpoint)' })
  .max(2048)
  .openapi({ example: 'https://fcm.googleapis.com/fcm/send/cVc2…' });

export const pushSubscriptionSchema = z
  .object({
    endpoint,
    // Browsers send it (usually null); we keep nothing of it: a 404/410 from the endpoint is what ends a subscription.
    expirationTime: z.number().nullable().optional(),
    keys: z.object({ p256dh: base64url(65), auth: base64url(16) }).strict(),
  })
  .strict()
  .openapi('PushSubscriptionInput');

export const pushUnsubscribeSchema = z.object({ endpoint }).strict().openapi('PushUnsubscribe');

export const pushSubscriptionSavedSchema = z
  .object({ id: z.string(), endpoint: z.string(), created_at: z.string(), updated_at: z.string() })
  .openapi('PushSubscription');

export const vapidPublicKeySchema = z
  .object({
    public_key: z.string().openapi({
      description: 'Base64url P-256 public key: pass it as `applicationServerKey` to PushManager.subscribe()',
    }),
  })
  .openapi('VapidPublicKey');

export type PushSubscriptionInput = z.infer<typeof pushSubscriptionSchema>;
