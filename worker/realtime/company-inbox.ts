import { DurableObject } from 'cloudflare:workers';
import { type Scope, visible } from '#common/scope';
import { ddl, migrateSchema, type Schema } from '../durable/schema-versions';
import { type InboundPush, pushInbound } from '../push/inbound';
import type { InboxEvent, InboxEventInput, InboxEvents, InboxParcel } from './events';
import { scopeFacts } from './visible-events';

/** Events kept for reconnecting apps; an app that missed more than this refetches everything (`reset`). */
export const KEPT_EVENTS = 1000;

/** The inbox's tables, step by step (rules in worker/durable/schema-versions.ts: never edit a shipped step). */
export const INBOX_SCHEMA: Schema = {
  name: 'company_inbox',
  steps: [
    ddl(`CREATE TABLE IF NOT EXISTS events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        type TEXT NOT NULL,
        person_id TEXT NOT NULL,
        message_id TEXT,
        at INTEGER NOT NULL
      )`),
    // Sequence numbers are handed out from memory in blocks (see `publish`); this holds the end of the last
    // block, so an object that restarts never hands out a number an app may already have seen.
    ddl('CREATE TABLE IF NOT EXISTS sequence (id INTEGER PRIMARY KEY CHECK (id = 1), reserved_to INTEGER NOT NULL)'),
  ],
};

/** Sequence numbers reserved per storage write. */
const SEQUENCE_BLOCK = 1000;
/** How long new events wait in memory so that a burst of them is stored in one write. */
const STORE_DELAY_MS = 10;
/** Events per INSERT: five values each, within SQLite's 100 bound parameters a statement in Durable Objects. */
const ROWS_PER_INSERT = 20;

interface PendingEvent {
  seq: number;
  type: InboxEventInput['type'];
  personId: string;
  messageId: string | null;
  at: number;
}

interface Attachment {
  userId: string;
  /** Short prefix of the session's token hash, so logout can close exactly that session's sockets. */
  session: string;
  /** When the session ends (ms). The socket is closed at its first use after that (see `openSockets`). */
  expiresAt: number;
  /** The company (this object's name), for reading people's clubs and owners; absent on sockets made before. */
  companyId?: string;
  /**
   * What the user may see (#common/scope), as the session had it when the socket opened; null or absent: every
   * event. A user whose role or clubs change has their sockets closed (`rescopeUser`) and reconnects. Kept under
   * the 2 KB attachment limit by the 50 clubs a user may be limited to (settings/schemas.ts).
   */
  scope?: Scope | null;
}

/** Close code for a socket whose session ended (logout or expiry): the app reconnects and meets the 401. */
const SESSION_ENDED = 4001;
/** Close code for a socket whose user's role or clubs changed: the app reconnects with the new scope. */
const RESCOPED = 4002;

/** The scope the worker's /live route hands over (a JSON header it sets itself); anything unreadable: none. */
function scopeHeader(value: string | null): Scope | null {
  try {
    const parsed: unknown = JSON.parse(value ?? 'null');
    if (typeof parsed !== 'object' || parsed === null) return null;
    const { clubIds, ownOnly } = parsed as Record<string, unknown>;
    const clubs = Array.isArray(clubIds) ? clubIds.filter((c): c is string => typeof c === 'string') : null;
    return { clubIds: clubs, ownOnly: typeof ownOnly === 'string' ? ownOnly : null };
  } catch {
    return null;
  }
}

/**
 * One object per company: its staff's open apps hold WebSockets here, through the Hibernation API
 * (ctx.acceptWebSocket), so an idle inbox costs nothing while the sockets stay open. Every event gets the
 * next sequence number in this company; apps reconnecting with their last `seq` get what they missed.
 */
export class CompanyInbox extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // Answered by the runtime without waking the object: keep-alives cost no wall time.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('ping', 'pong'));
    ctx.blockConcurrencyWhile(async () => {
      migrateSchema(ctx.storage, INBOX_SCHEMA);
      // Numbers up to the last reserved block may have gone out before a restart: start after all of them.
      this.seq = this.ctx.storage.sql
        .exec<{ seq: number }>(
          `SELECT max(
             coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0),
             coalesce((SELECT reserved_to FROM sequence WHERE id = 1), 0)) AS seq`,
        )
        .one().seq;
      this.reserveThrough(this.seq);
    });
  }

  /** The latest sequence number handed out. */
  private seq = 0;
  /** Numbers up to this one may be handed out without a write. */
  private reservedTo = 0;
  /** Events sent to the apps but not yet stored for `since`. */
  private pending: PendingEvent[] = [];
  private storeTimer: ReturnType<typeof setTimeout> | null = null;

  private reserveThrough(seq: number): void {
    this.reservedTo = seq + SEQUENCE_BLOCK;
    this.ctx.storage.sql.exec(
      'INSERT INTO sequence (id, reserved_to) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET reserved_to = excluded.reserved_to',
      this.reservedTo,
    );
  }

  /** Stores the pending events (and trims old ones) in one transaction. */
  private storePending(): void {
    if (this.storeTimer) clearTimeout(this.storeTimer);
    this.storeTimer = null;
    const rows = this.pending;
    if (!rows.length) return;
    this.pending = [];
    const sql = this.ctx.storage.sql;
    this.ctx.storage.transactionSync(() => {
      // Many rows a statement: under a burst of webhooks a statement per event was most of this object's time.
      for (let at = 0; at < rows.length; at += ROWS_PER_INSERT) {
        const chunk = rows.slice(at, at + ROWS_PER_INSERT);
        sql.exec(
          `INSERT INTO events (seq, type, person_id, message_id, at) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?)').join(', ')}`,
          ...chunk.flatMap((r) => [r.seq, r.type, r.personId, r.messageId, r.at]),
        );
      }
      // By count, not by number: numbers jump after a restart (a block is skipped), events do not.
      sql.exec(
        'DELETE FROM events WHERE seq <= (SELECT seq FROM events ORDER BY seq DESC LIMIT 1 OFFSET ?)',
        KEPT_EVENTS,
      );
    });
  }

  /** Only the WebSocket upgrade comes here; the worker has already checked the session and Origin. */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get('Upgrade')?.toLowerCase() !== 'websocket')
      return new Response('Expected a WebSocket upgrade', { status: 426 });
    const userId = request.headers.get('X-Inbox-User') ?? '';
    const session = request.headers.get('X-Inbox-Session') ?? '';
    // Missing or unreadable: 0, an expired socket closed at first use; the app reconnects and is checked afresh.
    const expiresAt = Number(request.headers.get('X-Inbox-Session-Expires')) || 0;
    const companyId = request.headers.get('X-Inbox-Company') ?? '';
    const scope = scopeHeader(request.headers.get('X-Inbox-Scope'));
    // A scoped socket must be able to read people's clubs and owners; without its company it gets nothing.
    if (scope && !companyId) return new Response('Missing company', { status: 400 });
    const pair = new WebSocketPair();
    const [client, server] = [pair[0], pair[1]];
    this.ctx.acceptWebSocket(server, [`user:${userId}`, `session:${session}`]);
    server.serializeAttachment({ userId, session, expiresAt, companyId, scope } satisfies Attachment);
    server.send(JSON.stringify({ type: 'hello', seq: this.seq }));
    return new Response(null, { status: 101, webSocket: client });
  }

  /**
   * Sends an event to every open app at once and returns its sequence number. Storing it for apps that catch up
   * later (`since`) waits STORE_DELAY_MS, so that a burst of inbound messages costs one storage write rather
   * than one each (measured under webhook ingest: the write per event was a tenth of the worker's CPU). An
   * object reset in those milliseconds loses those events for catching up only: the open apps had them, and the
   * sequence still never goes back (numbers are reserved in blocks, above).
   */
  async publish(input: InboxEventInput): Promise<number> {
    return this.record(input, this.openSockets());
  }

  /** `publish` to the sockets given: a batch of events (`deliver`) looks up the open ones once. */
  private record(input: InboxEventInput, open: { ws: WebSocket; attachment: Attachment }[]): number {
    const at = Date.now();
    const seq = ++this.seq;
    if (seq > this.reservedTo) this.reserveThrough(seq);
    this.pending.push({ seq, type: input.type, personId: input.personId, messageId: input.messageId ?? null, at });
    this.storeTimer ??= setTimeout(() => this.storePending(), STORE_DELAY_MS);
    // No app open (most of the time at night, and under a burst of webhooks to a quiet company): nothing to build.
    if (open.length === 0) return seq;
    const event: InboxEvent = {
      seq,
      type: input.type,
      person_id: input.personId,
      message_id: input.messageId ?? null,
      at: new Date(at).toISOString(),
    };
    const frame = JSON.stringify({ type: 'event', event });
    const scoped: { ws: WebSocket; attachment: Attachment & { scope: Scope } }[] = [];
    for (const socket of open) {
      const { scope } = socket.attachment;
      if (scope) scoped.push({ ws: socket.ws, attachment: { ...socket.attachment, scope } });
      else send(socket.ws, frame);
    }
    if (scoped.length > 0) this.sendScoped(scoped, input, frame);
    return seq;
  }

  /** Scoped sockets get events in sequence order, each only when its person is one their user may see. */
  private scopedSends: Promise<void> = Promise.resolve();

  /**
   * Reads the person's club, owner and status (one D1 read, only while a scoped app is open) and sends the frame
   * to the sockets whose scope sees them. The read starts at once; the sends wait for the ones before, so an app
   * never gets event 6 before event 5 even when the reads come back out of order.
   */
  private sendScoped(
    sockets: { ws: WebSocket; attachment: Attachment & { scope: Scope } }[],
    input: InboxEventInput,
    frame: string,
  ) {
    const { personId, before } = input;
    const companyId = sockets[0]?.attachment.companyId ?? '';
    const facts = scopeFacts(this.env, companyId, [personId]).then(
      (m) => m.get(personId) ?? null,
      () => null,
    );
    this.scopedSends = this.scopedSends.then(async () => {
      const person = await facts;
      // Now or just before the change: whoever sees either hears of it (a lead reassigned away drops from a list).
      const seen = (scope: Scope) =>
        (person !== null && visible(scope, person)) || (before !== undefined && visible(scope, before));
      for (const { ws, attachment } of sockets) if (seen(attachment.scope)) send(ws, frame);
    });
    this.ctx.waitUntil(this.scopedSends);
  }

  /** Resolves once the scoped sends started so far are done (tests). */
  async scopedSettled(): Promise<void> {
    await this.scopedSends;
  }

  /** Events after `since`, oldest first; `reset` when some of them are no longer kept. */
  async since(since: number, limit = 500): Promise<InboxEvents> {
    this.storePending();
    const latest = this.seq;
    const oldest = this.ctx.storage.sql.exec<{ seq: number | null }>('SELECT MIN(seq) AS seq FROM events').one().seq;
    // `since` beyond our latest means this object's history was lost (or the app is confused): start over.
    const reset = since > latest || (oldest !== null && since < oldest - 1);
    if (reset) return { events: [], seq: latest, reset: true };
    const rows = this.ctx.storage.sql
      .exec<{ seq: number; type: InboxEvent['type']; person_id: string; message_id: string | null; at: number }>(
        'SELECT seq, type, person_id, message_id, at FROM events WHERE seq > ? ORDER BY seq LIMIT ?',
        since,
        limit,
      )
      .toArray();
    const events = rows.map((r) => ({ ...r, at: new Date(r.at).toISOString() }));
    return { events, seq: events.at(-1)?.seq ?? latest, reset: false };
  }

  /** Logout: the session's open sockets close at once rather than outliving it. */
  async closeSession(session: string): Promise<number> {
    const sockets = this.ctx.getWebSockets(`session:${session}`);
    for (const ws of sockets) ws.close(SESSION_ENDED, 'Logged out');
    return sockets.length;
  }

  /** How many apps are connected (tests and diagnostics). */
  async connections(): Promise<number> {
    return this.openSockets().length;
  }

  /**
   * The sockets whose session still lasts; the others are closed here. Checked at every use (each event, each
   * "who has the app open", each message from the app) rather than by an alarm: those uses are the only moments
   * an expired socket could do harm (receive an event, or keep its user from being pushed), the check is a
   * comparison on a small attachment, and a hibernated inbox is not woken at every session's end. The cost:
   * an idle expired socket stays open (answering pings) until the next event, and then closes.
   */
  private openSockets(now = Date.now()): { ws: WebSocket; attachment: Attachment }[] {
    const open: { ws: WebSocket; attachment: Attachment }[] = [];
    for (const ws of this.ctx.getWebSockets()) {
      const attachment = this.openAttachment(ws, now);
      if (attachment) open.push({ ws, attachment });
    }
    return open;
  }

  /** The socket's attachment while its session lasts; null (and the socket closed) once it has ended. */
  private openAttachment(ws: WebSocket, now = Date.now()): Attachment | null {
    const attachment = ws.deserializeAttachment() as Attachment | null;
    if (attachment && attachment.expiresAt > now) return attachment;
    try {
      ws.close(SESSION_ENDED, 'Session expired');
    } catch {
      // Already closing.
    }
    return null;
  }

  // --- Web Push (worker/push/) ------------------------------------------------------------------------

  /** Staff with an open app (a live socket) right now: they see new messages live and get no push. */
  async connectedUserIds(): Promise<string[]> {
    const ids = new Set<string>();
    for (const { attachment } of this.openSockets()) if (attachment.userId) ids.add(attachment.userId);
    return [...ids];
  }

  private readonly pushes = new Set<Promise<unknown>>();
  /**
   * This company has no valid push subscription (learnt from the last push): skip the D1 read on every inbound
   * message until one is saved (`pushSubscribed`), the only way to get one. Memory only: a new object asks again.
   */
  private noSubscriptions = false;

  /** A new inbound message's event and push: what workers of the deploy before `deliver` call. */
  async inbound(event: InboxEventInput, push: InboundPush): Promise<void> {
    await this.deliver([{ event, push }]);
  }

  /** Events (and inbound messages' pushes) gathered by one worker while its last call was on its way (notify.ts). */
  async deliver(parcels: InboxParcel[]): Promise<void> {
    // The open sockets once for the whole delivery: nothing below waits on I/O (the pushes run on without being
    // awaited), so no socket opens or closes in between.
    const open = this.openSockets();
    for (const { event, push } of parcels) {
      this.record(event, open);
      if (push) await this.pushInbound(push);
    }
  }

  /** A staff member saved a subscription: push again. */
  async pushSubscribed(): Promise<void> {
    this.noSubscriptions = false;
  }

  /** Pushes a new inbound message to staff whose app is closed; returns at once, the sending runs on. */
  async pushInbound(input: InboundPush): Promise<void> {
    if (this.noSubscriptions) return;
    const task = pushInbound(this.env, input, await this.connectedUserIds())
      .then((report) => {
        this.noSubscriptions = !report.subscribed;
      })
      .catch((err: unknown) => console.warn('inbound push failed', err instanceof Error ? err.message : String(err)))
      .finally(() => this.pushes.delete(task));
    this.pushes.add(task);
    this.ctx.waitUntil(task);
  }

  /** Resolves once the pushes started so far are done (tests and diagnostics). */
  async pushesSettled(): Promise<void> {
    await Promise.all([...this.pushes]);
  }

  /** A deactivated user's open apps close at once. */
  async closeUser(userId: string): Promise<number> {
    const sockets = this.ctx.getWebSockets(`user:${userId}`);
    for (const ws of sockets) ws.close(4003, 'Account deactivated');
    return sockets.length;
  }

  /** A user's role or clubs changed: their open apps reconnect, and their sockets then carry the new scope. */
  async rescopeUser(userId: string): Promise<number> {
    const sockets = this.ctx.getWebSockets(`user:${userId}`);
    for (const ws of sockets) ws.close(RESCOPED, 'Your access changed');
    return sockets.length;
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    // Apps only listen; "ping" is answered by the auto-response above. Anything else gets the latest seq,
    // which lets an app check it is up to date without a request.
    if (!this.openAttachment(ws)) return;
    if (message === 'seq') ws.send(JSON.stringify({ type: 'hello', seq: this.seq }));
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    try {
      ws.close(code, reason);
    } catch {
      // Already closed.
    }
  }
}

function send(ws: WebSocket, frame: string): void {
  try {
    ws.send(frame);
  } catch {
    // A socket closing as we send: its app reconnects and catches up with `since`.
  }
}

export function inboxStub(env: Env, companyId: string) {
  return env.INBOX.getByName(companyId);
}
