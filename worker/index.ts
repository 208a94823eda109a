import { buildApp } from './app';
import { runScheduled } from './scheduled';

export { CompanyInbox } from './realtime/company-inbox';
export { MetaSandbox } from './sandbox/meta-sandbox';
export { Conversation } from './whatsapp/conversation';

const app = buildApp();

export default {
  fetch: app.fetch,
  scheduled: (controller, env, _ctx) => runScheduled(controller, env),
} satisfies ExportedHandler<Env>;
