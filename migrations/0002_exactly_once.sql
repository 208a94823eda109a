-- Meta's wa_id for each person (Brazil's ninth digit, Mexico's "1"): inbound messages match on it.
ALTER TABLE `people` ADD `wa_id` text;--> statement-breakpoint
CREATE UNIQUE INDEX `people_company_wa_id` ON `people` (`company_id`,`wa_id`);--> statement-breakpoint
-- Sweeps delete expired rows by age.
CREATE INDEX `idempotency_keys_created` ON `idempotency_keys` (`created_at`);--> statement-breakpoint
CREATE INDEX `webhook_dead_letters_received` ON `webhook_dead_letters` (`received_at`);
