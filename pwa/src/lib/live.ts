// Live updates: one WebSocket to the company's inbox object. Events carry ids only; pages refetch through the
// API. On every (re)connect the app asks for the events it missed since the last sequence number it saw, so a
// deploy or a dropped connection loses nothing on screen; when too much was missed (`reset`) everything reloads.
import { signal } from '@preact/signals';
import { eventsSince, liveUrl } from './api/inbox';

export interface LiveEvent {
  seq: number;
  type: string;
  person_id: string;
  message_id: string | null;
}

export type LiveState = 'connecting' | 'live' | 'offline';
export const liveState = signal<LiveState>('connecting');

/** Bumped on every event (and on a reset): pages that show inbox data refetch when it changes. */
export const inboxVersion = signal(0);
/** The person the latest event was about (`*` after a reset: every person). */
export const lastEventPerson = signal<string>('');

type Listener = (e: LiveEvent | 'reset') => void;
const listeners = new Set<Listener>();
export function onLiveEvent(fn: Listener): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** Reconnect delays: 0.5 s doubling to 30 s, with jitter so a deploy does not bring every app back at once. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(30_000, 500 * 2 ** attempt);
  return Math.round(base / 2 + (random() * base) / 2);
}

let lastSeq: number | null = null;

function deliver(e: LiveEvent | 'reset') {
  if (e !== 'reset') lastSeq = Math.max(lastSeq ?? 0, e.seq);
  lastEventPerson.value = e === 'reset' ? '*' : e.person_id;
  inboxVersion.value++;
  for (const fn of listeners) fn(e);
}

/** Every page showing inbox data reloads it, as after a reset (lib/outbox/connection.ts: saved copies shown). */
export function refreshEverything(): void {
  deliver('reset');
}

async function catchUp(serverSeq: number) {
  if (lastSeq === null) {
    lastSeq = serverSeq;
    return;
  }
  if (serverSeq <= lastSeq) return;
  try {
    const missed = await eventsSince(lastSeq);
    if (missed.reset) deliver('reset');
    for (const e of missed.events) deliver(e);
    lastSeq = Math.max(lastSeq, missed.seq);
  } catch {
    deliver('reset');
  }
}

let socket: WebSocket | null = null;
let stopped = true;
let attempt = 0;
let timer: ReturnType<typeof setTimeout> | undefined;
let pinger: ReturnType<typeof setInterval> | undefined;

function connect() {
  if (stopped) return;
  liveState.value = 'connecting';
  const ws = new WebSocket(liveUrl());
  socket = ws;
  ws.onopen = () => {
    attempt = 0;
    liveState.value = 'live';
    // Answered by the object's auto-response without waking it; keeps proxies from closing an idle socket.
    pinger = setInterval(() => ws.readyState === WebSocket.OPEN && ws.send('ping'), 25_000);
  };
  ws.onmessage = (m) => {
    if (typeof m.data !== 'string' || m.data === 'pong') return;
    let frame: unknown;
    try {
      frame = JSON.parse(m.data);
    } catch {
      return;
    }
    if (typeof frame !== 'object' || frame === null || !('type' in frame)) return;
    if (frame.type === 'hello' && 'seq' in frame && typeof frame.seq === 'number') void catchUp(frame.seq);
    else if (frame.type === 'event' && 'event' in frame) deliver(frame.event as LiveEvent);
  };
  ws.onclose = () => {
    clearInterval(pinger);
    if (socket !== ws) return;
    socket = null;
    if (stopped) return;
    liveState.value = 'offline';
    timer = setTimeout(connect, backoffMs(attempt++));
  };
}

export function startLive() {
  if (!stopped) return;
  stopped = false;
  attempt = 0;
  connect();
}

export function stopLive() {
  stopped = true;
  clearTimeout(timer);
  clearInterval(pinger);
  socket?.close();
  socket = null;
  lastSeq = null;
}

// Coming back to the tab or the network: reconnect now rather than waiting out the back-off.
if (typeof window !== 'undefined') {
  const nudge = () => {
    if (!stopped && socket === null) {
      clearTimeout(timer);
      attempt = 0;
      connect();
    }
  };
  window.addEventListener('online', nudge);
  document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && nudge());
}
