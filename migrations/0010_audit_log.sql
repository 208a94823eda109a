-- The audit log: who (a staff member or an API key, and from which address) changed consent, opt-out, a
-- person's phone, templates, automated items, users and roles, API keys or WhatsApp settings, and who exported
-- or erased a person. Append-only like the consent log: no row may be changed, and none may be deleted before it
-- is a year old (the daily sweep removes rows past worker/audit/retention.ts's limit). Mirrored in
-- worker/db/schema.ts.
CREATE TABLE `audit_log` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL,
	`at` integer NOT NULL,
	`actor_kind` text NOT NULL,
	`actor_id` text NOT NULL,
	`actor_name` text NOT NULL,
	`ip` text,
	`action` text NOT NULL,
	`target_type` text NOT NULL,
	`target_id` text NOT NULL,
	`details` text
);
--> statement-breakpoint
-- The admin list: newest first, keyset on (at, id); filters by action, by target and by who narrow it.
CREATE INDEX `audit_log_company_at` ON `audit_log` (`company_id`,`at`,`id`);
--> statement-breakpoint
CREATE INDEX `audit_log_company_action_at` ON `audit_log` (`company_id`,`action`,`at`,`id`);
--> statement-breakpoint
CREATE INDEX `audit_log_company_target_at` ON `audit_log` (`company_id`,`target_type`,`target_id`,`at`,`id`);
--> statement-breakpoint
CREATE INDEX `audit_log_company_actor_at` ON `audit_log` (`company_id`,`actor_id`,`at`,`id`);
--> statement-breakpoint
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER audit_log_no_early_delete BEFORE DELETE ON audit_log
WHEN OLD.at > (unixepoch('now', '-365 days') * 1000)
BEGIN
  SELECT RAISE(ABORT, 'audit_log rows are kept at least a year');
END;
