-- The inbox's stage filter (GET /api/v1/conversations?stage=): each conversation row carries its person's stage,
-- kept by the triggers below in the statement that changes it, like its owner (0014) and club (0015), so that
-- an index in the list's own order (last_at, person_id newest first) serves one stage as a keyset walk, and
-- several stages as such walks merged in order (worker/inbox/conversations.ts).
ALTER TABLE `conversations` ADD `stage_id` text;
--> statement-breakpoint
UPDATE `conversations` SET `stage_id` = (SELECT `stage_id` FROM `people` WHERE `people`.`id` = `conversations`.`person_id`);
--> statement-breakpoint
CREATE INDEX `conversations_company_stage_last` ON `conversations` (`company_id`, `stage_id`, `last_at`, `person_id`);
--> statement-breakpoint
-- Every write of people.stage_id (pipeline/stage.ts, a new lead's default stage, an erasure) moves the mirror.
CREATE TRIGGER `conversations_on_stage` AFTER UPDATE OF `stage_id` ON `people`
WHEN NEW.`stage_id` IS NOT OLD.`stage_id`
BEGIN
  UPDATE `conversations` SET `stage_id` = NEW.`stage_id` WHERE `person_id` = NEW.`id`;
END;
--> statement-breakpoint
-- A person's first message makes their row (0007's conversations_on_message): it starts with their stage.
CREATE TRIGGER `conversations_stage_on_insert` AFTER INSERT ON `conversations` BEGIN
  UPDATE `conversations` SET `stage_id` = (SELECT `stage_id` FROM `people` WHERE `id` = NEW.`person_id`)
   WHERE `person_id` = NEW.`person_id`;
END;
