-- The inbox at a gym chain's size: no read walks a company's history.
--
-- 1. `history_notes.inbox_at`: the order messages appear in (see worker/db/schema.ts), as a virtual column so
--    an index serves "one conversation, newest first" and "unread after the read mark".
-- 2. `conversations`: one row per person with messages, kept by the triggers below in the same statement as
--    the note or person change that moves it, so it can never disagree with history. It points at the notes
--    the inbox shows (latest message, latest send, latest inbound) rather than copying them: their status and
--    text are read through the primary key, so a status change needs no second write.
-- 3. `people_search`: an FTS5 index of names, emails and phone digits (accent- and case-folded by the
--    tokenizer), kept by triggers on `people`, serving prefix search for the inbox and the people list.
-- Existing data is backfilled at the end, once.

ALTER TABLE `history_notes` ADD `inbox_at` integer GENERATED ALWAYS AS (
  CASE WHEN `type` = 'whatsapp_received' THEN MIN(`created_at`, `occurred_at` + 999) ELSE `occurred_at` END
) VIRTUAL;
--> statement-breakpoint
CREATE INDEX `history_notes_person_inbox` ON `history_notes` (`company_id`, `person_id`, `inbox_at`, `created_at`, `id`);
--> statement-breakpoint
CREATE TABLE `conversations` (
	`person_id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL,
	-- The latest message (not a reaction): the list's order is (last_at, person_id) newest first.
	`last_at` integer NOT NULL,
	`last_created_at` integer NOT NULL,
	`last_note_id` text NOT NULL,
	-- The latest message we sent (its status is the row's "last send failed"), by (occurred_at, created_at, id).
	`last_sent_note_id` text,
	`last_sent_occurred_at` integer,
	`last_sent_created_at` integer,
	-- The latest message the person sent: what "mark read" marks, at Meta too.
	`last_inbound_note_id` text,
	`last_inbound_at` integer,
	`last_inbound_created_at` integer,
	-- Inbound messages (not reactions) after people.whatsapp_last_read_at.
	`unread_count` integer DEFAULT 0 NOT NULL,
	-- Mirrors of the person, for the filters' indexes.
	`window_at` integer,
	`opted_out` integer DEFAULT 0 NOT NULL,
	-- The person's people_search row: a broad search walks the list in order and probes these.
	`search_rowid` integer
);
--> statement-breakpoint
CREATE INDEX `conversations_company_last` ON `conversations` (`company_id`, `last_at`, `person_id`, `search_rowid`);
--> statement-breakpoint
CREATE INDEX `conversations_company_unread` ON `conversations` (`company_id`, `last_at`, `person_id`) WHERE `unread_count` > 0;
--> statement-breakpoint
CREATE INDEX `conversations_company_opted_out` ON `conversations` (`company_id`, `last_at`, `person_id`) WHERE `opted_out` = 1;
--> statement-breakpoint
-- Open windows: the people who wrote in the last day, read from the index alone and sorted (few rows).
CREATE INDEX `conversations_search` ON `conversations` (`search_rowid`);
--> statement-breakpoint
CREATE INDEX `conversations_company_window` ON `conversations` (`company_id`, `window_at`, `last_at`, `person_id`);
--> statement-breakpoint
CREATE TRIGGER `conversations_on_message` AFTER INSERT ON `history_notes`
WHEN NEW.`type` IN ('whatsapp_sent', 'whatsapp_received') AND COALESCE(NEW.`message_type`, '') <> 'reaction'
BEGIN
  -- The person's first message makes the row (and looks up their search row once); every message then moves
  -- it in one UPDATE, each field only forward in its own order. Every SET reads the row as it was.
  INSERT INTO `conversations` (`person_id`, `company_id`, `last_at`, `last_created_at`, `last_note_id`, `window_at`, `opted_out`, `search_rowid`)
  SELECT NEW.`person_id`, NEW.`company_id`, NEW.`inbox_at`, NEW.`created_at`, NEW.`id`, p.`whatsapp_last_inbound_at`, COALESCE(p.`whatsapp_opted_out`, 0),
      (SELECT `rowid` FROM `people_search` WHERE `people_search` MATCH 'person_id:"' || NEW.`person_id` || '"')
    FROM (SELECT 1) LEFT JOIN `people` p ON p.`id` = NEW.`person_id`
   WHERE NOT EXISTS (SELECT 1 FROM `conversations` WHERE `person_id` = NEW.`person_id`);
  UPDATE `conversations` SET
    `last_at` = CASE WHEN (NEW.`inbox_at`, NEW.`created_at`, NEW.`id`) > (`last_at`, `last_created_at`, `last_note_id`)
      THEN NEW.`inbox_at` ELSE `last_at` END,
    `last_created_at` = CASE WHEN (NEW.`inbox_at`, NEW.`created_at`, NEW.`id`) > (`last_at`, `last_created_at`, `last_note_id`)
      THEN NEW.`created_at` ELSE `last_created_at` END,
    `last_note_id` = CASE WHEN (NEW.`inbox_at`, NEW.`created_at`, NEW.`id`) > (`last_at`, `last_created_at`, `last_note_id`)
      THEN NEW.`id` ELSE `last_note_id` END,
    `last_sent_note_id` = CASE WHEN NEW.`type` = 'whatsapp_sent' AND (NEW.`occurred_at`, NEW.`created_at`, NEW.`id`) >
        (COALESCE(`last_sent_occurred_at`, -1), COALESCE(`last_sent_created_at`, -1), COALESCE(`last_sent_note_id`, ''))
      THEN NEW.`id` ELSE `last_sent_note_id` END,
    `last_sent_occurred_at` = CASE WHEN NEW.`type` = 'whatsapp_sent' AND (NEW.`occurred_at`, NEW.`created_at`, NEW.`id`) >
        (COALESCE(`last_sent_occurred_at`, -1), COALESCE(`last_sent_created_at`, -1), COALESCE(`last_sent_note_id`, ''))
      THEN NEW.`occurred_at` ELSE `last_sent_occurred_at` END,
    `last_sent_created_at` = CASE WHEN NEW.`type` = 'whatsapp_sent' AND (NEW.`occurred_at`, NEW.`created_at`, NEW.`id`) >
        (COALESCE(`last_sent_occurred_at`, -1), COALESCE(`last_sent_created_at`, -1), COALESCE(`last_sent_note_id`, ''))
      THEN NEW.`created_at` ELSE `last_sent_created_at` END,
    `unread_count` = `unread_count` + CASE WHEN NEW.`type` = 'whatsapp_received'
      THEN (NEW.`inbox_at` > COALESCE((SELECT `whatsapp_last_read_at` FROM `people` WHERE `id` = NEW.`person_id`), 0)) ELSE 0 END,
    `last_inbound_note_id` = CASE WHEN NEW.`type` = 'whatsapp_received' AND (NEW.`inbox_at`, NEW.`created_at`, NEW.`id`) >
        (COALESCE(`last_inbound_at`, -1), COALESCE(`last_inbound_created_at`, -1), COALESCE(`last_inbound_note_id`, ''))
      THEN NEW.`id` ELSE `last_inbound_note_id` END,
    `last_inbound_created_at` = CASE WHEN NEW.`type` = 'whatsapp_received' AND (NEW.`inbox_at`, NEW.`created_at`, NEW.`id`) >
        (COALESCE(`last_inbound_at`, -1), COALESCE(`last_inbound_created_at`, -1), COALESCE(`last_inbound_note_id`, ''))
      THEN NEW.`created_at` ELSE `last_inbound_created_at` END,
    `last_inbound_at` = CASE WHEN NEW.`type` = 'whatsapp_received' AND (NEW.`inbox_at`, NEW.`created_at`, NEW.`id`) >
        (COALESCE(`last_inbound_at`, -1), COALESCE(`last_inbound_created_at`, -1), COALESCE(`last_inbound_note_id`, ''))
      THEN NEW.`inbox_at` ELSE `last_inbound_at` END
   WHERE `person_id` = NEW.`person_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `conversations_on_read_mark` AFTER UPDATE OF `whatsapp_last_read_at` ON `people`
WHEN NEW.`whatsapp_last_read_at` IS NOT OLD.`whatsapp_last_read_at`
BEGIN
  UPDATE `conversations` SET `unread_count` = (
    SELECT COUNT(*) FROM `history_notes` h
     WHERE h.`company_id` = NEW.`company_id` AND h.`person_id` = NEW.`id` AND h.`inbox_at` > COALESCE(NEW.`whatsapp_last_read_at`, 0)
       AND h.`type` = 'whatsapp_received' AND COALESCE(h.`message_type`, '') <> 'reaction')
   WHERE `person_id` = NEW.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `conversations_on_person` AFTER UPDATE OF `whatsapp_last_inbound_at`, `whatsapp_opted_out` ON `people`
WHEN NEW.`whatsapp_last_inbound_at` IS NOT OLD.`whatsapp_last_inbound_at` OR NEW.`whatsapp_opted_out` IS NOT OLD.`whatsapp_opted_out`
BEGIN
  UPDATE `conversations` SET `window_at` = NEW.`whatsapp_last_inbound_at`, `opted_out` = NEW.`whatsapp_opted_out`
   WHERE `person_id` = NEW.`id`;
END;
--> statement-breakpoint
-- Search terms: names and email as words; apart, the phone's digits, the digits after a 1- to 3-digit country
-- code (a national number typed with or without its trunk 0 is found by prefix: the query drops the 0), and
-- its last 4 to 8 digits ("the one ending 5601").
CREATE VIRTUAL TABLE `people_search` USING fts5(
  `person_id`, `company_id` UNINDEXED, `terms`, `phone`,
  tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);
--> statement-breakpoint
CREATE TRIGGER `people_search_insert` AFTER INSERT ON `people` BEGIN
  INSERT INTO `people_search` (`person_id`, `company_id`, `terms`, `phone`) VALUES (NEW.`id`, NEW.`company_id`,
    NEW.`first_name` || ' ' || COALESCE(NEW.`last_name`, '') || ' ' || COALESCE(NEW.`email`, ''),
    COALESCE(replace(NEW.`phone`, '+', '') || ' ' || substr(NEW.`phone`, 3) || ' ' || substr(NEW.`phone`, 4) || ' ' || substr(NEW.`phone`, 5)
      || ' ' || substr(NEW.`phone`, -8) || ' ' || substr(NEW.`phone`, -7) || ' ' || substr(NEW.`phone`, -6) || ' ' || substr(NEW.`phone`, -5) || ' ' || substr(NEW.`phone`, -4), ''));
END;
--> statement-breakpoint
CREATE TRIGGER `people_search_update` AFTER UPDATE OF `first_name`, `last_name`, `email`, `phone` ON `people` BEGIN
  -- An UPDATE keeps the row's rowid: search results stay in the order people were added (people/search.ts).
  UPDATE `people_search` SET
    `terms` = NEW.`first_name` || ' ' || COALESCE(NEW.`last_name`, '') || ' ' || COALESCE(NEW.`email`, ''),
    `phone` = COALESCE(replace(NEW.`phone`, '+', '') || ' ' || substr(NEW.`phone`, 3) || ' ' || substr(NEW.`phone`, 4) || ' ' || substr(NEW.`phone`, 5)
      || ' ' || substr(NEW.`phone`, -8) || ' ' || substr(NEW.`phone`, -7) || ' ' || substr(NEW.`phone`, -6) || ' ' || substr(NEW.`phone`, -5) || ' ' || substr(NEW.`phone`, -4), '')
  WHERE `people_search` MATCH 'person_id:"' || OLD.`id` || '"';
END;
--> statement-breakpoint
CREATE TRIGGER `people_search_delete` AFTER DELETE ON `people` BEGIN
  DELETE FROM `people_search` WHERE `people_search` MATCH 'person_id:"' || OLD.`id` || '"';
END;
--> statement-breakpoint
INSERT INTO `people_search` (`person_id`, `company_id`, `terms`, `phone`)
SELECT `id`, `company_id`,
  `first_name` || ' ' || COALESCE(`last_name`, '') || ' ' || COALESCE(`email`, ''),
  COALESCE(replace(`phone`, '+', '') || ' ' || substr(`phone`, 3) || ' ' || substr(`phone`, 4) || ' ' || substr(`phone`, 5)
    || ' ' || substr(`phone`, -8) || ' ' || substr(`phone`, -7) || ' ' || substr(`phone`, -6) || ' ' || substr(`phone`, -5) || ' ' || substr(`phone`, -4), '')
FROM `people` ORDER BY `created_at`, `id`;
--> statement-breakpoint
-- Backfill: the same rows the triggers would have written, from existing history.
WITH messages AS (
  SELECT h.`id`, h.`person_id`, h.`type`, h.`inbox_at`, h.`occurred_at`, h.`created_at`,
    ROW_NUMBER() OVER (PARTITION BY h.`person_id` ORDER BY h.`inbox_at` DESC, h.`created_at` DESC, h.`id` DESC) AS `rn_last`,
    ROW_NUMBER() OVER (PARTITION BY h.`person_id`, h.`type` ORDER BY
      CASE WHEN h.`type` = 'whatsapp_sent' THEN h.`occurred_at` ELSE h.`inbox_at` END DESC, h.`created_at` DESC, h.`id` DESC) AS `rn_type`
  FROM `history_notes` h
  WHERE h.`type` IN ('whatsapp_sent', 'whatsapp_received') AND COALESCE(h.`message_type`, '') <> 'reaction'
)
INSERT INTO `conversations` (`person_id`, `company_id`, `last_at`, `last_created_at`, `last_note_id`,
  `last_sent_note_id`, `last_sent_occurred_at`, `last_sent_created_at`,
  `last_inbound_note_id`, `last_inbound_at`, `last_inbound_created_at`, `unread_count`, `window_at`, `opted_out`, `search_rowid`)
SELECT p.`id`, p.`company_id`, l.`inbox_at`, l.`created_at`, l.`id`,
  s.`id`, s.`occurred_at`, s.`created_at`,
  i.`id`, i.`inbox_at`, i.`created_at`,
  (SELECT COUNT(*) FROM `history_notes` u WHERE u.`company_id` = p.`company_id` AND u.`person_id` = p.`id`
     AND u.`inbox_at` > COALESCE(p.`whatsapp_last_read_at`, 0) AND u.`type` = 'whatsapp_received'
     AND COALESCE(u.`message_type`, '') <> 'reaction'),
  p.`whatsapp_last_inbound_at`, p.`whatsapp_opted_out`,
  (SELECT `rowid` FROM `people_search` WHERE `people_search` MATCH 'person_id:"' || p.`id` || '"')
FROM messages l
JOIN `people` p ON p.`id` = l.`person_id`
LEFT JOIN messages s ON s.`person_id` = l.`person_id` AND s.`type` = 'whatsapp_sent' AND s.`rn_type` = 1
LEFT JOIN messages i ON i.`person_id` = l.`person_id` AND i.`type` = 'whatsapp_received' AND i.`rn_type` = 1
WHERE l.`rn_last` = 1;

