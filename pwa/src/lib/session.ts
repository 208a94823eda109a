// Who is logged in. `undefined` while the app asks the server, null when nobody is.
import { computed, effect, signal } from '@preact/signals';
import { sessionLost } from './api/client';
import { logout as apiLogout, currentUser, type Me } from './api/session';
import { onLiveEvent, startLive, stopLive } from './live';
import { ownerOf } from './outbox/owner';
import { forgetSavedAnswers } from './saved-answers';

export const me = signal<Me | null | undefined>(undefined);
export const sessionError = signal<string | null>(null);

/** What the logged-in role may do (Me.permissions); screens hide the rest, the server refuses it anyway. */
export const can = (permission: Me['permissions'][number]): boolean =>
  me.value?.permissions.includes(permission) === true;

export const whatsappEnabled = computed(() => me.value?.company.whatsapp.enabled === true);

export function signedIn(user: Me) {
  me.value = user;
  startLive();
  // Replies written offline (outbox/) go as soon as someone who may send them is logged in.
  const owner = ownerOf(user);
  if (owner) void import('./outbox/start').then((m) => m.startOutbox(owner));
}

export async function loadSession() {
  sessionError.value = null;
  try {
    const user = await currentUser();
    if (user) signedIn(user);
    else me.value = null;
  } catch (err) {
    sessionError.value = err instanceof Error ? err.message : 'Could not reach ClubChat';
  }
}

export async function signOut() {
  stopLive();
  try {
    await apiLogout();
  } finally {
    sessionEnded();
  }
}

/**
 * However a session ends (logout here, or any 401: logout elsewhere, expiry, deactivation), nothing of it stays
 * on screen or for an app started later with no signal: the service worker's saved answers go, and the outbox
 * shows nothing until the next login reads it again (its replies stay on the device for their author only).
 */
export function sessionEnded() {
  stopLive();
  void forgetSavedAnswers();
  void import('./outbox/start').then((m) => m.stopOutbox());
  me.value = null;
}

// Any 401, from whichever screen's call: the Gate then shows the login page.
effect(() => {
  if (sessionLost.value) sessionEnded();
});

// A person's data was erased (by anyone in the company): no copy saved on this phone for offline reading may
// still show it. The saved answers are emptied whole; the screens refetch what they show.
onLiveEvent((e) => {
  if (e !== 'reset' && e.type === 'erased') void forgetSavedAnswers();
});
