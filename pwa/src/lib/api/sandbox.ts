// The sandbox panel's calls (sandbox mode only). The simulator's routes are left out of the OpenAPI document,
// so these are the app's one plain fetch; the answer still goes through the core (failures, 401).
import { unwrap } from './client';

async function sandboxPost(path: string, body: unknown): Promise<unknown> {
  return unwrap(
    fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }).then(
      async (response) => {
        const json: unknown = await response.json().catch(() => null);
        return response.ok ? { response, data: json } : { response, error: json };
      },
    ),
  );
}

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
