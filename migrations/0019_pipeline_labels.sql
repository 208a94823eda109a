-- Lead stages and labels (worker/pipeline/, worker/labels/). A company's pipeline is a short ordered list of
-- stages, each open, won or lost; every company starts with GymSales' five, made by the trigger below on the
-- company's insert (and here for the companies that exist). A person's stage is people.stage_id; leads start in
-- the first stage (trigger), members and former members outside the pipeline until someone sets one.
CREATE TABLE `pipeline_stages` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL,
	`name` text NOT NULL,
	`position` integer NOT NULL,
	-- 'open', 'won' (e.g. Joined) or 'lost' (Not interested): the funnel report counts by it.
	`outcome` text DEFAULT 'open' NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `pipeline_stages_company_position` ON `pipeline_stages` (`company_id`, `position`);
--> statement-breakpoint
CREATE TRIGGER `companies_default_pipeline` AFTER INSERT ON `companies` BEGIN
  INSERT INTO `pipeline_stages` (`id`, `company_id`, `name`, `position`, `outcome`)
  VALUES ('stg_' || lower(hex(randomblob(10))), NEW.`id`, 'Enquiry', 0, 'open'),
         ('stg_' || lower(hex(randomblob(10))), NEW.`id`, 'Tour booked', 1, 'open'),
         ('stg_' || lower(hex(randomblob(10))), NEW.`id`, 'Trial', 2, 'open'),
         ('stg_' || lower(hex(randomblob(10))), NEW.`id`, 'Joined', 3, 'won'),
         ('stg_' || lower(hex(randomblob(10))), NEW.`id`, 'Not interested', 4, 'lost');
END;
--> statement-breakpoint
INSERT INTO `pipeline_stages` (`id`, `company_id`, `name`, `position`, `outcome`)
SELECT 'stg_' || lower(hex(randomblob(10))), c.`id`, s.`name`, s.`position`, s.`outcome`
  FROM `companies` c,
       (SELECT 'Enquiry' AS `name`, 0 AS `position`, 'open' AS `outcome`
        UNION ALL SELECT 'Tour booked', 1, 'open' UNION ALL SELECT 'Trial', 2, 'open'
        UNION ALL SELECT 'Joined', 3, 'won' UNION ALL SELECT 'Not interested', 4, 'lost') s;
--> statement-breakpoint
ALTER TABLE `people` ADD `stage_id` text;
--> statement-breakpoint
-- When the stage last changed: the "stage changed" trigger of automated items counts from it.
ALTER TABLE `people` ADD `stage_changed_at` integer;
--> statement-breakpoint
UPDATE `people` SET `stage_id` = (SELECT `id` FROM `pipeline_stages` s WHERE s.`company_id` = `people`.`company_id`
                                   ORDER BY s.`position` LIMIT 1),
                    `stage_changed_at` = `created_at`
 WHERE `status` = 'lead';
--> statement-breakpoint
CREATE TRIGGER `people_default_stage` AFTER INSERT ON `people` WHEN NEW.`stage_id` IS NULL AND NEW.`status` = 'lead'
BEGIN
  UPDATE `people` SET `stage_id` = (SELECT `id` FROM `pipeline_stages` WHERE `company_id` = NEW.`company_id`
                                     ORDER BY `position` LIMIT 1),
                      `stage_changed_at` = NEW.`created_at`
   WHERE `id` = NEW.`id`;
END;
--> statement-breakpoint
-- The directory's stage filter, and the "stage changed" trigger's walk, in their orders.
CREATE INDEX `people_company_stage_created` ON `people` (`company_id`, `stage_id`, `created_at`, `id`);
--> statement-breakpoint
CREATE INDEX `people_company_stage_changed` ON `people` (`company_id`, `stage_id`, `stage_changed_at`);
--> statement-breakpoint
CREATE TABLE `labels` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL,
	`name` text NOT NULL,
	-- One of a small palette the app draws well in light and dark (labels/schemas.ts).
	`color` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `labels_company_name` ON `labels` (`company_id`, `name`);
--> statement-breakpoint
CREATE TABLE `person_labels` (
	`person_id` text NOT NULL,
	`label_id` text NOT NULL,
	`company_id` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	PRIMARY KEY (`person_id`, `label_id`)
);
--> statement-breakpoint
-- People with a label, newest first: the directory's and the inbox's label filter join through it.
CREATE INDEX `person_labels_label` ON `person_labels` (`company_id`, `label_id`, `person_id`);
--> statement-breakpoint
-- A deleted label leaves no one wearing it.
CREATE TRIGGER `labels_on_delete` AFTER DELETE ON `labels` BEGIN
  DELETE FROM `person_labels` WHERE `label_id` = OLD.`id`;
END;
