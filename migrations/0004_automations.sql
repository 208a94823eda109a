-- Automated items (issue 6): the items, every occurrence (item, person, the moment it fell due) ever handled,
-- and the run log. An occurrence's id is built from those three, so a cron that fires twice, two crons at
-- once or a redelivered queue message can only ever find the row that is already there.
CREATE TABLE `automations` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL REFERENCES `companies`(`id`),
	`name` text NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`template_name` text NOT NULL,
	`template_language` text NOT NULL,
	`variables` text DEFAULT '[]' NOT NULL,
	`sale_type` text NOT NULL,
	`trigger` text NOT NULL,
	`audience` text,
	`send_window` text,
	`paused_reason` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `automations_company` ON `automations` (`company_id`,`created_at`);
--> statement-breakpoint
CREATE INDEX `automations_enabled` ON `automations` (`enabled`);
--> statement-breakpoint
CREATE TABLE `automation_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL,
	`automation_id` text NOT NULL,
	`kind` text NOT NULL,
	`started_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `automation_runs_automation` ON `automation_runs` (`automation_id`,`started_at`);
--> statement-breakpoint
CREATE TABLE `automation_occurrences` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL,
	`automation_id` text NOT NULL,
	`person_id` text NOT NULL,
	`due_at` integer NOT NULL,
	`run_id` text NOT NULL,
	`state` text NOT NULL,
	`reason` text,
	`message_id` text,
	`params` text,
	`enqueued_at` integer,
	`claimed_at` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `automation_occurrences_run` ON `automation_occurrences` (`run_id`,`state`);
--> statement-breakpoint
CREATE INDEX `automation_occurrences_pending` ON `automation_occurrences` (`automation_id`,`state`,`enqueued_at`);
--> statement-breakpoint
-- Meta's throughput tier for the number (80 messages per second by default, up to 1,000): paces automated sends.
ALTER TABLE `companies` ADD `messages_per_second` integer;
--> statement-breakpoint
-- The date triggers look people up by these columns every few minutes.
CREATE INDEX `people_company_membership_start` ON `people` (`company_id`,`membership_start`);
--> statement-breakpoint
CREATE INDEX `people_company_membership_end` ON `people` (`company_id`,`membership_end`);
--> statement-breakpoint
CREATE INDEX `people_company_last_inbound` ON `people` (`company_id`,`whatsapp_last_inbound_at`);
