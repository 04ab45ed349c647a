ALTER TABLE `refunds` ADD `payouts_applied_at` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `order_lines_order_product` ON `order_lines` (`order_id`,`product_id`);