// The service worker's saved API answers (sw-api-cache.ts), named here so the page can empty them too: the
// worker empties them on login and logout, but a page it does not control (first visit, a hard reload)
// logs in past it.

export const API_CACHE = 'clubchat-api';
/** The header the service worker adds to an API answer it took from its saved copies. */
export const SAVED_HEADER = 'X-ClubChat-Saved';

export async function forgetSavedAnswers(): Promise<void> {
  try {
    await globalThis.caches?.delete(API_CACHE);
  } catch {
    // Storage unavailable (some private modes): then nothing was saved either.
  }
}
