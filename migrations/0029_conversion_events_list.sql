-- Settings > Meta Conversions API lists a company's recent conversion events, newest first, a page at a time
-- (GET /api/v1/whatsapp/conversions/events): a keyset walk needs an index in the list's own order.
CREATE INDEX `conversion_events_company_created` ON `conversion_events` (`company_id`, `created_at`, `id`);
