-- The people directory (the app's People screen and New chat): filters a sales team uses on 100,000 people,
-- each served by an index in the list's own order (created_at, id newest first), so a page is an index range
-- read from where the cursor points, whatever the filter.

-- The company's country (ISO 3166-1 alpha-2): numbers typed without a country code ("07412 345678") are read
-- as this country's (worker/people/phone.ts). Null: only international numbers are accepted, as before.
ALTER TABLE `companies` ADD `country` text;
--> statement-breakpoint
-- Who added the person (an Actor: a staff member, an API key, the first WhatsApp message, the seed); null for
-- people added before this was recorded.
ALTER TABLE `people` ADD `created_by` text;
--> statement-breakpoint
-- 1 once the person has a conversation row (any WhatsApp message, either way): "never messaged" is a partial
-- index over the rows still at 0. Kept by the triggers below, in the statement that makes the row.
ALTER TABLE `people` ADD `has_conversation` integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
UPDATE `people` SET `has_conversation` = 1 WHERE `id` IN (SELECT `person_id` FROM `conversations`);
--> statement-breakpoint
CREATE TRIGGER `people_has_conversation_insert` AFTER INSERT ON `conversations` BEGIN
  UPDATE `people` SET `has_conversation` = 1 WHERE `id` = NEW.`person_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `people_has_conversation_delete` AFTER DELETE ON `conversations` BEGIN
  UPDATE `people` SET `has_conversation` = 0 WHERE `id` = OLD.`person_id`;
END;
--> statement-breakpoint
CREATE INDEX `people_company_status_created` ON `people` (`company_id`, `status`, `created_at`, `id`);
--> statement-breakpoint
CREATE INDEX `people_company_sale_type_created` ON `people` (`company_id`, `sale_type`, `created_at`, `id`);
--> statement-breakpoint
-- Partial: the query names the literal `has_conversation = 0` so SQLite can use it (worker/people/list.ts).
CREATE INDEX `people_company_never_messaged` ON `people` (`company_id`, `created_at`, `id`) WHERE `has_conversation` = 0;
--> statement-breakpoint
-- Search folds letters that have no accent to remove: FTS5's unicode61 tokenizer (remove_diacritics 2, migration
-- 0007) folds é, ü, å, ç, ñ and the like, but ø, ł, ß, æ, œ, đ, ð, þ and ı are letters of their own to it, so
-- "soren" missed Søren and "lukasz" missed Łukasz. A name holding one is indexed twice: as written (so "Søren"
-- still finds it) and spelt out in plain letters (people/search.ts).
DROP TRIGGER `people_search_insert`;
--> statement-breakpoint
DROP TRIGGER `people_search_update`;
--> statement-breakpoint
CREATE TRIGGER `people_search_insert` AFTER INSERT ON `people` BEGIN
  INSERT INTO `people_search` (`person_id`, `company_id`, `terms`, `phone`) VALUES (NEW.`id`, NEW.`company_id`,
    (SELECT CASE WHEN `f` = `t` THEN `t` ELSE `t` || ' ' || `f` END FROM (SELECT `t`, replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(`t`, 'ø', 'o'), 'Ø', 'o'), 'ł', 'l'), 'Ł', 'l'), 'ß', 'ss'), 'ẞ', 'ss'), 'æ', 'ae'), 'Æ', 'ae'), 'œ', 'oe'), 'Œ', 'oe'), 'đ', 'd'), 'Đ', 'd'), 'ð', 'd'), 'Ð', 'd'), 'þ', 'th'), 'Þ', 'th'), 'ı', 'i') AS `f` FROM (SELECT NEW.`first_name` || ' ' || COALESCE(NEW.`last_name`, '') || ' ' || COALESCE(NEW.`email`, '') AS `t`))),
    COALESCE(replace(NEW.`phone`, '+', '') || ' ' || substr(NEW.`phone`, 3) || ' ' || substr(NEW.`phone`, 4) || ' ' || substr(NEW.`phone`, 5)
      || ' ' || substr(NEW.`phone`, -8) || ' ' || substr(NEW.`phone`, -7) || ' ' || substr(NEW.`phone`, -6) || ' ' || substr(NEW.`phone`, -5) || ' ' || substr(NEW.`phone`, -4), ''));
END;
--> statement-breakpoint
CREATE TRIGGER `people_search_update` AFTER UPDATE OF `first_name`, `last_name`, `email`, `phone` ON `people` BEGIN
  -- An UPDATE keeps the row's rowid: search results stay in the order people were added (people/search.ts).
  UPDATE `people_search` SET
    `terms` = (SELECT CASE WHEN `f` = `t` THEN `t` ELSE `t` || ' ' || `f` END FROM (SELECT `t`, replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(`t`, 'ø', 'o'), 'Ø', 'o'), 'ł', 'l'), 'Ł', 'l'), 'ß', 'ss'), 'ẞ', 'ss'), 'æ', 'ae'), 'Æ', 'ae'), 'œ', 'oe'), 'Œ', 'oe'), 'đ', 'd'), 'Đ', 'd'), 'ð', 'd'), 'Ð', 'd'), 'þ', 'th'), 'Þ', 'th'), 'ı', 'i') AS `f` FROM (SELECT NEW.`first_name` || ' ' || COALESCE(NEW.`last_name`, '') || ' ' || COALESCE(NEW.`email`, '') AS `t`))),
    `phone` = COALESCE(replace(NEW.`phone`, '+', '') || ' ' || substr(NEW.`phone`, 3) || ' ' || substr(NEW.`phone`, 4) || ' ' || substr(NEW.`phone`, 5)
      || ' ' || substr(NEW.`phone`, -8) || ' ' || substr(NEW.`phone`, -7) || ' ' || substr(NEW.`phone`, -6) || ' ' || substr(NEW.`phone`, -5) || ' ' || substr(NEW.`phone`, -4), '')
  WHERE `people_search` MATCH 'person_id:"' || OLD.`id` || '"';
END;
--> statement-breakpoint
UPDATE `people_search` SET `terms` = (SELECT CASE WHEN `f` = `t` THEN `t` ELSE `t` || ' ' || `f` END FROM (SELECT `t`, replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(`t`, 'ø', 'o'), 'Ø', 'o'), 'ł', 'l'), 'Ł', 'l'), 'ß', 'ss'), 'ẞ', 'ss'), 'æ', 'ae'), 'Æ', 'ae'), 'œ', 'oe'), 'Œ', 'oe'), 'đ', 'd'), 'Đ', 'd'), 'ð', 'd'), 'Ð', 'd'), 'þ', 'th'), 'Þ', 'th'), 'ı', 'i') AS `f` FROM (SELECT `terms` AS `t`)))
WHERE `terms` GLOB '*[øØłŁßẞæÆœŒđĐðÐþÞı]*';
