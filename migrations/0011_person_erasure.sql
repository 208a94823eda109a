-- Data requests (GDPR-style): a person erased on request keeps their row, blanked, so that their number stays
-- blocked (worker/people/erasure.ts explains why the phone stays). `erased_at` is the latest erasure's time:
-- sends are refused while it is set and the person is opted out, and a message the person sent before it that
-- reaches us only afterwards (Meta retries webhooks for days) is stored without its text.
ALTER TABLE `people` ADD `erased_at` integer;
--> statement-breakpoint
-- An erasure clears the template values an automated item fixed for the person (automation_occurrences.params):
-- found by person, not by walking every occurrence the company ever had.
CREATE INDEX `automation_occurrences_person` ON `automation_occurrences` (`company_id`, `person_id`);
