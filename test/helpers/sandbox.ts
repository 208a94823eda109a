// The Meta simulator and conversation objects as tests reach them, plus reading what a person's history says.
import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import { api, makeCompany, makePerson, type TestCompany } from './fixtures';

export const simulator = (company: TestCompany) => env.META_SANDBOX.getByName(company.phoneNumberId);

/** Statuses wait for the test to flush them, so every test decides their order. */
export async function manualSimulator(company: TestCompany) {
  const sim = simulator(company);
  await sim.configure({ delivery: 'manual' });
  return sim;
}

/** The conversation object with one person (keyed by person, so every form of their number lands there). */
export const conversation = (company: TestCompany, personId: string) =>
  env.CONVERSATION.getByName(`${company.id}:${personId}`);

export interface MessageJson {
  id: string;
  type: string;
  wamid: string | null;
  status: string | null;
  body: string | null;
  sale_type: string | null;
  template: { name: string; language: string; params: string[] } | null;
  error: { code: number | string; title: string; message?: string; details?: string } | null;
  actor: { kind: string; name: string } | null;
}

export async function sendText(
  company: TestCompany,
  personId: string,
  text: string,
  extra: Record<string, unknown> = {},
) {
  return api(company, 'POST', `/api/v1/people/${personId}/whatsapp/messages`, { text, ...extra });
}

export async function historyOf(company: TestCompany, personId: string, filter = 'whatsapp'): Promise<MessageJson[]> {
  const res = await api(company, 'GET', `/api/v1/people/${personId}/history?filter=${filter}&per_page=100`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { collection: MessageJson[] }).collection;
}

export async function countersOf(company: TestCompany, personId: string) {
  const res = await api(company, 'GET', `/api/v1/people/${personId}`);
  expect(res.status).toBe(200);
  return (
    (await res.json()) as {
      counters: { whatsapp: Record<'membership' | 'secondary', { sent: number; received: number }> };
    }
  ).counters.whatsapp;
}

export async function expectError(res: Response, status: number, code: string): Promise<void> {
  expect({ status: res.status, body: await res.json() }).toMatchObject({ status, body: { error: { code } } });
}

/** A person who has written (their 24-hour window is open), their conversation object, and a manual simulator. */
export async function inWindow() {
  const company = await makeCompany();
  const sim = await manualSimulator(company);
  const person = await makePerson(company);
  await sim.inbound({ from: person.phone, text: 'hi' });
  return { company, sim, person, stub: conversation(company, person.id) };
}

/** A message Meta throttled (130429), waiting in the conversation object for its retry. Answers its id. */
export async function sendHeldByThrottling(
  company: TestCompany,
  sim: Awaited<ReturnType<typeof manualSimulator>>,
  personId: string,
  text: string,
): Promise<string> {
  await sim.queueFaults([{ kind: 'http', status: 429, code: 130429 }]);
  return ((await (await sendText(company, personId, text)).json()) as { id: string }).id;
}
