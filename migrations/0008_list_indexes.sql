-- Lists at a chain's size (issue 12): the people list, a person's history and a conversation's messages are
-- keyset walks (worker/pagination.ts), so each needs an index whose columns are its filter and then its whole
-- sort key, the id that breaks ties included. Then a page is an index range read from where the cursor points,
-- with no sort and no OFFSET, and costs the same at any size of company or history.

-- People, newest first: (created_at, id). Replaces (company_id, created_at), which it covers.
DROP INDEX `people_company_created`;
--> statement-breakpoint
CREATE INDEX `people_company_created_id` ON `people` (`company_id`, `created_at`, `id`);
--> statement-breakpoint
-- A person's history, newest first: (occurred_at, created_at, id). Replaces (company_id, person_id,
-- occurred_at), which it covers.
DROP INDEX `history_notes_person`;
--> statement-breakpoint
CREATE INDEX `history_notes_person_occurred` ON `history_notes` (`company_id`, `person_id`, `occurred_at`, `created_at`, `id`);
--> statement-breakpoint
-- The same order within one type (?filter=whatsapp_sent, ?filter=whatsapp_received).
CREATE INDEX `history_notes_person_type` ON `history_notes` (`company_id`, `person_id`, `type`, `occurred_at`, `created_at`, `id`);
--> statement-breakpoint
-- The reactions to a page of messages, looked up by the message they react to (content.message_id, a wamid),
-- oldest first so the latest wins. Partial: only reaction notes are in it, and the query names the literal
-- 'reaction' so SQLite can use it (worker/inbox/messages.ts).
CREATE INDEX `history_notes_person_reactions` ON `history_notes` (`company_id`, `person_id`, json_extract(`content`, '$.message_id'), `inbox_at`, `created_at`) WHERE `message_type` = 'reaction';
