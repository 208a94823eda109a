import { buildApp } from './app';
import { handleConversionBatch } from './conversions/consumer';
import { runScheduled } from './scheduled';
import { handleAutomationBatch } from './whatsapp/automations/consumer';
import type { AutomationMessage } from './whatsapp/automations/sweep';

export { CompanyInbox } from './realtime/company-inbox';
export { MetaSandbox } from './sandbox/meta-sandbox';
export { AutomationPacer } from './whatsapp/automations/pacer';
export { Conversation } from './whatsapp/conversation';

const app = buildApp();
/** wrangler.toml's name for the conversions queue (a `-dlq` or per-environment suffix keeps the prefix). */
const CONVERSIONS_QUEUE = 'clubchat-conversions';

export default {
  fetch: app.fetch,
  scheduled: (controller, env) => runScheduled(controller, env),
  // One handler, two queues (wrangler.toml): each consumer checks its own messages.
  queue: (batch, env) =>
    batch.queue.startsWith(CONVERSIONS_QUEUE)
      ? handleConversionBatch(batch, env)
      : handleAutomationBatch(batch as MessageBatch<AutomationMessage>, env),
} satisfies ExportedHandler<Env, unknown>;
