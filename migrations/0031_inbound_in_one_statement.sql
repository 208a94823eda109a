-- An inbound message is stored by ONE statement (issue 12), where the batch had four: the note carries the business
-- number it came in on, and triggers do what the other statements did (whatsapp/history-writes.ts): the received
-- counter, Meta's window for that number (0030) and the person's mirror (whatsapp_last_inbound_at,
-- last_number_id). Each statement of a batch is work for D1 besides its SQL; measured under webhook ingest, the
-- fold was worth about 5% more messages a second. They fire only for a note the batch really inserted, so a
-- redelivered webhook (its wamid already stored: no insert) counts and opens nothing, as before.
-- Only notes that name their number fire them: notes written before this, and data loaded straight into D1
-- (bench/load-data.mjs, test fixtures) with counters of its own, are left as they are.
ALTER TABLE `history_notes` ADD COLUMN `phone_number_id` text;
--> statement-breakpoint
CREATE TRIGGER `inbound_counts_and_window` AFTER INSERT ON `history_notes`
WHEN NEW.`type` = 'whatsapp_received' AND NEW.`phone_number_id` IS NOT NULL
BEGIN
  INSERT INTO `counters` (`company_id`, `person_id`, `channel`, `sale_type`, `sent`, `received`)
  VALUES (NEW.`company_id`, NEW.`person_id`, 'whatsapp', NEW.`sale_type`, 0, 1)
  ON CONFLICT (`person_id`, `channel`, `sale_type`) DO UPDATE SET `received` = `received` + 1;
  -- For the phone the person has (the statement that inserted the note checked it is the sender's): moved on from
  -- Meta's time, never back; a message from a new phone starts that number's window afresh.
  INSERT INTO `conversation_windows` (`person_id`, `phone_number_id`, `company_id`, `phone`, `last_inbound_at`)
  SELECT NEW.`person_id`, NEW.`phone_number_id`, NEW.`company_id`, p.`phone`, NEW.`occurred_at`
    FROM `people` p WHERE p.`id` = NEW.`person_id` AND p.`phone` IS NOT NULL
  ON CONFLICT (`person_id`, `phone_number_id`) DO UPDATE SET
    `last_inbound_at` = CASE WHEN `phone` = excluded.`phone` THEN max(`last_inbound_at`, excluded.`last_inbound_at`)
      ELSE excluded.`last_inbound_at` END,
    `phone` = excluded.`phone`;
  -- The person's mirror of their latest message: the latest time over their numbers, and the number it came to
  -- (the one replies go from, numbers.sendingNumber) unless an older message is only now delivered.
  UPDATE `people` SET
    `whatsapp_last_inbound_at` = max(coalesce(`whatsapp_last_inbound_at`, 0), NEW.`occurred_at`),
    `last_number_id` = CASE WHEN NEW.`occurred_at` >= coalesce(`whatsapp_last_inbound_at`, 0)
      THEN NEW.`phone_number_id` ELSE `last_number_id` END
   WHERE `id` = NEW.`person_id`;
END;
