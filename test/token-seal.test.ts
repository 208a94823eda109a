// Meta access tokens at rest: sealed under a named key, bound to their company, readable across a rotation.
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { fromBase64, toBase64 } from '../worker/auth/crypto';
import { needsReseal, openToken, sealToken } from '../worker/auth/token-seal';
import { getDb } from '../worker/db/client';
import { companies } from '../worker/db/schema';
import { sweep } from '../worker/housekeeping/sweeps';
import { makeCompany } from './helpers/fixtures';

const OLD_KEY = env.DATA_ENCRYPTION_KEY;
const NEW_KEY = toBase64(new Uint8Array(32).fill(7));
const keys = (current: string, previous = '') => ({
  DATA_ENCRYPTION_KEY: current,
  DATA_ENCRYPTION_KEY_PREVIOUS: previous,
});

/** The format sealed before key ids: "v1:<iv>:<ciphertext>", no additional data. */
async function sealV1(base64Key: string, token: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', fromBase64(base64Key), 'AES-GCM', false, ['encrypt']);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, new TextEncoder().encode(token));
  return `v1:${toBase64(iv)}:${toBase64(new Uint8Array(ct))}`;
}

describe('sealed access tokens', () => {
  it('name their key and open only for their own company', async () => {
    const sealed = await sealToken(keys(OLD_KEY), 'com_a', 'EAAG-secret');
    expect(sealed).toMatch(/^v2:[0-9a-f]{8}:/);
    expect(sealed).not.toContain('EAAG-secret');
    expect(await openToken(keys(OLD_KEY), 'com_a', sealed)).toBe('EAAG-secret');
    await expect(openToken(keys(OLD_KEY), 'com_b', sealed)).rejects.toThrow();
  });

  it('stay readable while the key rotates, and not after the old key is gone', async () => {
    const sealed = await sealToken(keys(OLD_KEY), 'com_a', 'EAAG-secret');
    expect(await openToken(keys(NEW_KEY, OLD_KEY), 'com_a', sealed)).toBe('EAAG-secret');
    expect(await needsReseal(keys(NEW_KEY, OLD_KEY), sealed)).toBe(true);
    await expect(openToken(keys(NEW_KEY), 'com_a', sealed)).rejects.toThrow(/neither/);
    const v1 = await sealV1(OLD_KEY, 'legacy');
    expect(await openToken(keys(NEW_KEY, OLD_KEY), 'com_a', v1)).toBe('legacy');
  });

  it('are resealed under the new key by the daily sweep, and sends keep working', async () => {
    const company = await makeCompany();
    const rotated = { ...env, ...keys(NEW_KEY, OLD_KEY) };
    const report = await sweep(rotated, Date.now());
    expect(report.tokensResealed).toBeGreaterThanOrEqual(1);
    const row = await getDb(env).select().from(companies).where(eq(companies.id, company.id)).get();
    expect(await needsReseal(rotated, row?.accessTokenEnc ?? '')).toBe(false);
    expect(await openToken(keys(NEW_KEY), company.id, row?.accessTokenEnc ?? '')).toBe('test-access-token');
    // And back, so the rest of the suite (on the configured key) still opens every company's token.
    await sweep({ ...env, ...keys(OLD_KEY, NEW_KEY) }, Date.now());
  });
});
