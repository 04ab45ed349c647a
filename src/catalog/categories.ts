// Categories: the platform-wide list, a store's categories (those its products are in), and the one writer
// of a product's category (vendors pick it in the dashboard). Search rows follow by trigger (migration 0009).
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { schema } from '../db/client';
import type { Product, Store } from './availability';
import { invalidateCatalogPages } from './page-cache';

/** A category as shoppers see it. */
export interface Category {
  slug: string;
  name: string;
}

/** A category with how many listed, active products are in it (overall, or in one store). */
export interface CategoryCount extends Category {
  productCount: number;
}

/** A product with its store and its category (null when it has none). */
export interface CatalogItem {
  product: Product;
  store: Store;
  category: Category | null;
}

/** The joins and columns that bring a product's category (`p` is products) into a catalog query. */
export const CATEGORY_JOIN =
  'LEFT JOIN product_categories pc ON pc.product_id = p.id LEFT JOIN categories c ON c.slug = pc.category_slug';
export const CATEGORY_SELECT = 'c.slug AS "cat_slug", c.name AS "cat_name"';

/** The category columns of a row selected with CATEGORY_SELECT. */
export function categoryOf(row: Record<string, unknown>): Category | null {
  return typeof row.cat_slug === 'string' && typeof row.cat_name === 'string'
    ? { slug: row.cat_slug, name: row.cat_name }
    : null;
}

/** Every category of the platform, by name. */
export async function listCategories(db: Db): Promise<Category[]> {
  const { results } = await db.$client
    .prepare('SELECT slug, name FROM categories ORDER BY name ASC')
    .all<Category>();
  return results;
}

/**
 * The statement behind listCategoryCounts, for a caller that batches it with its own reads (the home
 * page: one D1 round trip); read its rows with categoryCountsOf.
 */
export function categoryCountsStatement(db: Db, options: { storeSlug?: string } = {}): D1PreparedStatement {
  const storeFilter = options.storeSlug ? 'AND s.slug = ?' : '';
  return db.$client
    .prepare(
      `SELECT c.slug AS slug, c.name AS name, count(p.id) AS productCount
       FROM categories c
       LEFT JOIN product_categories pc ON pc.category_slug = c.slug
       LEFT JOIN products p ON p.id = pc.product_id AND p.active = 1
       LEFT JOIN stores s ON s.id = p.store_id AND s.deauthorized_at IS NULL
       WHERE (s.id IS NOT NULL OR p.id IS NULL) ${storeFilter}
       GROUP BY c.slug ORDER BY c.name ASC`,
    )
    .bind(...(options.storeSlug ? [options.storeSlug] : []));
}

/** The counts in rows of categoryCountsStatement: only categories with products, unless `all`. */
export function categoryCountsOf(rows: readonly unknown[], all = false): CategoryCount[] {
  return (rows as CategoryCount[]).filter((r) => all || r.productCount > 0);
}

/**
 * Categories with their counts of active products of listed stores; only those with products, unless
 * `all`. With `storeSlug`, counts only that store's products (a store's own category list).
 */
export async function listCategoryCounts(
  db: Db,
  options: { storeSlug?: string; all?: boolean } = {},
): Promise<CategoryCount[]> {
  const { results } = await categoryCountsStatement(db, options).all<CategoryCount>();
  return categoryCountsOf(results, options.all);
}

/** The category of each product given (products without one are absent). At most 100 ids. */
export async function categoriesOf(db: Db, productIds: readonly string[]): Promise<Map<string, Category>> {
  const ids = [...new Set(productIds)];
  if (ids.length === 0) return new Map();
  if (ids.length > 100) throw new RangeError('categoriesOf takes at most 100 ids');
  const { results } = await db.$client
    .prepare(
      `SELECT pc.product_id AS productId, c.slug AS slug, c.name AS name FROM product_categories pc
       JOIN categories c ON c.slug = pc.category_slug WHERE pc.product_id IN (${ids.map(() => '?').join(', ')})`,
    )
    .bind(...ids)
    .all<Category & { productId: string }>();
  return new Map(results.map((r) => [r.productId, { slug: r.slug, name: r.name }]));
}

/** True when `slug` is a category of the platform's list. */
export async function categoryExists(db: Db, slug: string): Promise<boolean> {
  return (await db.$client.prepare('SELECT 1 FROM categories WHERE slug = ?').bind(slug).first()) !== null;
}

/**
 * The write that sets (or, with null, clears) a product's category, for the caller's `db.batch` next to
 * the product's own write. Search rows follow by trigger in the same statement.
 */
export function categoryWrite(db: Db, productId: string, categorySlug: string | null) {
  const { productCategories } = schema;
  return categorySlug
    ? db
        .insert(productCategories)
        .values({ productId, categorySlug })
        .onConflictDoUpdate({ target: productCategories.productId, set: { categorySlug } })
    : db.delete(productCategories).where(eq(productCategories.productId, productId));
}

/** Sets a product's category (null clears it) and drops cached catalog pages and API answers. */
export async function setProductCategory(
  db: Db,
  productId: string,
  categorySlug: string | null,
): Promise<void> {
  await categoryWrite(db, productId, categorySlug);
  invalidateCatalogPages();
}

/** Ids of the active products of a store (by slug) in a category. */
export async function productIdsInCategory(
  db: Db,
  storeSlug: string,
  categorySlug: string,
): Promise<Set<string>> {
  const { results } = await db.$client
    .prepare(
      `SELECT p.id AS id FROM products p JOIN stores s ON s.id = p.store_id
       JOIN product_categories pc ON pc.product_id = p.id
       WHERE s.slug = ? AND pc.category_slug = ? AND p.active = 1`,
    )
    .bind(storeSlug, categorySlug)
    .all<{ id: string }>();
  return new Set(results.map((r) => r.id));
}
