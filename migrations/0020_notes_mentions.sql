-- Internal notes and @mentions (worker/notes/). A note is a history note of type 'note': history_notes.type has
-- no CHECK, and the inbox triggers of 0007 react to WhatsApp messages only ('whatsapp_sent', 'whatsapp_received'),
-- so a note moves no conversation row, no unread count and no last message, and counters and usage never see it.
--
-- `mentions`: one row per user a note mentions, written in the note's own D1 batch. `read_at` is set when that
-- user reads the person's conversation (POST /conversations/{id}/read). The inbox's Mentions view and its count
-- read only the unread rows of one user through `mentions_user_unread`, so they cost what that user's unread
-- mentions cost, never a walk of history or of the inbox.
CREATE TABLE `mentions` (
	`note_id` text NOT NULL,
	`user_id` text NOT NULL,
	`company_id` text NOT NULL,
	`person_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`read_at` integer,
	PRIMARY KEY (`note_id`, `user_id`)
);
--> statement-breakpoint
CREATE INDEX `mentions_user_unread` ON `mentions` (`company_id`, `user_id`, `person_id`) WHERE `read_at` IS NULL;
