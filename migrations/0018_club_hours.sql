-- Opening hours and away replies per club (worker/clubs/hours.ts, whatsapp/away-reply.ts). All three are JSON,
-- null until a manager sets them: no hours means always open, so no away reply goes.
-- hours: {"mon": [["06:00","22:00"]], ..., "sun": []}, local times in the club's time zone; an interval whose end
-- is not after its start runs past midnight into the next day.
ALTER TABLE `clubs` ADD `hours` text;
--> statement-breakpoint
-- closed_dates: ["2026-12-25", ...], local dates on which no interval starting that day opens.
ALTER TABLE `clubs` ADD `closed_dates` text;
--> statement-breakpoint
-- away_reply: {"enabled": true, "text": "..."}.
ALTER TABLE `clubs` ADD `away_reply` text;
