import { ApiFailure } from './api/client';
import { failureText } from './failure-text';

/** A refused or failed request's reason in words: ours by code (failure-text.ts), else the server's message. */
export function refusalText(err: unknown): string {
  if (err instanceof ApiFailure) {
    const words = failureText({ code: err.code });
    return words === 'Not delivered' ? err.message : words;
  }
  return err instanceof Error ? err.message : 'The message was not sent';
}
