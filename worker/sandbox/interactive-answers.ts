// The person's side of an interactive message, played by the simulator: the questions (reply buttons and lists)
// Meta took from us, and the inbound reply a tap on one of their choices makes, as Meta builds it:
// `{type: "interactive", interactive: {type: "button_reply", button_reply: {id, title}}, context: {from, id}}`
// https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples#reply-button
import { z } from 'zod';
import { interactiveChoices } from '#common/interactive/interactive-rules';
import { type InboundInput, metaWaIdOf, waIdInput } from './controls';
import type { SandboxMessage } from './store';

export interface SandboxQuestion {
  wamid: string;
  /** The person's WhatsApp id, as the send named them. */
  to: string;
  kind: 'button' | 'list';
  body: string;
  choices: { id: string; title: string; description?: string }[];
  at: number;
}

export const answerInputSchema = z.strictObject({
  /** The question's wamid (Meta's id for the interactive message we sent). */
  wamid: z.string().min(1).max(256),
  /** The button's or row's id (or, failing that, its title). */
  choice: z.string().min(1).max(256),
  /** Who answers: the person the question went to, unless another number is named (a forwarded question). */
  from: waIdInput.optional(),
});
export type AnswerInput = z.input<typeof answerInputSchema>;

/** A sent message a person can answer by tapping: reply buttons or a list (a link button only opens a page). */
export function questionOf(m: SandboxMessage): SandboxQuestion | null {
  if (m.request.type !== 'interactive') return null;
  const interactive = m.request.interactive;
  if (interactive.type === 'cta_url') return null;
  return {
    wamid: m.wamid,
    to: m.to,
    kind: interactive.type,
    body: interactive.body.text,
    choices: interactiveChoices(interactive),
    at: m.at,
  };
}

/** The inbound message the person's tap makes; null when the question has no such choice. */
export function answerOf(
  q: SandboxQuestion,
  choice: string,
  displayNumber: string,
  from?: string,
): InboundInput | null {
  const picked = q.choices.find((c) => c.id === choice) ?? q.choices.find((c) => c.title === choice);
  if (!picked) return null;
  const reply =
    q.kind === 'button'
      ? { type: 'button_reply', button_reply: { id: picked.id, title: picked.title } }
      : {
          type: 'list_reply',
          list_reply: {
            id: picked.id,
            title: picked.title,
            ...(picked.description ? { description: picked.description } : {}),
          },
        };
  return {
    // Meta writes from the wa_id it knows the person by (Brazil's and Mexico's older forms included).
    from: from ?? metaWaIdOf(q.to),
    type: 'interactive',
    content: reply,
    context: { from: displayNumber, id: q.wamid },
  };
}
