CREATE TABLE `caught_mail` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`message_id` text,
	`kind` text,
	`from_address` text NOT NULL,
	`to_address` text NOT NULL,
	`reply_to` text,
	`subject` text NOT NULL,
	`text` text NOT NULL,
	`html` text NOT NULL,
	`headers` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `caught_mail_to` ON `caught_mail` (`to_address`);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`idempotency_key` text,
	`recipient` text,
	`data` text,
	`subject` text,
	`body` text NOT NULL,
	`html` text,
	`status` text DEFAULT 'queued' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`resends` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`transport_id` text,
	`enqueued_at` integer,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch()) NOT NULL,
	`sent_at` integer
);
--> statement-breakpoint
-- drizzle-kit listed the new columns in the SELECT too; only the old ones exist. Old rows keep their
-- content, get a legacy idempotency key, and "pending" becomes "queued" (the cron hands them to NOTIFY).
INSERT INTO `__new_outbox`("id", "kind", "idempotency_key", "recipient", "subject", "body", "status", "attempts", "last_error", "created_at", "updated_at", "sent_at") SELECT "id", "kind", 'legacy:' || "id", "recipient", "subject", "body", CASE "status" WHEN 'pending' THEN 'queued' ELSE "status" END, "attempts", "last_error", "created_at", "created_at", "sent_at" FROM `outbox`;--> statement-breakpoint
DROP TABLE `outbox`;--> statement-breakpoint
ALTER TABLE `__new_outbox` RENAME TO `outbox`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `outbox_status` ON `outbox` (`status`,`enqueued_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_idempotency_key` ON `outbox` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `outbox_created` ON `outbox` (`created_at`);