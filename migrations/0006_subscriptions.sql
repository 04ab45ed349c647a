CREATE TABLE `subscription_invoices` (
	`id` text PRIMARY KEY NOT NULL,
	`subscription_id` text NOT NULL,
	`order_id` text,
	`status` text NOT NULL,
	`billing_reason` text,
	`amount` integer NOT NULL,
	`currency` text NOT NULL,
	`period_start` integer,
	`period_end` integer,
	`hosted_invoice_url` text,
	`attempt_count` integer DEFAULT 0 NOT NULL,
	`next_payment_attempt` integer,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch()) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `subscription_invoices_subscription` ON `subscription_invoices` (`subscription_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `subscription_items` (
	`subscription_id` text NOT NULL,
	`product_id` text NOT NULL,
	`store_id` text NOT NULL,
	`store_name` text NOT NULL,
	`name` text NOT NULL,
	`unit_amount` integer NOT NULL,
	`quantity` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `subscription_items_pk` ON `subscription_items` (`subscription_id`,`product_id`);--> statement-breakpoint
CREATE INDEX `subscription_items_product` ON `subscription_items` (`product_id`);--> statement-breakpoint
ALTER TABLE `subscriptions` ADD `order_id` text;--> statement-breakpoint
ALTER TABLE `subscriptions` ADD `email` text;--> statement-breakpoint
ALTER TABLE `subscriptions` ADD `currency` text DEFAULT 'usd' NOT NULL;--> statement-breakpoint
ALTER TABLE `subscriptions` ADD `interval` text DEFAULT 'month' NOT NULL;--> statement-breakpoint
ALTER TABLE `subscriptions` ADD `amount` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `subscriptions` ADD `current_period_start` integer;--> statement-breakpoint
ALTER TABLE `subscriptions` ADD `canceled_at` integer;--> statement-breakpoint
ALTER TABLE `subscriptions` ADD `last_event_at` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `subscriptions` ADD `provisioned_at` integer;--> statement-breakpoint
CREATE INDEX `subscriptions_email` ON `subscriptions` (`email`);