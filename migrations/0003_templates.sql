-- Templates as Meta knows them: how variables are written (POSITIONAL {{1}} or NAMED {{first_name}}), the
-- variable names in order, how each maps to a person field or fixed text, Meta's rejection reason, and
-- status DELETED for a template a sync found gone from Meta (kept for the history that used it).
-- SQLite cannot ADD a column whose default is an expression, so the table is rebuilt.
CREATE TABLE `templates_new` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL,
	`name` text NOT NULL,
	`language` text NOT NULL,
	`category` text NOT NULL,
	`status` text NOT NULL,
	`meta_id` text,
	`parameter_format` text DEFAULT 'POSITIONAL' NOT NULL,
	`components` text NOT NULL,
	`variables` text DEFAULT '[]' NOT NULL,
	`variable_map` text DEFAULT '{}' NOT NULL,
	`rejected_reason` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
INSERT INTO `templates_new` (`id`, `company_id`, `name`, `language`, `category`, `status`, `meta_id`, `components`, `variables`, `created_at`, `updated_at`)
SELECT `id`, `company_id`, `name`, `language`, `category`, `status`, `meta_id`, `components`,
  -- The old rows only counted positional body variables: they were {{1}}..{{n}}.
  (SELECT json_group_array(value) FROM json_each('["1","2","3","4","5","6","7","8","9","10","11","12","13","14","15","16","17","18","19","20"]') WHERE key < `body_param_count`),
  `updated_at`, `updated_at`
FROM `templates`;
--> statement-breakpoint
DROP TABLE `templates`;
--> statement-breakpoint
ALTER TABLE `templates_new` RENAME TO `templates`;
--> statement-breakpoint
CREATE UNIQUE INDEX `templates_company_name_language` ON `templates` (`company_id`,`name`,`language`);
--> statement-breakpoint
CREATE INDEX `templates_company_meta_id` ON `templates` (`company_id`,`meta_id`);
--> statement-breakpoint
-- What Meta bills by: marketing, utility, authentication for templates, service for free text in the window.
ALTER TABLE `history_notes` ADD `category` text;
--> statement-breakpoint
CREATE INDEX `history_notes_company_type_occurred` ON `history_notes` (`company_id`,`type`,`occurred_at`);
