import { buildApp } from './app';

export { MetaSandbox } from './sandbox/meta-sandbox';
export { Conversation } from './whatsapp/conversation';

const app = buildApp();

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
