/// <reference lib="webworker" />
// Web Push in the service worker: show what the server pushed (worker/push/send.ts, PushNotice) and open the
// conversation when the notification is tapped. Kept apart from sw.ts so the precache code stays untouched.

/** What the server sends: the person's name, a preview, one tag per conversation, the conversation's path. */
export interface PushNotice {
  title: string;
  body: string;
  tag: string;
  url: string;
}

const FALLBACK: PushNotice = { title: 'ClubChat', body: 'New WhatsApp message', tag: 'clubchat', url: '/' };

const str = (v: unknown, max: number): string | null => (typeof v === 'string' && v.trim() ? v.slice(0, max) : null);

/** Whatever arrives, something sensible is shown: a push that shows nothing costs the site its push permission. */
export function noticeFrom(data: unknown): PushNotice {
  if (!data || typeof data !== 'object') return FALLBACK;
  const d = data as Record<string, unknown>;
  return {
    title: str(d.title, 100) ?? FALLBACK.title,
    body: str(d.body, 300) ?? FALLBACK.body,
    tag: str(d.tag, 100) ?? FALLBACK.tag,
    url: str(d.url, 500) ?? FALLBACK.url,
  };
}

/** Only a path in this app is opened: a push can never send a tap to another site. */
export function safeUrl(url: unknown, origin: string): string {
  try {
    const target = new URL(typeof url === 'string' ? url : '/', origin);
    return target.origin === origin ? target.href : new URL('/', origin).href;
  } catch {
    return new URL('/', origin).href;
  }
}

function readJson(event: PushEvent): unknown {
  try {
    return event.data?.json();
  } catch {
    return null;
  }
}

/** Focus an open ClubChat window and take it to the conversation, or open one. */
export async function openConversation(sw: ServiceWorkerGlobalScope, url: string): Promise<void> {
  const windows = await sw.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const same = windows.find((w) => w.url === url);
  // focus() needs the tap's user activation; failing to focus must not stop the conversation from opening.
  if (same) {
    await same.focus().catch(() => same);
    return;
  }
  const open = windows.find((w) => new URL(w.url).origin === sw.location.origin);
  if (open) {
    const focused = await open.focus().catch(() => open);
    // navigate() works on windows this worker controls; otherwise a new window is the honest fallback.
    const moved = await focused.navigate(url).catch(() => null);
    if (moved) return;
  }
  await sw.clients.openWindow(url);
}

export function registerPushHandlers(sw: ServiceWorkerGlobalScope): void {
  sw.addEventListener('push', (event) => {
    const notice = noticeFrom(readJson(event));
    event.waitUntil(
      sw.registration.showNotification(notice.title, {
        body: notice.body,
        // Same tag: a newer message of the conversation replaces the notification instead of stacking.
        tag: notice.tag,
        data: { url: notice.url },
        icon: '/icons/icon-192.png',
        badge: '/icons/icon-192.png',
      }),
    );
  });

  sw.addEventListener('notificationclick', (event) => {
    event.notification.close();
    const data = event.notification.data as { url?: unknown } | null;
    event.waitUntil(openConversation(sw, safeUrl(data?.url, sw.location.origin)));
  });
}
