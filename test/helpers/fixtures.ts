// Test fixtures: companies, API keys and people made through the same services and routes users use.
import { env, exports } from 'cloudflare:workers';
import { sha256Hex } from '../../worker/auth/crypto';
import { sealToken } from '../../worker/auth/token-seal';
import { getDb } from '../../worker/db/client';
import { apiKeys, companies, templates } from '../../worker/db/schema';
import { newId, randomToken } from '../../worker/ids';

export const BASE = 'http://clubchat.test';

export interface TestCompany {
  id: string;
  apiKey: string;
  phoneNumberId: string;
  wabaId: string;
}

/**
 * A company with an API key; WhatsApp enabled unless `whatsapp: false`; no country (so only international
 * numbers) unless given. Phone number ids are unique per call.
 */
export async function makeCompany(
  opts: { whatsapp?: boolean; name?: string; country?: string } = {},
): Promise<TestCompany> {
  const db = getDb(env);
  const id = newId('com');
  const phoneNumberId = `1065${Math.floor(Math.random() * 1e11)}`;
  const wabaId = `1022${Math.floor(Math.random() * 1e11)}`;
  await db.insert(companies).values({
    id,
    name: opts.name ?? 'Test Gym',
    timezone: 'Europe/London',
    country: opts.country ?? null,
    whatsappEnabled: opts.whatsapp ?? true,
    wabaId,
    phoneNumberId,
    displayPhoneNumber: '15550783881',
    accessTokenEnc: await sealToken(env, id, 'test-access-token'),
  });
  const apiKey = `cc_test_${randomToken(32)}`;
  await db.insert(apiKeys).values({
    id: newId('key'),
    companyId: id,
    name: 'test key',
    keyHash: await sha256Hex(apiKey),
    prefix: apiKey.slice(0, 12),
  });
  return { id, apiKey, phoneNumberId, wabaId };
}

export async function approveTemplate(
  companyId: string,
  t: { name: string; language?: string; category?: 'MARKETING' | 'UTILITY'; params?: number; status?: string },
): Promise<void> {
  const variables = Array.from({ length: t.params ?? 1 }, (_, i) => String(i + 1));
  await getDb(env)
    .insert(templates)
    .values({
      id: newId('tpl'),
      companyId,
      name: t.name,
      language: t.language ?? 'en_GB',
      category: t.category ?? 'UTILITY',
      status: t.status ?? 'APPROVED',
      components: [{ type: 'BODY', text: `Hi ${variables.map((v) => `{{${v}}}`).join(' ') || 'there'}!` }],
      variables,
    });
}

export function api(
  company: Pick<TestCompany, 'apiKey'>,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return exports.default.fetch(`${BASE}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${company.apiKey}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

let phoneSeq = 0;
/** A fresh, valid UK mobile number per call, so tests in one file never collide. */
export function uniquePhone(): string {
  phoneSeq += 1;
  const n = (Date.now() * 100 + phoneSeq) % 1e8;
  return `+4474${String(n).padStart(8, '0')}`;
}

export async function makePerson(
  company: TestCompany,
  fields: Record<string, unknown> = {},
): Promise<{ id: string; phone: string }> {
  const phone = (fields.phone as string | undefined) ?? uniquePhone();
  const res = await api(company, 'POST', '/api/v1/people', { first_name: 'Sheena', ...fields, phone });
  if (res.status !== 201) throw new Error(`makePerson: ${res.status} ${await res.text()}`);
  const person = (await res.json()) as { id: string; phone: string };
  return person;
}
