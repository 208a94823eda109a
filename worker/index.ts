import { DurableObject, exports } from 'cloudflare:workers';
export class Conversation extends DurableObject<Env> {
  async ping(): Promise<string> {
    const r = await exports.default.fetch(new Request('http://x/health'));
    return `pong ${await r.text()}`;
  }
}
export class MetaSandbox extends DurableObject<Env> {}
export default {
  async fetch(req: Request, env: Env): Promise<Response> {
    const n = await env.DB.prepare('select 1 as n').first<{ n: number }>();
    return new Response(`ok ${n?.n}`);
  },
} satisfies ExportedHandler<Env>;
