// VAPID (RFC 8292) settings: the key pair the browsers' push services check our pushes against, and a subject
// they can reach us at. Without them Web Push is off: subscribing answers 503 and nothing is sent.
import type { VapidKeys } from '@block65/webcrypto-web-push';

export interface Vapid extends VapidKeys {
  subject: string;
  publicKey: string;
  privateKey: string;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** The configured keys, or null when Web Push is not set up (or set up wrongly: logged, never thrown). */
export function vapidOf(
  env: Partial<Pick<Env, 'VAPID_SUBJECT' | 'VAPID_PUBLIC_KEY' | 'VAPID_PRIVATE_KEY'>>,
): Vapid | null {
  const subject = env.VAPID_SUBJECT?.trim() ?? '';
  const publicKey = env.VAPID_PUBLIC_KEY?.trim() ?? '';
  const privateKey = env.VAPID_PRIVATE_KEY?.trim() ?? '';
  if (!subject || !publicKey || !privateKey) return null;
  // Push services (Apple's in particular) refuse a subject that is not a real mailto: or https: URL.
  const subjectOk = /^mailto:[^@\s]+@[^@\s]+$/.test(subject) || /^https:\/\/[^\s]+$/.test(subject);
  // 65 bytes (uncompressed P-256 point) = 87 base64url characters; the private scalar, 32 bytes = 43.
  const keysOk =
    BASE64URL.test(publicKey) && publicKey.length === 87 && BASE64URL.test(privateKey) && privateKey.length === 43;
  if (!subjectOk || !keysOk) {
    console.warn('Web Push is off: VAPID_SUBJECT must be mailto:/https: and the VAPID keys a base64url P-256 pair');
    return null;
  }
  return { subject, publicKey, privateKey };
}
