CREATE TABLE `payout_refunds` (
	`refund_id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`amount` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `payout_refunds_order` ON `payout_refunds` (`order_id`);--> statement-breakpoint
CREATE TABLE `vendor_accounts` (
	`account_id` text PRIMARY KEY NOT NULL,
	`store_id` text NOT NULL,
	`last_event_at` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch()) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `vendor_accounts_store` ON `vendor_accounts` (`store_id`);--> statement-breakpoint
ALTER TABLE `transfer_reversals` ADD `generation` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `transfer_reversals_status` ON `transfer_reversals` (`status`);--> statement-breakpoint
ALTER TABLE `transfers` ADD `initial_amount` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `transfers` ADD `generation` integer DEFAULT 0 NOT NULL;