// The sandbox panel's calls (sandbox mode only). The simulator's routes are left out of the OpenAPI document,
// so these are the app's one plain fetch; the answer still goes through the core (failures, 401).
import { unwrap } from './client';

async function sandboxCall(path: string, init?: RequestInit): Promise<unknown> {
  return unwrap(
    fetch(path, init).then(async (response) => {
      const json: unknown = await response.json().catch(() => null);
      return response.ok ? { response, data: json } : { response, error: json };
    }),
  );
}

const sandboxPost = (path: string, body: unknown) =>
  sandboxCall(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

/** A question we sent (reply buttons or a list) that the person could answer by tapping. */
export interface SandboxQuestion {
  wamid: string;
  to: string;
  kind: 'button' | 'list';
  body: string;
  choices: { id: string; title: string; description?: string }[];
  at: string;
}

function isQuestion(v: unknown): v is SandboxQuestion {
  const q = v as Partial<SandboxQuestion> | null;
  return typeof q?.wamid === 'string' && typeof q.body === 'string' && Array.isArray(q.choices);
}

/** The latest reply buttons and lists the simulator took from us, newest first. */
export async function sandboxQuestions(): Promise<SandboxQuestion[]> {
  const answer = (await sandboxCall('/sandbox/questions')) as { data?: unknown } | null;
  return Array.isArray(answer?.data) ? answer.data.filter(isQuestion) : [];
}

/** Play the person tapping one of a question's buttons or list rows: the reply reaches us with its context. */
export const sandboxAnswer = (wamid: string, choice: string) => sandboxPost('/sandbox/answers', { wamid, choice });

/** Play the customer: the simulator sends us a signed webhook as if `from` wrote on WhatsApp. */
export const sandboxInbound = (m: { from: string; text: string; name?: string; from_ad?: boolean }) =>
  sandboxPost('/sandbox/inbound', m);

/** The sandbox clock: moves the person's last message back past 24 hours, so the reply window closes. */
export const sandboxExpireWindow = (personId: string) =>
  sandboxPost(`/sandbox/people/${encodeURIComponent(personId)}/expire-window`, {});

/** Play Meta's reviewer for a pending template: the simulator sends us the status webhook before answering. */
export const sandboxReviewTemplate = (t: { name: string; language: string }, event: 'APPROVED' | 'REJECTED') =>
  sandboxPost('/sandbox/templates/status', {
    name: t.name,
    language: t.language,
    event,
    ...(event === 'REJECTED' ? { reason: 'INVALID_FORMAT' } : {}),
  });
