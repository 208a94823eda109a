// How long an Idempotency-Key is honoured, and how long the app's outbox may replay a reply blindly under one.
// Both sides read these numbers here, so the outbox can never outlive the key it replays with.

const HOUR_MS = 60 * 60 * 1000;

/** The server keeps a key's first answer this long from its first use, then forgets it. */
export const IDEMPOTENCY_KEY_LIFETIME_MS = 24 * HOUR_MS;

/**
 * How long after its first try a reply may still be replayed without asking: well inside the key's lifetime, as
 * the phone's clock (which measures it) may be off by some hours from the server's (which ends the key).
 */
export const BLIND_REPLAY_MS = IDEMPOTENCY_KEY_LIFETIME_MS - 4 * HOUR_MS;
