CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL,
	`name` text NOT NULL,
	`key_hash` text NOT NULL,
	`prefix` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_hash` ON `api_keys` (`key_hash`);--> statement-breakpoint
CREATE TABLE `companies` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`timezone` text NOT NULL,
	`whatsapp_enabled` integer DEFAULT false NOT NULL,
	`waba_id` text,
	`phone_number_id` text,
	`display_phone_number` text,
	`access_token_enc` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `companies_phone_number_id` ON `companies` (`phone_number_id`);--> statement-breakpoint
CREATE TABLE `consent_log` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL,
	`person_id` text NOT NULL,
	`channel` text NOT NULL,
	`action` text NOT NULL,
	`method` text NOT NULL,
	`text` text,
	`captured_at` integer NOT NULL,
	`evidence_url` text,
	`actor` text NOT NULL,
	`recorded_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `consent_log_person` ON `consent_log` (`company_id`,`person_id`,`recorded_at`);--> statement-breakpoint
CREATE TABLE `counters` (
	`company_id` text NOT NULL,
	`person_id` text NOT NULL,
	`channel` text NOT NULL,
	`sale_type` text NOT NULL,
	`sent` integer DEFAULT 0 NOT NULL,
	`received` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`person_id`, `channel`, `sale_type`)
);
--> statement-breakpoint
CREATE TABLE `history_notes` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL,
	`person_id` text NOT NULL,
	`type` text NOT NULL,
	`wamid` text,
	`message_type` text,
	`body` text,
	`content` text,
	`context_wamid` text,
	`sale_type` text,
	`status` text,
	`status_at` integer,
	`error` text,
	`actor` text,
	`occurred_at` integer NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `history_notes_company_wamid` ON `history_notes` (`company_id`,`wamid`);--> statement-breakpoint
CREATE INDEX `history_notes_person` ON `history_notes` (`company_id`,`person_id`,`occurred_at`);--> statement-breakpoint
CREATE TABLE `idempotency_keys` (
	`company_id` text NOT NULL,
	`key` text NOT NULL,
	`request_hash` text NOT NULL,
	`message_id` text NOT NULL,
	`response_status` integer,
	`response_body` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	PRIMARY KEY(`company_id`, `key`)
);
--> statement-breakpoint
CREATE TABLE `people` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL,
	`first_name` text NOT NULL,
	`last_name` text,
	`phone` text,
	`email` text,
	`sale_type` text DEFAULT 'membership' NOT NULL,
	`status` text DEFAULT 'lead' NOT NULL,
	`membership_start` text,
	`membership_end` text,
	`date_of_birth` text,
	`sms_opted_out` integer DEFAULT false NOT NULL,
	`whatsapp_opted_out` integer DEFAULT false NOT NULL,
	`whatsapp_marketing_stopped` integer DEFAULT false NOT NULL,
	`whatsapp_last_inbound_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `people_company_phone` ON `people` (`company_id`,`phone`);--> statement-breakpoint
CREATE INDEX `people_company_email` ON `people` (`company_id`,`email`);--> statement-breakpoint
CREATE INDEX `people_company_created` ON `people` (`company_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `templates` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL,
	`name` text NOT NULL,
	`language` text NOT NULL,
	`category` text NOT NULL,
	`status` text NOT NULL,
	`meta_id` text,
	`components` text NOT NULL,
	`body_param_count` integer DEFAULT 0 NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `templates_company_name_language` ON `templates` (`company_id`,`name`,`language`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`password_hash` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email` ON `users` (`email`);--> statement-breakpoint
CREATE TABLE `webhook_dead_letters` (
	`id` text PRIMARY KEY NOT NULL,
	`raw_body` text NOT NULL,
	`error` text NOT NULL,
	`received_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
