// Automated items as tests drive them: created through the API, swept and consumed with the clock moved.
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { getDb } from '../../worker/db/client';
import { automationOccurrences, templates } from '../../worker/db/schema';
import { processOccurrences } from '../../worker/whatsapp/automations/consumer';
import { getAutomation, getCompanyRow } from '../../worker/whatsapp/automations/service';
import { type AutomationMessage, type SweepResult, sweepItem } from '../../worker/whatsapp/automations/sweep';
import { api, approveTemplate, makeCompany, type TestCompany } from './fixtures';
import { manualSimulator } from './sandbox';

export const ALL_DAY = { start: '00:00', end: '24:00' };

export interface ItemJson {
  id: string;
  name: string;
  enabled: boolean;
  paused_reason: string | null;
}

export async function makeItem(company: TestCompany, fields: Record<string, unknown>): Promise<ItemJson> {
  const res = await api(company, 'POST', '/api/v1/whatsapp/automations', {
    name: 'Come back',
    template: { name: 'come_back', language: 'en_GB' },
    variables: ['first_name'],
    sale_type: 'membership',
    ...fields,
  });
  if (res.status !== 201) throw new Error(`makeItem: ${res.status} ${await res.text()}`);
  return (await res.json()) as ItemJson;
}

/** A company (manual simulator) with an approved one-variable template `come_back` and one item. */
export async function setUpItem(
  fields: Record<string, unknown>,
  template: { category?: 'MARKETING' | 'UTILITY'; params?: number } = {},
) {
  const company = await makeCompany();
  const sim = await manualSimulator(company);
  await approveTemplate(company.id, { name: 'come_back', ...template });
  const item = await makeItem(company, fields);
  return { company, sim, item };
}

/** One sweep of the item at `now`, its queue messages captured instead of sent. */
export async function sweepAt(company: TestCompany, itemId: string, now: number, kind: 'cron' | 'manual' = 'cron') {
  const db = getDb(env);
  const messages: AutomationMessage[] = [];
  const result: SweepResult = await sweepItem(
    env,
    await getAutomation(db, company.id, itemId),
    await getCompanyRow(db, company.id),
    now,
    kind,
    async (m) => {
      messages.push(...m);
    },
  );
  return { result, messages, ids: messages.flatMap((m) => m.ids) };
}

/** Sweep then consume, both at `now`, as the cron and the queue consumer would. */
export async function runAt(company: TestCompany, itemId: string, now: number) {
  const swept = await sweepAt(company, itemId, now);
  await processOccurrences(env, swept.ids, now);
  return swept;
}

export async function occurrencesOf(itemId: string) {
  return getDb(env).select().from(automationOccurrences).where(eq(automationOccurrences.automationId, itemId)).all();
}

export async function setTemplateStatus(companyId: string, status: string): Promise<void> {
  await getDb(env).update(templates).set({ status }).where(eq(templates.companyId, companyId));
}

/** The `to` of every template the simulated Meta accepted. */
export async function sentTo(sim: { listMessages(): Promise<{ to: string; type: string }[]> }): Promise<string[]> {
  const messages = await sim.listMessages();
  for (const m of messages) expect(m.type).toBe('template');
  return messages.map((m) => m.to).sort();
}
