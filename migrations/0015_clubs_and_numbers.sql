-- Clubs, each with its own WhatsApp numbers (worker/clubs/, worker/whatsapp/numbers.ts). A company starts with
-- one club, made by the trigger below on every insert of a company, whichever path inserts it (the admin route,
-- the seed, tests, the benchmark's loader), and existing companies get theirs here.

CREATE TABLE `clubs` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL,
	`name` text NOT NULL,
	`timezone` text NOT NULL,
	`address` text,
	-- How a new lead gets an owner: 'manual', or 'round_robin' among the club's staff on shift (people/round-robin.ts).
	`assignment` text DEFAULT 'manual' NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `clubs_company_created` ON `clubs` (`company_id`, `created_at`, `id`);
--> statement-breakpoint
CREATE UNIQUE INDEX `clubs_company_name` ON `clubs` (`company_id`, `name`);
--> statement-breakpoint
-- The business numbers Meta delivers to and we send from, all under the company's one WABA (templates stay per
-- WABA). The company's first number is still set with PUT /api/admin/companies/:id/whatsapp, on the company
-- row; the triggers below keep its row here (`is_first`) in the same statement. Everything that routes or sends
-- reads this table alone.
CREATE TABLE `whatsapp_numbers` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL,
	`club_id` text NOT NULL,
	`phone_number_id` text NOT NULL,
	`display_phone_number` text,
	-- AES-GCM like companies.access_token_enc; null: the company's token (one system user for the WABA).
	`access_token_enc` text,
	-- Meta's throughput tier for this number; null: the company's, else Meta's default of 80 per second.
	`messages_per_second` integer,
	`is_first` integer DEFAULT 0 NOT NULL,
	-- A disabled number sends nothing; what Meta still delivers to it is stored, never lost.
	`disabled_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `whatsapp_numbers_phone_number_id` ON `whatsapp_numbers` (`phone_number_id`);
--> statement-breakpoint
CREATE UNIQUE INDEX `whatsapp_numbers_company_first` ON `whatsapp_numbers` (`company_id`) WHERE `is_first` = 1;
--> statement-breakpoint
CREATE INDEX `whatsapp_numbers_company_club` ON `whatsapp_numbers` (`company_id`, `club_id`, `created_at`);
--> statement-breakpoint
INSERT INTO `clubs` (`id`, `company_id`, `name`, `timezone`, `created_at`, `updated_at`)
SELECT 'clb_' || lower(hex(randomblob(10))), `id`, `name`, `timezone`, `created_at`, `created_at` FROM `companies`;
--> statement-breakpoint
INSERT INTO `whatsapp_numbers` (`id`, `company_id`, `club_id`, `phone_number_id`, `display_phone_number`, `is_first`)
SELECT 'wan_' || lower(hex(randomblob(10))), c.`id`, (SELECT `id` FROM `clubs` WHERE `company_id` = c.`id`),
       c.`phone_number_id`, c.`display_phone_number`, 1
  FROM `companies` c WHERE c.`phone_number_id` IS NOT NULL;
--> statement-breakpoint
CREATE TRIGGER `companies_first_club` AFTER INSERT ON `companies` BEGIN
  INSERT INTO `clubs` (`id`, `company_id`, `name`, `timezone`)
  VALUES ('clb_' || lower(hex(randomblob(10))), NEW.`id`, NEW.`name`, NEW.`timezone`);
  INSERT INTO `whatsapp_numbers` (`id`, `company_id`, `club_id`, `phone_number_id`, `display_phone_number`, `is_first`)
  SELECT 'wan_' || lower(hex(randomblob(10))), NEW.`id`,
         (SELECT `id` FROM `clubs` WHERE `company_id` = NEW.`id` ORDER BY `created_at`, `id` LIMIT 1),
         NEW.`phone_number_id`, NEW.`display_phone_number`, 1
   WHERE NEW.`phone_number_id` IS NOT NULL;
END;
--> statement-breakpoint
CREATE TRIGGER `companies_first_number` AFTER UPDATE OF `phone_number_id`, `display_phone_number` ON `companies`
WHEN NEW.`phone_number_id` IS NOT NULL BEGIN
  UPDATE `whatsapp_numbers` SET `phone_number_id` = NEW.`phone_number_id`,
         `display_phone_number` = NEW.`display_phone_number`, `disabled_at` = NULL
   WHERE `company_id` = NEW.`id` AND `is_first` = 1;
  INSERT INTO `whatsapp_numbers` (`id`, `company_id`, `club_id`, `phone_number_id`, `display_phone_number`, `is_first`)
  SELECT 'wan_' || lower(hex(randomblob(10))), NEW.`id`,
         (SELECT `id` FROM `clubs` WHERE `company_id` = NEW.`id` ORDER BY `created_at`, `id` LIMIT 1),
         NEW.`phone_number_id`, NEW.`display_phone_number`, 1
   WHERE NOT EXISTS (SELECT 1 FROM `whatsapp_numbers` WHERE `company_id` = NEW.`id` AND `is_first` = 1);
END;
--> statement-breakpoint
-- A person's home club. Set on insert to the company's first club unless the insert names one (trigger below), so
-- every path that adds people (API, inbound, seed, bulk loaders) leaves nobody without a club.
ALTER TABLE `people` ADD `club_id` text;
--> statement-breakpoint
-- The phone_number_id the person last wrote to (Meta's time order), kept by the conversation object in its
-- inbound batch: sends go from it (whatsapp/numbers.ts).
ALTER TABLE `people` ADD `last_number_id` text;
--> statement-breakpoint
UPDATE `people` SET `club_id` = (SELECT `id` FROM `clubs` WHERE `clubs`.`company_id` = `people`.`company_id`);
--> statement-breakpoint
CREATE TRIGGER `people_default_club` AFTER INSERT ON `people` WHEN NEW.`club_id` IS NULL BEGIN
  UPDATE `people` SET `club_id` =
         (SELECT `id` FROM `clubs` WHERE `company_id` = NEW.`company_id` ORDER BY `created_at`, `id` LIMIT 1)
   WHERE `id` = NEW.`id`;
END;
--> statement-breakpoint
CREATE INDEX `people_company_club_created` ON `people` (`company_id`, `club_id`, `created_at`, `id`);
--> statement-breakpoint
-- The people directory's owner filter (?owner=), in the list's order.
CREATE INDEX `people_company_owner_created` ON `people` (`company_id`, `owner_user_id`, `created_at`, `id`);
--> statement-breakpoint
-- The inbox's club filter and club-limited users: each conversation row carries its person's club, kept like
-- its owner (0014).
ALTER TABLE `conversations` ADD `club_id` text;
--> statement-breakpoint
UPDATE `conversations` SET `club_id` = (SELECT `club_id` FROM `people` WHERE `people`.`id` = `conversations`.`person_id`);
--> statement-breakpoint
CREATE INDEX `conversations_company_club_last` ON `conversations` (`company_id`, `club_id`, `last_at`, `person_id`);
--> statement-breakpoint
CREATE TRIGGER `conversations_on_club` AFTER UPDATE OF `club_id` ON `people`
WHEN NEW.`club_id` IS NOT OLD.`club_id`
BEGIN
  UPDATE `conversations` SET `club_id` = NEW.`club_id` WHERE `person_id` = NEW.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `conversations_club_on_insert` AFTER INSERT ON `conversations` BEGIN
  UPDATE `conversations` SET `club_id` = (SELECT `club_id` FROM `people` WHERE `id` = NEW.`person_id`)
   WHERE `person_id` = NEW.`person_id`;
END;
--> statement-breakpoint
-- Users limited to clubs: a JSON array of club ids; null means every club of the company.
ALTER TABLE `users` ADD `club_ids` text;
--> statement-breakpoint
-- On shift for round-robin (PUT /api/v1/me/shift); off by default and again at logout.
ALTER TABLE `users` ADD `on_shift` integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
-- When round-robin last gave this user a lead: the next lead goes to whoever on shift waited longest.
ALTER TABLE `users` ADD `last_assigned_at` integer;
