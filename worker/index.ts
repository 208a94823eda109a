import { buildApp } from './app';
import { runScheduled } from './scheduled';
import type { AutomationMessage } from './whatsapp/automations/sweep';
import { handleBulkBatch } from './whatsapp/bulk-queue';

export { CompanyInbox } from './realtime/company-inbox';
export { MetaSandbox } from './sandbox/meta-sandbox';
export { AutomationPacer } from './whatsapp/automations/pacer';
export { Conversation } from './whatsapp/conversation';

const app = buildApp();

export default {
  fetch: app.fetch,
  scheduled: (controller, env) => runScheduled(controller, env),
  queue: (batch, env) => handleBulkBatch(batch, env),
} satisfies ExportedHandler<Env, AutomationMessage>;
