-- Templates with a photo, video or document header (worker/whatsapp/templates/header-sample.ts): the file each
-- send's header carries when the send names none (the sample's media id, or a link), and the file an automated
-- item or a broadcast sends in its template's header. JSON: {id | link, filename?, type?, mime_type?, size?}.
ALTER TABLE `templates` ADD `header_media` text;
--> statement-breakpoint
ALTER TABLE `automations` ADD `header_media` text;
--> statement-breakpoint
ALTER TABLE `broadcasts` ADD `header_media` text;
