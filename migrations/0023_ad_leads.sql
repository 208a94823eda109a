-- Leads from ads (worker/ads/, worker/conversions/). Meta's `referral` object rides on the inbound message a
-- click-to-WhatsApp ad starts; it is kept on the note, and on the person as their first ad (set once, in the batch
-- that stores the message, guarded by that note: a redelivered webhook stores no note, so changes nothing) and their
-- latest (moved forward by Meta's time). The inbox and the directory filter by the first ad, each through an index in
-- its list's order; the ads report walks the people who came from an ad by when they came.

-- The referral as Meta sent it (source_url, source_id, headline, ctwa_clid...), on inbound messages that carry one.
ALTER TABLE `history_notes` ADD `referral` text;
--> statement-breakpoint
-- The ad that brought the person (Meta's referral source_id): null for people who did not come from an ad.
ALTER TABLE `people` ADD `ad_source_id` text;
--> statement-breakpoint
-- Meta's time of the message that brought them from that ad: the ads report counts leads by it.
ALTER TABLE `people` ADD `ad_lead_at` integer;
--> statement-breakpoint
-- {referral fields..., at, note_id}: the first ad (never changed once set) and the latest one.
ALTER TABLE `people` ADD `lead_source_first` text;
--> statement-breakpoint
ALTER TABLE `people` ADD `lead_source_latest` text;
--> statement-breakpoint
-- ?ad=<source_id> and ?source=ad on the directory, newest first: partial, so people from no ad cost nothing.
CREATE INDEX `people_company_ad_created` ON `people` (`company_id`, `ad_source_id`, `created_at`, `id`) WHERE `ad_source_id` IS NOT NULL;
--> statement-breakpoint
CREATE INDEX `people_company_from_ad_created` ON `people` (`company_id`, `created_at`, `id`) WHERE `ad_source_id` IS NOT NULL;
--> statement-breakpoint
-- The ads report: leads of a period, by ad, from the index alone.
CREATE INDEX `people_company_ad_lead_at` ON `people` (`company_id`, `ad_lead_at`, `ad_source_id`, `stage_id`) WHERE `ad_source_id` IS NOT NULL;
--> statement-breakpoint
-- The inbox's ad filters: each conversation row carries its person's first ad, kept like its owner and club (0014, 0015).
ALTER TABLE `conversations` ADD `ad_source_id` text;
--> statement-breakpoint
CREATE INDEX `conversations_company_ad_last` ON `conversations` (`company_id`, `ad_source_id`, `last_at`, `person_id`) WHERE `ad_source_id` IS NOT NULL;
--> statement-breakpoint
CREATE INDEX `conversations_company_from_ad_last` ON `conversations` (`company_id`, `last_at`, `person_id`) WHERE `ad_source_id` IS NOT NULL;
--> statement-breakpoint
CREATE TRIGGER `conversations_on_ad` AFTER UPDATE OF `ad_source_id` ON `people`
WHEN NEW.`ad_source_id` IS NOT OLD.`ad_source_id`
BEGIN
  UPDATE `conversations` SET `ad_source_id` = NEW.`ad_source_id` WHERE `person_id` = NEW.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `conversations_ad_on_insert` AFTER INSERT ON `conversations` BEGIN
  UPDATE `conversations` SET `ad_source_id` = (SELECT `ad_source_id` FROM `people` WHERE `id` = NEW.`person_id`)
   WHERE `person_id` = NEW.`person_id`;
END;
--> statement-breakpoint
-- Meta's Conversions API for business messaging (worker/conversions/): a company that sets its dataset id has its ad
-- leads' events reported. Purchase needs a value and a currency: the company's own, or 0 in its currency.
ALTER TABLE `companies` ADD `meta_dataset_id` text;
--> statement-breakpoint
ALTER TABLE `companies` ADD `conversions_currency` text;
--> statement-breakpoint
ALTER TABLE `companies` ADD `conversions_purchase_value` real;
--> statement-breakpoint
-- One row per person and event, ever (the unique index): an event is recorded once however often the change that
-- makes it is repeated, and its id is the event_id Meta de-duplicates on, so a retry after a lost answer is safe.
CREATE TABLE `conversion_events` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL,
	`person_id` text NOT NULL,
	-- LeadSubmitted (a lead made by an ad's message) or Purchase (the lead reached a won stage).
	`event` text NOT NULL,
	`dataset_id` text NOT NULL,
	`ctwa_clid` text NOT NULL,
	`event_time` integer NOT NULL,
	-- pending, sent or failed (after the last try, or an answer no retry changes).
	`state` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	-- A consumer's claim: no other takes the row until it passes (a redelivered queue message, a sweep).
	`lease_until` integer,
	`next_attempt_at` integer NOT NULL,
	`error` text,
	`sent_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `conversion_events_person_event` ON `conversion_events` (`person_id`, `event`);
--> statement-breakpoint
-- The sweep's walk: events still pending whose queue message may have been lost.
CREATE INDEX `conversion_events_pending` ON `conversion_events` (`next_attempt_at`) WHERE `state` = 'pending';
