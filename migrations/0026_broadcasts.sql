-- Scheduled broadcasts (worker/whatsapp/broadcasts/) and the company's frequency cap on marketing templates.
-- A broadcast is one approved template to an audience, from a start time, inside a daily send window. Its
-- recipients are written once when it starts (one row per person, the id `broadcast:person`, so a cron fired twice
-- inserts nothing twice) and sent through the automated items' queue, claims and pacer.
CREATE TABLE `broadcasts` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL,
	`name` text NOT NULL,
	-- draft (editable), scheduled (started, waiting for its start time), running, paused, cancelled, finished.
	`state` text DEFAULT 'draft' NOT NULL,
	`template_name` text NOT NULL,
	`template_language` text NOT NULL,
	`variables` text DEFAULT '[]' NOT NULL,
	`sale_type` text NOT NULL,
	`audience` text,
	`start_at` integer NOT NULL,
	`send_window` text,
	-- Who made it: {kind, id, name}; and the clubs they were limited to (null: every club), which bound its audience.
	`created_by` text NOT NULL,
	-- Why ClubChat paused it (its template stopped being APPROVED); cleared on resume.
	`paused_reason` text,
	`recipients_at` integer,
	`finished_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
-- The list, newest first, with its keyset cursor.
CREATE INDEX `broadcasts_company_created` ON `broadcasts` (`company_id`, `created_at`, `id`);
--> statement-breakpoint
-- The cron's walk: only broadcasts that may still send.
CREATE INDEX `broadcasts_active` ON `broadcasts` (`start_at`) WHERE `state` IN ('scheduled', 'running');
--> statement-breakpoint
-- The same columns as automation_occurrences, so one claim and one finish serve both (automations/claims.ts).
CREATE TABLE `broadcast_recipients` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL,
	`broadcast_id` text NOT NULL,
	`person_id` text NOT NULL,
	`state` text NOT NULL,
	`reason` text,
	`message_id` text,
	`params` text,
	`enqueued_at` integer,
	`claimed_at` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
-- The report's counts and the sweep's walk of what is still pending.
CREATE INDEX `broadcast_recipients_state` ON `broadcast_recipients` (`broadcast_id`, `state`, `enqueued_at`);
--> statement-breakpoint
-- An erasure clears a person's fixed params, as for automated items (0011).
CREATE INDEX `broadcast_recipients_person` ON `broadcast_recipients` (`company_id`, `person_id`);
--> statement-breakpoint
-- One row per marketing template claimed for a person by a broadcast or an automated item (id: the recipient's or
-- occurrence's id). The claim's batch inserts it only while the person has fewer than the cap inside the period,
-- so two claims racing for the same person are decided by D1's one writer, never both.
CREATE TABLE `marketing_sends` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL,
	`person_id` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `marketing_sends_person_at` ON `marketing_sends` (`company_id`, `person_id`, `at`);
--> statement-breakpoint
CREATE INDEX `marketing_sends_at` ON `marketing_sends` (`at`);
--> statement-breakpoint
-- At most this many marketing templates per person in this many days (broadcasts and automated items together).
ALTER TABLE `companies` ADD `frequency_cap_max` integer DEFAULT 2 NOT NULL;
--> statement-breakpoint
ALTER TABLE `companies` ADD `frequency_cap_days` integer DEFAULT 7 NOT NULL;
