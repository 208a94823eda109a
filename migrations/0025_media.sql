-- Files staff upload to Meta to send (worker/whatsapp/media/): a send by media id must name one of the
-- company's own uploads, and the chat shows the file's name and size.
CREATE TABLE `whatsapp_media` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL,
	`phone_number_id` text NOT NULL,
	`type` text NOT NULL,
	`mime_type` text NOT NULL,
	`size` integer NOT NULL,
	`filename` text,
	`actor` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
-- A quick reply may carry a file (the timetable): JSON {type, id | link, filename?, mime_type?, size?, uploaded_at?}.
ALTER TABLE `quick_replies` ADD `attachment` text;
