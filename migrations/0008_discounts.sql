CREATE TABLE `discount_redemptions` (
	`order_id` text PRIMARY KEY NOT NULL,
	`discount_id` text NOT NULL,
	`customer_key` text,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `discount_redemptions_discount` ON `discount_redemptions` (`discount_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `discount_redemptions_customer` ON `discount_redemptions` (`discount_id`,`customer_key`);--> statement-breakpoint
CREATE TABLE `discounts` (
	`id` text PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`percent_off` integer,
	`amount_off` integer,
	`funded_by` text NOT NULL,
	`store_id` text,
	`product_ids` text,
	`min_subtotal` integer DEFAULT 0 NOT NULL,
	`free_shipping` integer DEFAULT false NOT NULL,
	`starts_at` integer,
	`ends_at` integer,
	`max_redemptions` integer,
	`redemptions` integer DEFAULT 0 NOT NULL,
	`once_per_customer` integer DEFAULT false NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch()) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `discounts_code` ON `discounts` (`code`);--> statement-breakpoint
CREATE INDEX `discounts_store` ON `discounts` (`store_id`);--> statement-breakpoint
CREATE TABLE `order_discounts` (
	`order_id` text PRIMARY KEY NOT NULL,
	`discount_id` text NOT NULL,
	`code` text NOT NULL,
	`funded_by` text NOT NULL,
	`store_id` text,
	`amount` integer NOT NULL,
	`shipping_amount` integer DEFAULT 0 NOT NULL,
	`once_per_customer` integer DEFAULT false NOT NULL,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL
);
--> statement-breakpoint
ALTER TABLE `order_lines` ADD `discount_amount` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `order_lines` ADD `discount_funded_by` text;