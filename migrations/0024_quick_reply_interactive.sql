-- A quick reply may ask with reply buttons or a list ("Book a tour: Mon / Tue / Wed"): Meta's interactive object
-- as JSON (worker/whatsapp/meta/interactive-schema.ts), its body text the quick reply's text; null for plain text.
ALTER TABLE `quick_replies` ADD `interactive` text;
