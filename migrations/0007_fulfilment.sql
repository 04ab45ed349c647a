CREATE TABLE `order_parts` (
	`order_id` text NOT NULL,
	`store_id` text NOT NULL,
	`status` text DEFAULT 'unfulfilled' NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	`lock_token` text,
	`shipped_at` integer,
	`delivered_at` integer,
	`delivered_by` text,
	`cancelled_at` integer,
	`cancel_reason` text,
	`cancel_refund_amount` integer DEFAULT 0 NOT NULL,
	`cancel_vendor_amount` integer DEFAULT 0 NOT NULL,
	`cancel_refund_id` text,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch()) NOT NULL,
	PRIMARY KEY(`order_id`, `store_id`)
);
--> statement-breakpoint
CREATE INDEX `order_parts_store_status` ON `order_parts` (`store_id`,`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `order_parts_status_shipped` ON `order_parts` (`status`,`shipped_at`);--> statement-breakpoint
CREATE TABLE `refund_attributions` (
	`refund_id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`store_id` text NOT NULL,
	`vendor_amount` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `refund_attributions_order` ON `refund_attributions` (`order_id`);--> statement-breakpoint
CREATE TABLE `return_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`store_id` text NOT NULL,
	`status` text DEFAULT 'requested' NOT NULL,
	`reason` text NOT NULL,
	`items` text NOT NULL,
	`amount` integer NOT NULL,
	`vendor_amount` integer NOT NULL,
	`restock` integer DEFAULT false NOT NULL,
	`decided_by` text,
	`decision_reason` text,
	`decided_at` integer,
	`decision_token` text,
	`refund_id` text,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `return_requests_order` ON `return_requests` (`order_id`);--> statement-breakpoint
CREATE INDEX `return_requests_store` ON `return_requests` (`store_id`,`status`);--> statement-breakpoint
CREATE TABLE `shipment_lines` (
	`shipment_id` text NOT NULL,
	`order_id` text NOT NULL,
	`product_id` text NOT NULL,
	`quantity` integer NOT NULL,
	PRIMARY KEY(`shipment_id`, `product_id`)
);
--> statement-breakpoint
CREATE INDEX `shipment_lines_order` ON `shipment_lines` (`order_id`,`product_id`);--> statement-breakpoint
CREATE TABLE `shipments` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`store_id` text NOT NULL,
	`carrier` text NOT NULL,
	`tracking_number` text NOT NULL,
	`tracking_url` text,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `shipments_order` ON `shipments` (`order_id`,`store_id`);--> statement-breakpoint
ALTER TABLE `transfers` ADD `held_for` text;--> statement-breakpoint
ALTER TABLE `transfers` ADD `hold_days` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Orders paid before fulfilment existed get their parts (one per vendor), oldest first as paid.
INSERT OR IGNORE INTO `order_parts` (`order_id`, `store_id`, `status`, `created_at`, `updated_at`)
SELECT DISTINCT l.`order_id`, l.`store_id`, 'unfulfilled', COALESCE(o.`paid_at`, o.`created_at`), unixepoch()
FROM `order_lines` l JOIN `orders` o ON o.`id` = l.`order_id`
WHERE o.`status` IN ('paid', 'partially_refunded', 'refunded');
