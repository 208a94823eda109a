// Templates as tests make them: through the API, reviewed by the simulator's WABA instance.
import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import { api, type TestCompany } from './fixtures';

export const wabaSimulator = (company: TestCompany) => env.META_SANDBOX.getByName(`waba:${company.wabaId}`);

/** The review webhook waits for the test to flush it. */
export async function manualWaba(company: TestCompany) {
  const sim = wabaSimulator(company);
  await sim.configure({ delivery: 'manual' });
  return sim;
}

export interface TemplateJson {
  id: string;
  meta_id: string | null;
  name: string;
  language: string;
  category: string;
  status: string;
  rejected_reason: string | null;
  parameter_format: string;
  components: unknown[];
  variables: string[];
  variable_map: Record<string, unknown>;
  created_at: string;
  updated_at: string;
}

/** A well-formed positional template: "Hi {{1}}, your {{2}} class starts soon." */
export function renewalTemplate(over: Record<string, unknown> = {}) {
  return {
    name: 'class_reminder',
    category: 'UTILITY',
    language: 'en_GB',
    components: [
      {
        type: 'BODY',
        text: 'Hi {{1}}, your {{2}} class starts soon.',
        example: { body_text: [['Sheena', 'Spin']] },
      },
    ],
    ...over,
  };
}

export async function createTemplate(company: TestCompany, body: unknown): Promise<TemplateJson> {
  const res = await api(company, 'POST', '/api/v1/whatsapp/templates', body);
  if (res.status !== 201) throw new Error(`createTemplate: ${res.status} ${await res.text()}`);
  return (await res.json()) as TemplateJson;
}

export async function getTemplateJson(company: TestCompany, id: string): Promise<TemplateJson> {
  const res = await api(company, 'GET', `/api/v1/whatsapp/templates/${id}`);
  expect(res.status).toBe(200);
  return (await res.json()) as TemplateJson;
}

/** Submit, then let the simulator's review (APPROVED webhook) arrive. */
export async function approvedTemplate(company: TestCompany, body: unknown): Promise<TemplateJson> {
  const sim = await manualWaba(company);
  const created = await createTemplate(company, body);
  expect(await sim.flushWebhooks()).toEqual([200]);
  const approved = await getTemplateJson(company, created.id);
  expect(approved.status).toBe('APPROVED');
  return approved;
}
