CREATE TABLE `disputes` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`charge_id` text NOT NULL,
	`amount` integer NOT NULL,
	`currency` text NOT NULL,
	`reason` text NOT NULL,
	`status` text NOT NULL,
	`funds_withdrawn_at` integer,
	`funds_reinstated_at` integer,
	`closed_at` integer,
	`disputed_at` integer NOT NULL,
	`last_event_at` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch()) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `disputes_order` ON `disputes` (`order_id`);--> statement-breakpoint
CREATE INDEX `disputes_charge` ON `disputes` (`charge_id`);--> statement-breakpoint
DROP INDEX `transfers_order_store`;--> statement-breakpoint
ALTER TABLE `transfers` ADD `purpose` text DEFAULT 'sale' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `transfers_order_store` ON `transfers` (`order_id`,`store_id`,`purpose`);