// One send from the composer: shown at once as pending, then as the message the server stored (its status
// follows over the live socket). A refusal comes back as its reason in words.
import { useState } from 'preact/hooks';
import { ApiFailure, type HistoryNote, sendWhatsapp, type TemplateSend } from './api';
import { failureText } from './failure-text';

export interface Pending {
  key: string;
  text: string;
}

export function refusalText(err: unknown): string {
  if (err instanceof ApiFailure) {
    const words = failureText({ code: err.code });
    return words === 'Not delivered' ? err.message : words;
  }
  return err instanceof Error ? err.message : 'The message was not sent';
}

export function useWhatsappSend(personId: string, onSent: (note: HistoryNote) => void) {
  const [pending, setPending] = useState<Pending[]>([]);
  const send = async (message: { text: string } | { template: TemplateSend }) => {
    const key = crypto.randomUUID();
    const text = 'text' in message ? message.text : `Template ${message.template.name}`;
    setPending((p) => [...p, { key, text }]);
    try {
      onSent(await sendWhatsapp(personId, message, key));
    } catch (err) {
      throw new Error(refusalText(err));
    } finally {
      setPending((p) => p.filter((x) => x.key !== key));
    }
  };
  return { pending, send };
}
