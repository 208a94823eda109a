// The core of the one way the app talks to the worker: the typed client and what every call's answer goes
// through (a refusal becomes an ApiFailure, any 401 ends the session). Paths, bodies and answers are typed
// from the worker's OpenAPI document (schema.d.ts, `npm run api:types`); the per-area files beside this one
// hold the calls, and pages call those, never fetch() with a string.

import { signal } from '@preact/signals';
import createClient from 'openapi-fetch';
import type { paths } from './schema';

/** A refusal or failure, with the server's code and its reason in words. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Set to true by any 401: the session ended (logout elsewhere, expiry); the app shows the login page. */
export const sessionLost = signal(false);

/** Shared by the per-area API files (session.ts, people.ts, inbox.ts, templates.ts...). */
export const client = createClient<paths>({ baseUrl: globalThis.location?.origin ?? '' });

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

function failureOf(status: number, error: unknown): ApiFailure {
  const e = typeof error === 'object' && error !== null && 'error' in error ? error.error : null;
  if (typeof e === 'object' && e !== null && 'code' in e && 'message' in e)
    return new ApiFailure(status, String(e.code), String(e.message));
  return new ApiFailure(status, 'http_error', `The server answered ${status}`);
}

export async function unwrap<T>(call: Promise<Answer<T>>): Promise<T> {
  let answer: Answer<T>;
  try {
    answer = await call;
  } catch {
    throw new ApiFailure(0, 'offline', 'Cannot reach ClubChat: check your connection and try again');
  }
  if (answer.response.status === 401) sessionLost.value = true;
  if (answer.error !== undefined || !answer.response.ok) throw failureOf(answer.response.status, answer.error);
  return answer.data as T;
}
