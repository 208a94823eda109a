-- Staff sessions: the cookie holds a random token; only its SHA-256 is stored, so a leaked table logs nobody in.
CREATE TABLE `sessions` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`company_id` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `sessions_user` ON `sessions` (`user_id`);
--> statement-breakpoint
-- Inbox read state, shared by the company's staff: inbound messages after this time are unread.
ALTER TABLE `people` ADD `whatsapp_last_read_at` integer;
