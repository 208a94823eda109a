-- Lead owners: a person may belong to one of the company's staff (worker/people/owner.ts). The inbox's views
-- Mine / Unassigned / All filter the `conversations` rows (0007) by owner, so each row carries its person's
-- owner, kept by the triggers below in the statement that changes it, and an index in the list's own order
-- (last_at, person_id newest first) serves each view as a keyset walk.

-- The user who owns the person (users.id, same company; checked on write, not by a foreign key: a user is
-- deactivated, never deleted). Null: unassigned.
ALTER TABLE `people` ADD `owner_user_id` text;
--> statement-breakpoint
ALTER TABLE `conversations` ADD `owner_user_id` text;
--> statement-breakpoint
CREATE INDEX `conversations_company_owner_last` ON `conversations` (`company_id`, `owner_user_id`, `last_at`, `person_id`);
--> statement-breakpoint
-- The views' unread counts: only rows with unread messages, counted per owner from the index alone (unread_count
-- is in it so that the partial condition the query repeats is answered without reading the rows).
CREATE INDEX `conversations_company_owner_unread` ON `conversations` (`company_id`, `owner_user_id`, `unread_count`) WHERE `unread_count` > 0;
--> statement-breakpoint
CREATE TRIGGER `conversations_on_owner` AFTER UPDATE OF `owner_user_id` ON `people`
WHEN NEW.`owner_user_id` IS NOT OLD.`owner_user_id`
BEGIN
  UPDATE `conversations` SET `owner_user_id` = NEW.`owner_user_id` WHERE `person_id` = NEW.`id`;
END;
--> statement-breakpoint
-- A person's first message makes their row (0007's conversations_on_message): it starts with their owner.
CREATE TRIGGER `conversations_owner_on_insert` AFTER INSERT ON `conversations` BEGIN
  UPDATE `conversations` SET `owner_user_id` = (SELECT `owner_user_id` FROM `people` WHERE `id` = NEW.`person_id`)
   WHERE `person_id` = NEW.`person_id`;
END;
