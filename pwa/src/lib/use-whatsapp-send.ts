// One send from the composer: shown at once as pending, then as the message the server stored (its status
// follows over the live socket). A refusal comes back as its reason in words. Where the page shows the outbox
// (`{ outbox: true }`: the conversation), a reply that cannot reach the server (offline, or the request failed
// on the way) is kept on the device with the same key and sent when the connection returns (outbox/).
import { useState } from 'preact/hooks';
import { MEDIA_RULES } from '#common/media';
import { ApiFailure } from './api/client';
import { uploadMedia } from './api/media';
import { type HistoryNote, type MediaSend, sendWhatsapp } from './api/people';
import { attachmentName, type MediaMessage } from './attachment';
import { ownerOf } from './outbox/owner';
import { sendSoon } from './outbox/start';
import { addToOutbox, type OutboxMessage, outboxText } from './outbox/store';
import { refusalText } from './refusal-text';
import { me } from './session';

export { refusalText };

export interface Pending {
  key: string;
  text: string;
}

type Message = OutboxMessage;

export function useWhatsappSend(
  personId: string,
  onSent: (note: HistoryNote) => void,
  options: { outbox?: boolean } = {},
) {
  const [pending, setPending] = useState<Pending[]>([]);

  /** `triedAt`: when a request carrying this key already went out (its answer lost), null if none did. */
  const keep = async (message: Message, key: string, triedAt: string | null = null) => {
    const owner = ownerOf(me.peek());
    if (!owner) throw new Error('Log in again to send');
    try {
      await addToOutbox(owner, personId, message, key, undefined, triedAt);
    } catch {
      throw new Error('No connection, and this device could not keep the message to send later');
    }
    // The browser may still call itself online (weak signal): no "online" event will come, so try again soon.
    sendSoon();
  };

  /** Resolves once it is accepted or safely in the outbox; throws the reason in words otherwise. */
  const send = async (message: Message) => {
    // One key per message, kept by the outbox too: however often it is retried, it goes once.
    const key = crypto.randomUUID();
    if (options.outbox && !navigator.onLine) return keep(message, key);
    const text = outboxText(message);
    setPending((p) => [...p, { key, text }]);
    const triedAt = new Date().toISOString();
    try {
      onSent(await sendWhatsapp(personId, message, key));
    } catch (err) {
      // No answer: it may or may not have arrived; the outbox resends it with the same key to find out.
      if (options.outbox && err instanceof ApiFailure && err.status === 0) return keep(message, key, triedAt);
      throw new Error(refusalText(err));
    } finally {
      setPending((p) => p.filter((x) => x.key !== key));
    }
  };
  /**
   * A photo or file: uploaded first (progress reported), then sent by its id like any reply. Never kept in the
   * outbox: the composer refuses it offline in words, and a failure here is said, not retried later.
   */
  const sendMedia = async ({ attachment: a, caption, onProgress }: MediaMessage) => {
    const key = crypto.randomUUID();
    setPending((p) => [...p, { key, text: `${attachmentName(a)}${caption ? `: ${caption}` : ''}` }]);
    try {
      const source =
        a.kind === 'file'
          ? { id: (await uploadMedia(a.file, { personId, onProgress })).id }
          : a.id
            ? { id: a.id }
            : { link: a.link ?? '' };
      const filename = a.kind === 'saved' && a.filename && MEDIA_RULES[a.type].filename ? { filename: a.filename } : {};
      const media: MediaSend = { type: a.type, ...source, ...(caption ? { caption } : {}), ...filename };
      onSent(await sendWhatsapp(personId, { media }, key));
    } catch (err) {
      throw new Error(refusalText(err));
    } finally {
      setPending((p) => p.filter((x) => x.key !== key));
    }
  };
  return { pending, send, sendMedia };
}
