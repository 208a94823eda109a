// Who is logged in. `undefined` while the app asks the server, null when nobody is.
import { computed, signal } from '@preact/signals';
import { logout as apiLogout, currentUser, type Me } from './api';
import { startLive, stopLive } from './live';

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
  void import('./outbox/start').then((m) => m.startOutbox());
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
    me.value = null;
  }
}

export function sessionEnded() {
  stopLive();
  me.value = null;
}
