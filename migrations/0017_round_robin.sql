-- Round-robin (worker/people/round-robin.ts): a lead who writes to a round-robin club goes to whoever on shift has
-- waited longest. The pick walks this index in its own order (last_assigned_at, NULLs first, then id) over the
-- company's users on shift only, rather than every user of the platform's directory (users has no company index).
CREATE INDEX `users_company_on_shift` ON `users` (`company_id`, `last_assigned_at`, `id`) WHERE `on_shift` = 1;
