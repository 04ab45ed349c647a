CREATE TABLE `rate_limit_hits` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`bucket` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `rate_limit_hits_bucket` ON `rate_limit_hits` (`bucket`,`at`);--> statement-breakpoint
CREATE TABLE `shopper_login_tokens` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `shopper_login_tokens_expires` ON `shopper_login_tokens` (`expires_at`);--> statement-breakpoint
ALTER TABLE `customers` ADD `email_normalized` text;--> statement-breakpoint
ALTER TABLE `customers` ADD `phone` text;--> statement-breakpoint
ALTER TABLE `customers` ADD `address` text;--> statement-breakpoint
ALTER TABLE `customers` ADD `shipping` text;--> statement-breakpoint
ALTER TABLE `customers` ADD `deleted_at` integer;--> statement-breakpoint
ALTER TABLE `customers` ADD `updated_rank` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `customers_email_mode` ON `customers` (`email_normalized`,`livemode`);--> statement-breakpoint
CREATE INDEX `customers_name` ON `customers` (`name`);--> statement-breakpoint
CREATE INDEX `orders_email` ON `orders` (`email`);--> statement-breakpoint
CREATE INDEX `orders_customer` ON `orders` (`customer_id`);--> statement-breakpoint
-- Existing rows: look-ups by e-mail compare the normalised form (trimmed, lower-case).
UPDATE `customers` SET `email_normalized` = lower(trim(`email`)) WHERE `email` IS NOT NULL;--> statement-breakpoint
UPDATE `orders` SET `email` = lower(trim(`email`)) WHERE `email` IS NOT NULL;
