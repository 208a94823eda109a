-- STOP and START are delivered in any order (Meta's webhooks are at-least-once and unordered). Meta's timestamp
-- of the person's latest keyword, kept even when the keyword changed nothing, so that an older one delivered
-- later is ignored (worker/whatsapp/policy.ts keywordSupersedesSql). NULL: no keyword received yet.
ALTER TABLE `people` ADD `whatsapp_keyword_at` integer;
