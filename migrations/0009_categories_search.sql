CREATE TABLE `categories` (
	`slug` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `product_categories` (
	`product_id` text PRIMARY KEY NOT NULL,
	`category_slug` text NOT NULL,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`category_slug`) REFERENCES `categories`(`slug`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `product_categories_category` ON `product_categories` (`category_slug`);--> statement-breakpoint
-- Written by hand below (drizzle-kit does not model virtual tables or triggers). The platform's starter
-- category list; vendors pick from it in the dashboard.
INSERT INTO `categories` (`slug`, `name`) VALUES
	('ceramics', 'Ceramics'),
	('coffee-tea', 'Coffee & tea'),
	('kitchen', 'Kitchen'),
	('home', 'Home'),
	('textiles', 'Textiles'),
	('paper-stationery', 'Paper & stationery'),
	('art-prints', 'Art & prints'),
	('jewellery', 'Jewellery'),
	('food', 'Food & pantry'),
	('other', 'Other')
	ON CONFLICT DO NOTHING;
--> statement-breakpoint
-- Full-text search over products: name, description, the vendor's store name and the category name.
-- Rows are keyed by the product's rowid; triggers keep them in step with every catalog write, inside the
-- writer's own statement (so inside its batch). unicode61 with remove_diacritics 2 folds "Café" to "cafe";
-- prefix indexes make 2- and 3-letter prefix queries cheap.
CREATE VIRTUAL TABLE `product_search` USING fts5(
	`product_id` UNINDEXED, `name`, `description`, `vendor`, `category`,
	tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);
--> statement-breakpoint
INSERT INTO `product_search` (`rowid`, `product_id`, `name`, `description`, `vendor`, `category`)
	SELECT p.rowid, p.id, p.name, p.description, s.name,
		coalesce((SELECT c.name FROM product_categories pc JOIN categories c ON c.slug = pc.category_slug WHERE pc.product_id = p.id), '')
	FROM products p JOIN stores s ON s.id = p.store_id;
--> statement-breakpoint
CREATE TRIGGER `product_search_ai` AFTER INSERT ON `products` BEGIN
	INSERT INTO product_search (rowid, product_id, name, description, vendor, category)
	VALUES (new.rowid, new.id, new.name, new.description,
		coalesce((SELECT name FROM stores WHERE id = new.store_id), ''),
		coalesce((SELECT c.name FROM product_categories pc JOIN categories c ON c.slug = pc.category_slug WHERE pc.product_id = new.id), ''));
END;
--> statement-breakpoint
CREATE TRIGGER `product_search_au` AFTER UPDATE OF `name`, `description`, `store_id` ON `products` BEGIN
	UPDATE product_search SET name = new.name, description = new.description,
		vendor = coalesce((SELECT name FROM stores WHERE id = new.store_id), '')
	WHERE rowid = new.rowid;
END;
--> statement-breakpoint
CREATE TRIGGER `product_search_ad` AFTER DELETE ON `products` BEGIN
	DELETE FROM product_search WHERE rowid = old.rowid;
END;
--> statement-breakpoint
CREATE TRIGGER `product_search_store_au` AFTER UPDATE OF `name` ON `stores` BEGIN
	UPDATE product_search SET vendor = new.name
	WHERE rowid IN (SELECT rowid FROM products WHERE store_id = new.id);
END;
--> statement-breakpoint
CREATE TRIGGER `product_search_category_ai` AFTER INSERT ON `product_categories` BEGIN
	UPDATE product_search SET category = coalesce((SELECT name FROM categories WHERE slug = new.category_slug), '')
	WHERE rowid = (SELECT rowid FROM products WHERE id = new.product_id);
END;
--> statement-breakpoint
CREATE TRIGGER `product_search_category_au` AFTER UPDATE ON `product_categories` BEGIN
	UPDATE product_search SET category = coalesce((SELECT name FROM categories WHERE slug = new.category_slug), '')
	WHERE rowid = (SELECT rowid FROM products WHERE id = new.product_id);
END;
--> statement-breakpoint
CREATE TRIGGER `product_search_category_ad` AFTER DELETE ON `product_categories` BEGIN
	UPDATE product_search SET category = ''
	WHERE rowid = (SELECT rowid FROM products WHERE id = old.product_id);
END;
--> statement-breakpoint
CREATE TRIGGER `product_search_category_name_au` AFTER UPDATE OF `name` ON `categories` BEGIN
	UPDATE product_search SET category = new.name
	WHERE rowid IN (SELECT p.rowid FROM products p JOIN product_categories pc ON pc.product_id = p.id WHERE pc.category_slug = new.slug);
END;
