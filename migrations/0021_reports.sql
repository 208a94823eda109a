-- Reports (worker/reports/) without walking history: every figure a report shows is kept as notes are written,
-- by the triggers below, in the same statement as the note or status change that moves it (as 0007's inbox rows
-- are), so a report reads a few small rows per quarter hour or per lead, never the notes themselves.
--
-- 1. Speed to lead, on `people`: `lead_at` (the lead's first inbound message, or their creation by an API key),
--    `first_reply_at` / `first_reply_by` (the first message a member of staff sent them that Meta accepted: never
--    an automated item, an away reply or an integration's send, whose actor is not a user), and `won_at` (when
--    they first reached a won stage: the funnel's "Enquiry to Joined").
-- 2. `report_message_counts`: messages in and out per UTC quarter hour, club, user, template, automated item and
--    Meta category, with how many were delivered, read, failed and (templates) replied to within 48 hours. A
--    quarter hour because every time zone's offset is a whole number of them, so the report adds buckets up into
--    the company's own days exactly, whatever its zone and summer time (reports/days.ts).
-- 3. `report_failures`: failed sends per quarter hour, club, user and error code (Meta's, or our refusal's).
-- A message counts for the person's club (and, received, their owner) when the row is written; a later status
-- counts for their club then (people rarely move clubs while a message is in flight).
-- JSON is read only where valid (json_valid): a malformed column must never stop a message being stored.
-- Existing data is backfilled at the end, once.

ALTER TABLE `people` ADD `lead_at` integer;
--> statement-breakpoint
ALTER TABLE `people` ADD `first_reply_at` integer;
--> statement-breakpoint
ALTER TABLE `people` ADD `first_reply_by` text;
--> statement-breakpoint
ALTER TABLE `people` ADD `won_at` integer;
--> statement-breakpoint
-- Template sends a reply reached within 48 hours: set once, by the reply's trigger, so it counts once.
ALTER TABLE `history_notes` ADD `replied_at` integer;
--> statement-breakpoint
-- Speed to lead: the leads that came in during a range, read from the index alone (every column the report reads).
CREATE INDEX `people_company_lead` ON `people` (`company_id`, `lead_at`, `club_id`, `owner_user_id`, `first_reply_by`, `first_reply_at`) WHERE `lead_at` IS NOT NULL;
--> statement-breakpoint
-- Leads never answered, newest first, keyset-paged by (lead_at, id).
CREATE INDEX `people_company_unanswered` ON `people` (`company_id`, `lead_at`, `id`) WHERE `lead_at` IS NOT NULL AND `first_reply_at` IS NULL;
--> statement-breakpoint
-- The funnel's wins in a range.
CREATE INDEX `people_company_won` ON `people` (`company_id`, `won_at`, `club_id`, `owner_user_id`) WHERE `won_at` IS NOT NULL;
--> statement-breakpoint
CREATE TABLE `report_message_counts` (
	`company_id` text NOT NULL,
	-- occurred_at / 900000: the UTC quarter hour the message was sent or received in.
	`bucket` integer NOT NULL,
	`club_id` text DEFAULT '' NOT NULL,
	-- Out: the member of staff who sent it ('' for automated items, away replies, API keys). In: the lead's owner.
	`user_id` text DEFAULT '' NOT NULL,
	`direction` text NOT NULL,
	`template` text DEFAULT '' NOT NULL,
	`automation_id` text DEFAULT '' NOT NULL,
	`category` text DEFAULT '' NOT NULL,
	`messages` integer DEFAULT 0 NOT NULL,
	`delivered` integer DEFAULT 0 NOT NULL,
	`read` integer DEFAULT 0 NOT NULL,
	`failed` integer DEFAULT 0 NOT NULL,
	`replied` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY (`company_id`, `bucket`, `club_id`, `user_id`, `direction`, `template`, `automation_id`, `category`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `report_failures` (
	`company_id` text NOT NULL,
	`bucket` integer NOT NULL,
	`club_id` text DEFAULT '' NOT NULL,
	`user_id` text DEFAULT '' NOT NULL,
	`code` text NOT NULL,
	-- Meta's title for the code, as last seen (e.g. "Message undeliverable").
	`title` text,
	`failed` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY (`company_id`, `bucket`, `club_id`, `user_id`, `code`)
) WITHOUT ROWID;
--> statement-breakpoint
-- A lead added by the company's integration starts the clock at once (they asked through a web form, say).
CREATE TRIGGER `reports_lead_by_api` AFTER INSERT ON `people`
WHEN COALESCE(NEW.`status`, '') = 'lead' AND json_extract(CASE WHEN json_valid(NEW.`created_by`) THEN NEW.`created_by` END, '$.kind') = 'api_key'
BEGIN
  UPDATE `people` SET `lead_at` = NEW.`created_at` WHERE `id` = NEW.`id` AND `lead_at` IS NULL;
END;
--> statement-breakpoint
CREATE TRIGGER `reports_on_message` AFTER INSERT ON `history_notes`
WHEN NEW.`type` IN ('whatsapp_sent', 'whatsapp_received') AND COALESCE(NEW.`message_type`, '') <> 'reaction'
BEGIN
  -- A lead's first inbound message starts their clock (an older one delivered late moves it back, until answered).
  UPDATE `people` SET `lead_at` = NEW.`occurred_at`
   WHERE NEW.`type` = 'whatsapp_received' AND `id` = NEW.`person_id` AND `status` = 'lead'
     AND (`lead_at` IS NULL OR (`lead_at` > NEW.`occurred_at` AND `first_reply_at` IS NULL));
  -- A send stored already accepted (not the app's path, which stores 'queued', but imports and loaders do).
  UPDATE `people` SET `first_reply_at` = NEW.`occurred_at`, `first_reply_by` = json_extract(CASE WHEN json_valid(NEW.`actor`) THEN NEW.`actor` END, '$.id')
   WHERE NEW.`type` = 'whatsapp_sent' AND COALESCE(NEW.`status`, '') IN ('sent', 'delivered', 'read')
     AND json_extract(CASE WHEN json_valid(NEW.`actor`) THEN NEW.`actor` END, '$.kind') = 'user'
     AND `id` = NEW.`person_id` AND `lead_at` IS NOT NULL AND `lead_at` <= NEW.`occurred_at`
     AND (`first_reply_at` IS NULL OR `first_reply_at` > NEW.`occurred_at`);
  -- A reply counts for our template sends of the 48 hours before it, once each: counted first, then marked.
  INSERT INTO `report_message_counts` (`company_id`, `bucket`, `club_id`, `user_id`, `direction`, `template`, `automation_id`, `category`, `replied`)
  SELECT s.`company_id`, s.`occurred_at` / 900000, COALESCE(p.`club_id`, ''),
         CASE WHEN json_extract(CASE WHEN json_valid(s.`actor`) THEN s.`actor` END, '$.kind') = 'user' THEN COALESCE(json_extract(CASE WHEN json_valid(s.`actor`) THEN s.`actor` END, '$.id'), '') ELSE '' END,
         'out', COALESCE(json_extract(CASE WHEN json_valid(s.`content`) THEN s.`content` END, '$.name'), ''),
         CASE WHEN json_extract(CASE WHEN json_valid(s.`actor`) THEN s.`actor` END, '$.kind') = 'automation' THEN COALESCE(json_extract(CASE WHEN json_valid(s.`actor`) THEN s.`actor` END, '$.id'), '') ELSE '' END,
         COALESCE(s.`category`, ''), COUNT(*)
    FROM `history_notes` s LEFT JOIN `people` p ON p.`id` = s.`person_id`
   WHERE NEW.`type` = 'whatsapp_received' AND s.`company_id` = NEW.`company_id` AND s.`person_id` = NEW.`person_id`
     AND s.`type` = 'whatsapp_sent' AND s.`occurred_at` >= NEW.`occurred_at` - 172800000 AND s.`occurred_at` <= NEW.`inbox_at`
     AND s.`message_type` = 'template' AND s.`replied_at` IS NULL
   GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
  ON CONFLICT (`company_id`, `bucket`, `club_id`, `user_id`, `direction`, `template`, `automation_id`, `category`)
  DO UPDATE SET `replied` = `replied` + excluded.`replied`;
  UPDATE `history_notes` SET `replied_at` = NEW.`occurred_at`
   WHERE NEW.`type` = 'whatsapp_received' AND `company_id` = NEW.`company_id` AND `person_id` = NEW.`person_id`
     AND `type` = 'whatsapp_sent' AND `occurred_at` >= NEW.`occurred_at` - 172800000 AND `occurred_at` <= NEW.`inbox_at`
     AND `message_type` = 'template' AND `replied_at` IS NULL;
  INSERT INTO `report_message_counts` (`company_id`, `bucket`, `club_id`, `user_id`, `direction`, `template`, `automation_id`, `category`,
      `messages`, `delivered`, `read`, `failed`)
  SELECT NEW.`company_id`, NEW.`occurred_at` / 900000, COALESCE(p.`club_id`, ''),
         CASE WHEN NEW.`type` = 'whatsapp_received' THEN COALESCE(p.`owner_user_id`, '')
              WHEN json_extract(CASE WHEN json_valid(NEW.`actor`) THEN NEW.`actor` END, '$.kind') = 'user' THEN COALESCE(json_extract(CASE WHEN json_valid(NEW.`actor`) THEN NEW.`actor` END, '$.id'), '') ELSE '' END,
         CASE WHEN NEW.`type` = 'whatsapp_received' THEN 'in' ELSE 'out' END,
         CASE WHEN NEW.`message_type` = 'template' THEN COALESCE(json_extract(CASE WHEN json_valid(NEW.`content`) THEN NEW.`content` END, '$.name'), '') ELSE '' END,
         CASE WHEN json_extract(CASE WHEN json_valid(NEW.`actor`) THEN NEW.`actor` END, '$.kind') = 'automation' THEN COALESCE(json_extract(CASE WHEN json_valid(NEW.`actor`) THEN NEW.`actor` END, '$.id'), '') ELSE '' END,
         COALESCE(NEW.`category`, ''), 1,
         NEW.`type` = 'whatsapp_sent' AND COALESCE(NEW.`status`, '') IN ('delivered', 'read'), NEW.`type` = 'whatsapp_sent' AND COALESCE(NEW.`status`, '') = 'read',
         NEW.`type` = 'whatsapp_sent' AND COALESCE(NEW.`status`, '') = 'failed'
    FROM (SELECT 1) LEFT JOIN `people` p ON p.`id` = NEW.`person_id`
   WHERE true
  ON CONFLICT (`company_id`, `bucket`, `club_id`, `user_id`, `direction`, `template`, `automation_id`, `category`)
  DO UPDATE SET `messages` = `messages` + 1, `delivered` = `delivered` + excluded.`delivered`,
                `read` = `read` + excluded.`read`, `failed` = `failed` + excluded.`failed`;
  INSERT INTO `report_failures` (`company_id`, `bucket`, `club_id`, `user_id`, `code`, `title`, `failed`)
  SELECT NEW.`company_id`, NEW.`occurred_at` / 900000, COALESCE(p.`club_id`, ''),
         CASE WHEN json_extract(CASE WHEN json_valid(NEW.`actor`) THEN NEW.`actor` END, '$.kind') = 'user' THEN COALESCE(json_extract(CASE WHEN json_valid(NEW.`actor`) THEN NEW.`actor` END, '$.id'), '') ELSE '' END,
         COALESCE(CAST(json_extract(CASE WHEN json_valid(NEW.`error`) THEN NEW.`error` END, '$.code') AS text), 'unknown'), json_extract(CASE WHEN json_valid(NEW.`error`) THEN NEW.`error` END, '$.title'), 1
    FROM (SELECT 1) LEFT JOIN `people` p ON p.`id` = NEW.`person_id`
   WHERE NEW.`type` = 'whatsapp_sent' AND COALESCE(NEW.`status`, '') = 'failed'
  ON CONFLICT (`company_id`, `bucket`, `club_id`, `user_id`, `code`)
  DO UPDATE SET `failed` = `failed` + 1, `title` = COALESCE(excluded.`title`, `title`);
END;
--> statement-breakpoint
-- A send's status moves (statusChange in whatsapp/history-writes.ts, only up Meta's ranking): each count moves by
-- the difference between what the new status and the old one count for, so any order of statuses adds up.
CREATE TRIGGER `reports_on_status` AFTER UPDATE OF `status` ON `history_notes`
WHEN NEW.`type` = 'whatsapp_sent' AND NEW.`status` IS NOT OLD.`status` AND COALESCE(NEW.`message_type`, '') <> 'reaction'
BEGIN
  UPDATE `people` SET `first_reply_at` = NEW.`occurred_at`, `first_reply_by` = json_extract(CASE WHEN json_valid(NEW.`actor`) THEN NEW.`actor` END, '$.id')
   WHERE COALESCE(NEW.`status`, '') IN ('sent', 'delivered', 'read') AND COALESCE(OLD.`status`, '') NOT IN ('sent', 'delivered', 'read')
     AND json_extract(CASE WHEN json_valid(NEW.`actor`) THEN NEW.`actor` END, '$.kind') = 'user'
     AND `id` = NEW.`person_id` AND `lead_at` IS NOT NULL AND `lead_at` <= NEW.`occurred_at`
     AND (`first_reply_at` IS NULL OR `first_reply_at` > NEW.`occurred_at`);
  INSERT INTO `report_message_counts` (`company_id`, `bucket`, `club_id`, `user_id`, `direction`, `template`, `automation_id`, `category`,
      `delivered`, `read`, `failed`)
  SELECT NEW.`company_id`, NEW.`occurred_at` / 900000, COALESCE(p.`club_id`, ''),
         CASE WHEN json_extract(CASE WHEN json_valid(NEW.`actor`) THEN NEW.`actor` END, '$.kind') = 'user' THEN COALESCE(json_extract(CASE WHEN json_valid(NEW.`actor`) THEN NEW.`actor` END, '$.id'), '') ELSE '' END,
         'out',
         CASE WHEN NEW.`message_type` = 'template' THEN COALESCE(json_extract(CASE WHEN json_valid(NEW.`content`) THEN NEW.`content` END, '$.name'), '') ELSE '' END,
         CASE WHEN json_extract(CASE WHEN json_valid(NEW.`actor`) THEN NEW.`actor` END, '$.kind') = 'automation' THEN COALESCE(json_extract(CASE WHEN json_valid(NEW.`actor`) THEN NEW.`actor` END, '$.id'), '') ELSE '' END,
         COALESCE(NEW.`category`, ''),
         (COALESCE(NEW.`status`, '') IN ('delivered', 'read')) - (COALESCE(OLD.`status`, '') IN ('delivered', 'read')),
         (COALESCE(NEW.`status`, '') = 'read') - (COALESCE(OLD.`status`, '') = 'read'),
         (COALESCE(NEW.`status`, '') = 'failed') - (COALESCE(OLD.`status`, '') = 'failed')
    FROM (SELECT 1) LEFT JOIN `people` p ON p.`id` = NEW.`person_id`
   WHERE true
  ON CONFLICT (`company_id`, `bucket`, `club_id`, `user_id`, `direction`, `template`, `automation_id`, `category`)
  DO UPDATE SET `delivered` = `delivered` + excluded.`delivered`, `read` = `read` + excluded.`read`,
                `failed` = `failed` + excluded.`failed`;
  INSERT INTO `report_failures` (`company_id`, `bucket`, `club_id`, `user_id`, `code`, `title`, `failed`)
  SELECT NEW.`company_id`, NEW.`occurred_at` / 900000, COALESCE(p.`club_id`, ''),
         CASE WHEN json_extract(CASE WHEN json_valid(NEW.`actor`) THEN NEW.`actor` END, '$.kind') = 'user' THEN COALESCE(json_extract(CASE WHEN json_valid(NEW.`actor`) THEN NEW.`actor` END, '$.id'), '') ELSE '' END,
         COALESCE(CAST(json_extract(CASE WHEN json_valid(NEW.`error`) THEN NEW.`error` END, '$.code') AS text), 'unknown'), json_extract(CASE WHEN json_valid(NEW.`error`) THEN NEW.`error` END, '$.title'), 1
    FROM (SELECT 1) LEFT JOIN `people` p ON p.`id` = NEW.`person_id`
   WHERE COALESCE(NEW.`status`, '') = 'failed'
  ON CONFLICT (`company_id`, `bucket`, `club_id`, `user_id`, `code`)
  DO UPDATE SET `failed` = `failed` + 1, `title` = COALESCE(excluded.`title`, `title`);
  -- Meta ranks read above failed: a failed send later read is no failure.
  UPDATE `report_failures` SET `failed` = `failed` - 1
   WHERE COALESCE(OLD.`status`, '') = 'failed' AND COALESCE(NEW.`status`, '') <> 'failed' AND `company_id` = NEW.`company_id`
     AND `bucket` = NEW.`occurred_at` / 900000
     AND `club_id` = COALESCE((SELECT `club_id` FROM `people` WHERE `id` = NEW.`person_id`), '')
     AND `user_id` = CASE WHEN json_extract(CASE WHEN json_valid(NEW.`actor`) THEN NEW.`actor` END, '$.kind') = 'user' THEN COALESCE(json_extract(CASE WHEN json_valid(NEW.`actor`) THEN NEW.`actor` END, '$.id'), '') ELSE '' END
     AND `code` = COALESCE(CAST(json_extract(CASE WHEN json_valid(OLD.`error`) THEN OLD.`error` END, '$.code') AS text), 'unknown');
END;
--> statement-breakpoint
-- The funnel's "moved to a won stage": the first time a person reaches one, kept.
CREATE TRIGGER `reports_on_stage` AFTER UPDATE OF `stage_id` ON `people`
WHEN NEW.`won_at` IS NULL AND NEW.`stage_id` IS NOT NULL
  AND EXISTS (SELECT 1 FROM `pipeline_stages` WHERE `id` = NEW.`stage_id` AND `outcome` = 'won')
BEGIN
  UPDATE `people` SET `won_at` = COALESCE(NEW.`stage_changed_at`, cast(unixepoch('subsec') * 1000 as integer))
   WHERE `id` = NEW.`id`;
END;
--> statement-breakpoint
-- Backfill: what the triggers would have written, from existing people and history.
UPDATE `people` SET `lead_at` = CASE WHEN json_extract(CASE WHEN json_valid(`created_by`) THEN `created_by` END, '$.kind') = 'api_key' THEN `created_at` ELSE
    (SELECT MIN(h.`occurred_at`) FROM `history_notes` h WHERE h.`company_id` = `people`.`company_id`
        AND h.`person_id` = `people`.`id` AND h.`type` = 'whatsapp_received' AND COALESCE(h.`message_type`, '') <> 'reaction') END
 WHERE `status` = 'lead';
--> statement-breakpoint
UPDATE `people` SET (`first_reply_at`, `first_reply_by`) = (
    SELECT h.`occurred_at`, json_extract(CASE WHEN json_valid(h.`actor`) THEN h.`actor` END, '$.id') FROM `history_notes` h
     WHERE h.`company_id` = `people`.`company_id` AND h.`person_id` = `people`.`id` AND h.`type` = 'whatsapp_sent'
       AND h.`status` IN ('sent', 'delivered', 'read') AND json_extract(CASE WHEN json_valid(h.`actor`) THEN h.`actor` END, '$.kind') = 'user'
       AND h.`occurred_at` >= `people`.`lead_at`
     ORDER BY h.`occurred_at` LIMIT 1)
 WHERE `lead_at` IS NOT NULL;
--> statement-breakpoint
UPDATE `people` SET `won_at` = COALESCE(`stage_changed_at`, `updated_at`)
 WHERE `stage_id` IN (SELECT `id` FROM `pipeline_stages` WHERE `outcome` = 'won');
--> statement-breakpoint
UPDATE `history_notes` SET `replied_at` = (
    SELECT MIN(r.`occurred_at`) FROM `history_notes` r
     WHERE r.`company_id` = `history_notes`.`company_id` AND r.`person_id` = `history_notes`.`person_id`
       AND r.`type` = 'whatsapp_received' AND COALESCE(r.`message_type`, '') <> 'reaction'
       AND r.`inbox_at` >= `history_notes`.`occurred_at` AND r.`occurred_at` <= `history_notes`.`occurred_at` + 172800000)
 WHERE `type` = 'whatsapp_sent' AND `message_type` = 'template';
--> statement-breakpoint
INSERT INTO `report_message_counts` (`company_id`, `bucket`, `club_id`, `user_id`, `direction`, `template`, `automation_id`, `category`,
    `messages`, `delivered`, `read`, `failed`, `replied`)
SELECT h.`company_id`, h.`occurred_at` / 900000, COALESCE(p.`club_id`, ''),
       CASE WHEN h.`type` = 'whatsapp_received' THEN COALESCE(p.`owner_user_id`, '')
            WHEN json_extract(CASE WHEN json_valid(h.`actor`) THEN h.`actor` END, '$.kind') = 'user' THEN COALESCE(json_extract(CASE WHEN json_valid(h.`actor`) THEN h.`actor` END, '$.id'), '') ELSE '' END,
       CASE WHEN h.`type` = 'whatsapp_received' THEN 'in' ELSE 'out' END,
       CASE WHEN h.`message_type` = 'template' THEN COALESCE(json_extract(CASE WHEN json_valid(h.`content`) THEN h.`content` END, '$.name'), '') ELSE '' END,
       CASE WHEN json_extract(CASE WHEN json_valid(h.`actor`) THEN h.`actor` END, '$.kind') = 'automation' THEN COALESCE(json_extract(CASE WHEN json_valid(h.`actor`) THEN h.`actor` END, '$.id'), '') ELSE '' END,
       COALESCE(h.`category`, ''), COUNT(*),
       SUM(h.`type` = 'whatsapp_sent' AND COALESCE(h.`status`, '') IN ('delivered', 'read')),
       SUM(h.`type` = 'whatsapp_sent' AND COALESCE(h.`status`, '') = 'read'),
       SUM(h.`type` = 'whatsapp_sent' AND COALESCE(h.`status`, '') = 'failed'),
       SUM(h.`replied_at` IS NOT NULL)
  FROM `history_notes` h LEFT JOIN `people` p ON p.`id` = h.`person_id`
 WHERE h.`type` IN ('whatsapp_sent', 'whatsapp_received') AND COALESCE(h.`message_type`, '') <> 'reaction'
 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
--> statement-breakpoint
INSERT INTO `report_failures` (`company_id`, `bucket`, `club_id`, `user_id`, `code`, `title`, `failed`)
SELECT h.`company_id`, h.`occurred_at` / 900000, COALESCE(p.`club_id`, ''),
       CASE WHEN json_extract(CASE WHEN json_valid(h.`actor`) THEN h.`actor` END, '$.kind') = 'user' THEN COALESCE(json_extract(CASE WHEN json_valid(h.`actor`) THEN h.`actor` END, '$.id'), '') ELSE '' END,
       COALESCE(CAST(json_extract(CASE WHEN json_valid(h.`error`) THEN h.`error` END, '$.code') AS text), 'unknown'), MAX(json_extract(CASE WHEN json_valid(h.`error`) THEN h.`error` END, '$.title')), COUNT(*)
  FROM `history_notes` h LEFT JOIN `people` p ON p.`id` = h.`person_id`
 WHERE h.`type` = 'whatsapp_sent' AND h.`status` = 'failed'
 GROUP BY 1, 2, 3, 4, 5;
