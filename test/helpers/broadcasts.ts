// Broadcasts as tests drive them: made and started through the API, swept and consumed with the clock moved.
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { getDb } from '../../worker/db/client';
import { broadcastRecipients, broadcasts, companies } from '../../worker/db/schema';
import type { AutomationMessage } from '../../worker/whatsapp/automations/sweep';
import { processRecipients } from '../../worker/whatsapp/broadcasts/consumer';
import { sweepBroadcast } from '../../worker/whatsapp/broadcasts/sweep';
import { api, approveTemplate, makeCompany, type TestCompany } from './fixtures';
import { manualSimulator } from './sandbox';

export const ALL_DAY = { start: '00:00', end: '24:00' };
export const CONSENT = { method: 'web_form', text: 'Yes to WhatsApp offers', captured_at: '2025-06-01T09:30:00Z' };

export interface ReportJson {
  recipients: number;
  pending: number;
  sent: number;
  delivered: number;
  read: number;
  replied: number;
  failed: Record<string, number>;
  skipped: Record<string, number>;
}

export interface BroadcastJson {
  id: string;
  state: string;
  paused_reason: string | null;
  audience: Record<string, unknown>;
  report: ReportJson | null;
}

/** An hour from now: started broadcasts wait for the test's sweep instead of going at once. */
export const later = () => new Date(Date.now() + 3_600_000).toISOString();

export async function makeBroadcast(
  company: TestCompany,
  fields: Record<string, unknown> = {},
  call: (path: string, body: unknown) => Promise<Response> = (path, body) => api(company, 'POST', path, body),
): Promise<BroadcastJson> {
  const res = await call('/api/v1/whatsapp/broadcasts', {
    name: 'Open day',
    template: { name: 'open_day', language: 'en_GB' },
    variables: ['first_name'],
    start_at: later(),
    send_window: ALL_DAY,
    ...fields,
  });
  if (res.status !== 201) throw new Error(`makeBroadcast: ${res.status} ${await res.text()}`);
  return (await res.json()) as BroadcastJson;
}

/** A company (manual simulator) with an approved one-variable MARKETING template `open_day`. */
export async function setUpCompany(category: 'MARKETING' | 'UTILITY' = 'MARKETING') {
  const company = await makeCompany();
  const sim = await manualSimulator(company);
  await approveTemplate(company.id, { name: 'open_day', category });
  return { company, sim };
}

export async function act(company: TestCompany, id: string, action: 'start' | 'pause' | 'cancel' | 'preview') {
  return api(company, 'POST', `/api/v1/whatsapp/broadcasts/${id}/${action}`);
}

export async function getBroadcastJson(company: TestCompany, id: string): Promise<BroadcastJson> {
  const res = await api(company, 'GET', `/api/v1/whatsapp/broadcasts/${id}`);
  if (res.status !== 200) throw new Error(`get: ${res.status} ${await res.text()}`);
  return (await res.json()) as BroadcastJson;
}

/** The cron's sweep of one broadcast at `now`, its queue messages captured instead of sent. */
export async function sweepAt(company: TestCompany, id: string, now: number) {
  const db = getDb(env);
  const row = await db.select().from(broadcasts).where(eq(broadcasts.id, id)).get();
  const companyRow = await db.select().from(companies).where(eq(companies.id, company.id)).get();
  if (!row || !companyRow) throw new Error('no such broadcast');
  const messages: AutomationMessage[] = [];
  const result = await sweepBroadcast(env, row, companyRow, now, async (m) => {
    messages.push(...m);
  });
  return { result, messages, ids: messages.flatMap((m) => m.ids) };
}

/** Sweep then consume, both at `now`. */
export async function runAt(company: TestCompany, id: string, now: number) {
  const swept = await sweepAt(company, id, now);
  await processRecipients(env, swept.ids, now, company.id);
  return swept;
}

export const recipientsOf = (id: string) =>
  getDb(env).select().from(broadcastRecipients).where(eq(broadcastRecipients.broadcastId, id)).all();

export const inAnHour = () => Date.now() + 3_600_000 + 60_000;
