-- Embedded Signup (worker/whatsapp/signup/): a company admin connects a number from Settings with Meta's dialog.
-- Each signup is a row whose `step` is the next step to run, so a failed step is resumed where it stopped without
-- asking Meta's dialog again while the code (30 s) or the business token it gave is still valid. Secrets (the
-- code, the token, the two-step verification PIN) are sealed like companies.access_token_enc.
CREATE TABLE `whatsapp_signups` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL,
	-- The club a further number goes to; the company's first number always belongs to its first club.
	`club_id` text,
	`started_by` text NOT NULL,
	`waba_id` text NOT NULL,
	`phone_number_id` text NOT NULL,
	`business_id` text,
	-- 'exchange_code', 'register_number', 'subscribe_app', 'fetch_number', 'connect', then 'done'.
	`step` text NOT NULL,
	-- 'running', 'failed' (resumable at `step`), 'connected', 'abandoned' (a newer signup replaced it).
	`status` text NOT NULL,
	`code_enc` text,
	`code_expires_at` integer,
	`token_enc` text,
	`token_expires_at` integer,
	`pin_enc` text,
	`display_phone_number` text,
	`verified_name` text,
	`error_code` text,
	`error_message` text,
	-- Who is running it now (a random claim) and until when: a second request answers 409 rather than run a step twice.
	`claim` text,
	`claimed_until` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `whatsapp_signups_company_created` ON `whatsapp_signups` (`company_id`, `created_at`);
--> statement-breakpoint
-- The platform admin's switch, apart from whether a number is connected: while set, WhatsApp stays off and a
-- company admin's signup is refused. A company connected but off before this migration was switched off by them.
ALTER TABLE `companies` ADD `whatsapp_switched_off_at` integer;
--> statement-breakpoint
UPDATE `companies` SET `whatsapp_switched_off_at` = cast(unixepoch('subsec') * 1000 as integer)
 WHERE `whatsapp_enabled` = 0 AND `phone_number_id` IS NOT NULL;
