// Catalog reads from D1, shared by pages, the cart, checkout and the vendors' pages.
import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import { readTogether, type Read } from '../db/batch';
import type { Db } from '../db/client';
import { schema } from '../db/client';
import { storeCanSell, type Product, type Store } from './availability';
import { categoryCountsOf, categoryCountsStatement, type CategoryCount } from './categories';
import {
  CARD_PRODUCT_SELECT,
  cardProductOf,
  LISTING_STORE_SELECT,
  listingStoreOf,
  PRICING_SELECT,
  pricingRowOf,
  PRODUCT_SELECT,
  productOf,
  STORE_SELECT,
  storeOf,
  type ListingStore,
  type PricingProduct,
  type PricingStore,
} from './rows';

const { products, stores } = schema;

export type { Product, Store };

/** A product with the store that sells it. */
export interface ProductWithStore {
  product: Product;
  store: Store;
}

/** Stores whose products may be shown: not disconnected from the platform. */
const storeListed = isNull(stores.deauthorizedAt);

/** Products and their stores by id, in one query (at most 100 ids: D1's bound-parameter limit). */
export async function getProductsByIds(
  db: Db,
  ids: readonly string[],
): Promise<Map<string, ProductWithStore>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  if (unique.length > 100) throw new RangeError('getProductsByIds takes at most 100 ids');
  // Raw SQL: this runs on every cart read and write, and drizzle's query building is measurable there.
  const { results } = await db.$client
    .prepare(
      `SELECT ${PRODUCT_SELECT}, ${STORE_SELECT} FROM products p JOIN stores s ON s.id = p.store_id
       WHERE p.id IN (${unique.map(() => '?').join(', ')})`,
    )
    .bind(...unique)
    .all();
  const found = new Map<string, ProductWithStore>();
  for (const row of results) {
    const product = productOf(row);
    found.set(product.id, { product, store: storeOf(row) });
  }
  return found;
}

/** A product and its store with the columns pricing a cart reads (see PRICING_SELECT). */
export interface PricingRow {
  product: PricingProduct;
  store: PricingStore;
}

/**
 * Products and their stores by id for pricing a cart, in one query: like getProductsByIds with only
 * the columns pricing reads. At most 100 ids (D1's bound-parameter limit).
 */
export async function getPricingRows(db: Db, ids: readonly string[]): Promise<Map<string, PricingRow>> {
  const [rows] = await readTogether(db, [pricingRowsRead(ids)]);
  return rows;
}

/** getPricingRows as a read that can share its D1 round trip with others (`readTogether`). */
export function pricingRowsRead(ids: readonly string[]): Read<Map<string, PricingRow>> {
  const unique = [...new Set(ids)];
  if (unique.length > 100) throw new RangeError('getPricingRows takes at most 100 ids');
  return {
    // Raw SQL: this runs on every cart read and write, and drizzle's query building is measurable there.
    query: unique.length
      ? {
          sql: `SELECT ${PRICING_SELECT} FROM products p JOIN stores s ON s.id = p.store_id
       WHERE p.id IN (${unique.map(() => '?').join(', ')})`,
          params: unique,
        }
      : null,
    value: (results) => {
      const found = new Map<string, PricingRow>();
      for (const row of results) {
        const priced = pricingRowOf(row);
        found.set(priced.product.id, priced);
      }
      return found;
    },
  };
}

/** An active product by its shop's slug and its own slug (the product page's address). */
export async function getProductBySlugs(
  db: Db,
  storeSlug: string,
  productSlug: string,
): Promise<ProductWithStore | null> {
  const rows = await db
    .select({ product: products, store: stores })
    .from(products)
    .innerJoin(stores, eq(products.storeId, stores.id))
    .where(
      and(eq(stores.slug, storeSlug), eq(products.slug, productSlug), eq(products.active, true), storeListed),
    )
    .limit(1);
  return rows[0] ?? null;
}

/** A store by slug, unless it disconnected from the platform. */
export async function getStoreBySlug(db: Db, slug: string): Promise<Store | null> {
  const rows = await db
    .select()
    .from(stores)
    .where(and(eq(stores.slug, slug), storeListed))
    .limit(1);
  return rows[0] ?? null;
}

/**
 * The home page's products across vendors: active products of stores that can sell, featured ones
 * first, newest next. Stores that can't sell are left out here (nothing to buy), not on their own pages.
 */
export async function listFeaturedProducts(db: Db, limit = 12): Promise<ProductWithStore[]> {
  const rows = await featuredQuery(db, limit);
  return rows.filter((r) => storeCanSell(r.store)).slice(0, limit);
}

// The "can sell" rule stays in storeCanSell(); SQL only narrows, the rule decides.
function featuredQuery(db: Db, limit: number) {
  return db
    .select({ product: products, store: stores })
    .from(products)
    .innerJoin(stores, eq(products.storeId, stores.id))
    .where(and(eq(products.active, true), eq(stores.chargesEnabled, true), storeListed))
    .orderBy(desc(products.featured), desc(products.createdAt), asc(products.name))
    .limit(limit * 4);
}

/** The home page's featured products, shops and category chips, in one D1 round trip. */
export async function loadHome(
  db: Db,
  limits: { products?: number; stores?: number } = {},
): Promise<{
  featured: { product: PricingProduct; store: PricingStore }[];
  stores: ListingStore[];
  categories: CategoryCount[];
}> {
  const productLimit = limits.products ?? 12;
  const storeLimit = limits.stores ?? 24;
  // SQL narrows to what storeCanSell() allows (charges and payouts on, not disconnected), so the limits
  // need no slack; storeCanSell() still decides. Only the columns the cards show are read (no
  // descriptions, contact details or Stripe ids): the home page is the most viewed page.
  const [productRows, storeRows, categoryRows] = await db.$client.batch<Record<string, unknown>>([
    db.$client
      .prepare(
        `SELECT ${PRICING_SELECT} FROM products p JOIN stores s ON s.id = p.store_id
         WHERE p.active = 1 AND s.charges_enabled = 1 AND s.payouts_enabled = 1 AND s.deauthorized_at IS NULL
         ORDER BY p.featured DESC, p.created_at DESC, p.name ASC LIMIT ?`,
      )
      .bind(productLimit),
    db.$client
      .prepare(
        `SELECT ${LISTING_STORE_SELECT} FROM stores s
         WHERE s.charges_enabled = 1 AND s.payouts_enabled = 1 AND s.deauthorized_at IS NULL
         ORDER BY s.name ASC LIMIT ?`,
      )
      .bind(storeLimit),
    categoryCountsStatement(db),
  ]);
  return {
    featured: productRows!.results.map(pricingRowOf).filter((r) => storeCanSell(r.store)),
    stores: storeRows!.results.map(listingStoreOf).filter(storeCanSell),
    categories: categoryCountsOf(categoryRows!.results),
  };
}

/** A shop page's store and its active products, in one D1 round trip; null when there is no such store. */
export async function loadShop(db: Db, slug: string): Promise<{ store: Store; products: Product[] } | null> {
  const [storeRows, productRows] = await db.$client.batch<Record<string, unknown>>([
    db.$client
      .prepare(`SELECT ${STORE_SELECT} FROM stores s WHERE s.slug = ? AND s.deauthorized_at IS NULL LIMIT 1`)
      .bind(slug),
    db.$client
      .prepare(
        `SELECT ${PRODUCT_SELECT} FROM products p JOIN stores s ON s.id = p.store_id
         WHERE s.slug = ? AND p.active = 1 ORDER BY p.featured DESC, p.name ASC`,
      )
      .bind(slug),
  ]);
  const row = storeRows!.results[0];
  return row ? { store: storeOf(row), products: productRows!.results.map(productOf) } : null;
}

/** The product page's product and a few others from the same shop, in one D1 round trip. */
export async function loadProductPage(
  db: Db,
  storeSlug: string,
  productSlug: string,
  moreLimit = 4,
): Promise<{ product: Product; store: Store; more: PricingProduct[] } | null> {
  const [found, others] = await db.$client.batch<Record<string, unknown>>([
    db.$client
      .prepare(
        `SELECT ${PRODUCT_SELECT}, ${STORE_SELECT} FROM products p JOIN stores s ON s.id = p.store_id
         WHERE s.slug = ? AND p.slug = ? AND p.active = 1 AND s.deauthorized_at IS NULL LIMIT 1`,
      )
      .bind(storeSlug, productSlug),
    db.$client
      .prepare(
        `SELECT ${CARD_PRODUCT_SELECT} FROM products p JOIN stores s ON s.id = p.store_id
         WHERE s.slug = ? AND p.active = 1 AND p.slug <> ? ORDER BY p.featured DESC, p.name ASC LIMIT ?`,
      )
      .bind(storeSlug, productSlug, moreLimit),
  ]);
  const row = found!.results[0];
  if (!row) return null;
  return { product: productOf(row), store: storeOf(row), more: others!.results.map(cardProductOf) };
}
