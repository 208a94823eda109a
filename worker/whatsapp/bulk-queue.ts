// The Queue consumer of bulk sends: automated items' occurrences and broadcasts' recipients share one Queue (so
// one consumer concurrency and one dead-letter queue bound both), and each message says which it carries.

import { processOccurrences } from './automations/consumer';
import type { AutomationMessage } from './automations/sweep';
import { processRecipients } from './broadcasts/consumer';

/** Each message is acknowledged on its own, so one failure retries only its rows. */
export async function handleBulkBatch(batch: MessageBatch<AutomationMessage>, env: Env): Promise<void> {
  await Promise.all(
    batch.messages.map(async (message) => {
      const body = message.body;
      const ids = Array.isArray(body?.ids) ? body.ids.filter((id) => typeof id === 'string') : [];
      try {
        if (body?.kind === 'broadcast') {
          if (typeof body.companyId === 'string') await processRecipients(env, ids, Date.now(), body.companyId);
        } else await processOccurrences(env, ids, Date.now(), body?.companyId);
        message.ack();
      } catch (err) {
        console.error('bulk send queue message failed', message.id, err);
        message.retry({ delaySeconds: 30 });
      }
    }),
  );
}
