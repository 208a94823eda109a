-- Meta's 24-hour window moves from each conversation object's storage to D1, so webhook ingest stores an inbound
-- message in one D1 batch without a call to the conversation object (issue 12: that call was about a third of
-- an inbound message's server CPU). One row per person and business number they wrote to, for the phone that
-- wrote: written in the batch that stores the message (whatsapp/history-writes.ts openWindow), read by the
-- conversation object before each send (whatsapp/send-facts.ts). Objects keep what they stored before this
-- deploy and still honour it (conversation.ts legacyWindowOpen) until it expires a day later.
CREATE TABLE `conversation_windows` (
  `person_id` text NOT NULL,
  `phone_number_id` text NOT NULL,
  `company_id` text NOT NULL,
  `phone` text NOT NULL,
  `last_inbound_at` integer NOT NULL,
  PRIMARY KEY (`person_id`, `phone_number_id`)
) WITHOUT ROWID;
--> statement-breakpoint
-- Windows open at the deploy, from the people mirror (the latest message and the number it came to), so nobody
-- loses a window while the objects' own copies are still being read. Only the last day's: older ones are closed.
-- OR IGNORE: a row the new code wrote first is newer than the mirror's.
INSERT OR IGNORE INTO `conversation_windows` (`person_id`, `phone_number_id`, `company_id`, `phone`, `last_inbound_at`)
SELECT p.`id`, coalesce(p.`last_number_id`,
    (SELECT n.`phone_number_id` FROM `whatsapp_numbers` n WHERE n.`company_id` = p.`company_id`
      ORDER BY n.`is_first` DESC, n.`created_at`, n.`id` LIMIT 1)),
  p.`company_id`, p.`phone`, p.`whatsapp_last_inbound_at`
  FROM `people` p
 WHERE p.`whatsapp_last_inbound_at` > CAST(strftime('%s', 'now') AS INTEGER) * 1000 - 86400000
   AND p.`phone` IS NOT NULL AND p.`erased_at` IS NULL
   AND coalesce(p.`last_number_id`, (SELECT 1 FROM `whatsapp_numbers` n WHERE n.`company_id` = p.`company_id` LIMIT 1))
     IS NOT NULL;
