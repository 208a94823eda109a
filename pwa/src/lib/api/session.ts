// Staff sessions: log in, log out, and who is logged in.
import { forgetSavedAnswers } from '../saved-answers';
import { ApiFailure, client, sessionLost, unwrap } from './client';
import type { components } from './schema';

export type Me = components['schemas']['Me'];

export async function login(email: string, password: string): Promise<Me> {
  const me = await unwrap(client.POST('/api/auth/login', { body: { email, password } }));
  // The previous session's saved answers (offline reading) must never show under this one; and who is logged
  // in is read once through the service worker, so an app restarted with no signal opens as this staff member.
  await forgetSavedAnswers();
  void client.GET('/api/auth/me').catch(() => undefined);
  sessionLost.value = false;
  return me;
}

export async function logout(): Promise<unknown> {
  try {
    return await unwrap(client.POST('/api/auth/logout', {}));
  } finally {
    await forgetSavedAnswers();
  }
}

/** The logged-in staff member, or null when nobody is (401). */
export async function currentUser(): Promise<Me | null> {
  try {
    return await unwrap(client.GET('/api/auth/me'));
  } catch (err) {
    if (err instanceof ApiFailure && err.status === 401) return null;
    throw err;
  }
}
