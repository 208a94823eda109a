// The order messages appear in. Meta stamps inbound messages in whole seconds, while our own sends carry
// milliseconds, so a reply that arrives in the same second as our message would sort before it. The person
// sent it somewhere within that second and no later than it reached us: take the earlier of the two.
// Queries read it as the column history_notes.inbox_at (migrations/0007_inbox_rows.sql), which is indexed.

/** SQL over a history_notes row aliased `alias` (raw statements). */
export const inboxTimeOf = (alias: string): string =>
  `(CASE WHEN ${alias}.type = 'whatsapp_received' THEN MIN(${alias}.created_at, ${alias}.occurred_at + 999) ELSE ${alias}.occurred_at END)`;
