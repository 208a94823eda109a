-- Issue 8, server side: Web Push subscriptions, quick replies, and deactivated staff users.
-- Hand-written (the lead regenerates drizzle's snapshot after merging); mirrored in worker/db/schema.ts.

-- One row per browser push subscription (staff member + device). The endpoint is the device: subscribing again
-- from the same browser moves the row to whoever is logged in there now. Tied to the session that made it, so
-- logging out, a deactivation or an expired session stops the pushes without the device having to say so.
CREATE TABLE `push_subscriptions` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL REFERENCES `companies`(`id`),
	`user_id` text NOT NULL REFERENCES `users`(`id`),
	`session_hash` text NOT NULL,
	`endpoint` text NOT NULL,
	`p256dh` text NOT NULL,
	`auth` text NOT NULL,
	`user_agent` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `push_subscriptions_endpoint` ON `push_subscriptions` (`endpoint`);
--> statement-breakpoint
CREATE INDEX `push_subscriptions_company` ON `push_subscriptions` (`company_id`,`user_id`);
--> statement-breakpoint
-- Saved answers a staff member inserts with "/shortcut" in the composer; the shortcut is unique per company.
CREATE TABLE `quick_replies` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL REFERENCES `companies`(`id`),
	`shortcut` text NOT NULL,
	`text` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `quick_replies_shortcut` ON `quick_replies` (`company_id`,`shortcut`);
--> statement-breakpoint
-- A deactivated user keeps their row (history names them) but cannot log in; their sessions are deleted.
ALTER TABLE `users` ADD `deactivated_at` integer;
