// A stand-in for the browsers' push services (FCM, Mozilla autopush, Apple) in sandbox mode and tests. A
// subscription's endpoint is https://push.sandbox/sandbox/push/<id>; the push sender reaches it in-process
// (worker/push/send.ts), never over the network. Each endpoint records what it received (headers and the
// encrypted body, as a push service would forward them) and answers 201, or what a test told it to answer
// (410 Gone for an unsubscribed browser, 404, 429...). State lives in one MetaSandbox instance ("push-service").
import { z } from '@hono/zod-openapi';
import { ddl, migrateSchema, type Schema } from '../durable/schema-versions';
import { newRouter } from '../http';
import { SANDBOX_PUSH_HOST } from '../push/hosts';
import { sandboxOnly } from './guard';

export const SANDBOX_PUSH_OBJECT = 'push-service';

export const sandboxPushEndpoint = (id: string): string => `https://${SANDBOX_PUSH_HOST}/sandbox/push/${id}`;

export interface PushDelivery {
  /** The headers a push service reads: authorization (VAPID), content-encoding, ttl, urgency, topic. */
  headers: Record<string, string>;
  /** The encrypted body, base64. */
  body: string;
  at: string;
}

const KEPT_HEADERS = ['authorization', 'content-encoding', 'content-type', 'ttl', 'urgency', 'topic'];

/**
 * The push service's tables, step by step (rules in worker/durable/schema-versions.ts: never edit a shipped
 * step). They share the MetaSandbox object's storage with SANDBOX_SCHEMA, under their own version.
 */
export const PUSH_SERVICE_SCHEMA: Schema = {
  name: 'push_service',
  steps: [
    ddl(`
      CREATE TABLE IF NOT EXISTS push_deliveries (
        n INTEGER PRIMARY KEY AUTOINCREMENT, endpoint_id TEXT NOT NULL, headers TEXT NOT NULL, body TEXT NOT NULL,
        at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS push_answers (endpoint_id TEXT PRIMARY KEY, status INTEGER NOT NULL);
    `),
  ],
};

/** SQL run by the MetaSandbox instance that plays the push service; tables made on first use. */
export class PushServiceStore {
  private ready = false;
  private readonly sql: SqlStorage;

  constructor(private readonly storage: DurableObjectStorage) {
    this.sql = storage.sql;
  }

  private migrate(): void {
    if (this.ready) return;
    migrateSchema(this.storage, PUSH_SERVICE_SCHEMA);
    this.ready = true;
  }

  /** Records a delivery and returns the status to answer; a gone endpoint (404/410) records nothing. */
  receive(endpointId: string, headers: Record<string, string>, body: string): number {
    this.migrate();
    const status = this.answerFor(endpointId);
    if (status >= 200 && status < 300)
      this.sql.exec(
        'INSERT INTO push_deliveries (endpoint_id, headers, body, at) VALUES (?, ?, ?, ?)',
        endpointId,
        JSON.stringify(headers),
        body,
        Date.now(),
      );
    return status;
  }

  deliveries(endpointId: string): PushDelivery[] {
    this.migrate();
    return this.sql
      .exec<{ headers: string; body: string; at: number }>(
        'SELECT headers, body, at FROM push_deliveries WHERE endpoint_id = ? ORDER BY n',
        endpointId,
      )
      .toArray()
      .map((r) => ({
        headers: JSON.parse(r.headers) as Record<string, string>,
        body: r.body,
        at: new Date(r.at).toISOString(),
      }));
  }

  setAnswer(endpointId: string, status: number): void {
    this.migrate();
    this.sql.exec(
      'INSERT INTO push_answers (endpoint_id, status) VALUES (?, ?) ON CONFLICT (endpoint_id) DO UPDATE SET status = excluded.status',
      endpointId,
      status,
    );
  }

  private answerFor(endpointId: string): number {
    const row = this.sql
      .exec<{ status: number }>('SELECT status FROM push_answers WHERE endpoint_id = ?', endpointId)
      .toArray()[0];
    return row?.status ?? 201;
  }
}

function base64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

const pushService = (env: Env) => env.META_SANDBOX.getByName(SANDBOX_PUSH_OBJECT);

/** The push service's doors: no company credentials, like a real one (the endpoint id is the secret). */
export const sandboxPushRoutes = newRouter();

sandboxPushRoutes.post('/push/:id', sandboxOnly, async (c) => {
  const headers: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = c.req.header(name);
    if (value !== undefined) headers[name] = value;
  }
  const body = base64(new Uint8Array(await c.req.arrayBuffer()));
  const status = await pushService(c.env).pushReceive(c.req.param('id'), headers, body);
  return c.body(null, status as 201);
});

sandboxPushRoutes.get('/push/:id', sandboxOnly, async (c) =>
  c.json({ deliveries: await pushService(c.env).pushDeliveries(c.req.param('id')) }, 200),
);

const answerSchema = z.object({ status: z.number().int().min(200).max(599) }).strict();

/** What the endpoint answers from now on: 410 plays a browser that unsubscribed, 201 puts it back. */
sandboxPushRoutes.put('/push/:id/answer', sandboxOnly, async (c) => {
  const parsed = answerSchema.safeParse(await c.req.json().catch(() => null));
  if (!parsed.success) return c.json({ error: { code: 'validation_failed', message: 'status: 200-599' } }, 422);
  await pushService(c.env).pushAnswer(c.req.param('id'), parsed.data.status);
  return c.body(null, 204);
});
