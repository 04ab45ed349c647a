// Catalog reads from D1, shared by pages, the cart, checkout and the vendors' pages.
import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../db/client';
import { schema } from '../db/client';
import { storeCanSell, type Product, type Store } from './availability';

const { products, stores } = schema;

export type { Product, Store };

/** A product with the store that sells it. */
export interface ProductWithStore {
  product: Product;
  store: Store;
}

/** Stores whose products may be shown: not disconnected from the platform. */
const storeListed = isNull(stores.deauthorizedAt);

/** A product and its store by product id, active or not (the cart and checkout need to see retired products). */
export async function getProductById(db: Db, id: string): Promise<ProductWithStore | null> {
  const rows = await db
    .select({ product: products, store: stores })
    .from(products)
    .innerJoin(stores, eq(products.storeId, stores.id))
    .where(eq(products.id, id))
    .limit(1);
  return rows[0] ?? null;
}

/** Products and their stores by id, in one query (at most 100 ids: D1's bound-parameter limit). */
export async function getProductsByIds(
  db: Db,
  ids: readonly string[],
): Promise<Map<string, ProductWithStore>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  if (unique.length > 100) throw new RangeError('getProductsByIds takes at most 100 ids');
  const rows = await db
    .select({ product: products, store: stores })
    .from(products)
    .innerJoin(stores, eq(products.storeId, stores.id))
    .where(inArray(products.id, unique));
  return new Map(rows.map((r) => [r.product.id, r]));
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

/** A store by id, whatever its state. */
export async function getStoreById(db: Db, id: string): Promise<Store | null> {
  const rows = await db.select().from(stores).where(eq(stores.id, id)).limit(1);
  return rows[0] ?? null;
}

/** A store's products, featured first then by name; active ones only unless asked (the vendor dashboard). */
export async function listStoreProducts(
  db: Db,
  storeId: string,
  options: { includeInactive?: boolean } = {},
): Promise<Product[]> {
  return db
    .select()
    .from(products)
    .where(
      options.includeInactive
        ? eq(products.storeId, storeId)
        : and(eq(products.storeId, storeId), eq(products.active, true)),
    )
    .orderBy(desc(products.featured), asc(products.name));
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

function sellingStoresQuery(db: Db, limit: number) {
  return db
    .select()
    .from(stores)
    .where(and(eq(stores.chargesEnabled, true), storeListed))
    .orderBy(asc(stores.name))
    .limit(limit * 4);
}

/** The home page's featured products and shops (two queries at once). */
export async function loadHome(
  db: Db,
  limits: { products?: number; stores?: number } = {},
): Promise<{ featured: ProductWithStore[]; stores: Store[] }> {
  const productLimit = limits.products ?? 12;
  const storeLimit = limits.stores ?? 24;
  // Two concurrent queries, not db.batch(): drizzle's D1 batch maps joined rows by column name, and
  // products and stores share names (id, slug, name).
  const [productRows, storeRows] = await Promise.all([
    featuredQuery(db, productLimit),
    sellingStoresQuery(db, storeLimit),
  ]);
  return {
    featured: productRows.filter((r) => storeCanSell(r.store)).slice(0, productLimit),
    stores: storeRows.filter(storeCanSell).slice(0, storeLimit),
  };
}

/** Stores that can sell, for the home page's list of shops. */
export async function listSellingStores(db: Db, limit = 24): Promise<Store[]> {
  const rows = await sellingStoresQuery(db, limit);
  return rows.filter(storeCanSell).slice(0, limit);
}

/** A shop page's store and its active products (two queries at once); null when there is no such store. */
export async function loadShop(db: Db, slug: string): Promise<{ store: Store; products: Product[] } | null> {
  const [storeRows, productRows] = await Promise.all([
    db
      .select()
      .from(stores)
      .where(and(eq(stores.slug, slug), storeListed))
      .limit(1),
    db
      .select({ product: products })
      .from(products)
      .innerJoin(stores, eq(products.storeId, stores.id))
      .where(and(eq(stores.slug, slug), eq(products.active, true)))
      .orderBy(desc(products.featured), asc(products.name)),
  ]);
  const store = storeRows[0];
  return store ? { store, products: productRows.map((r) => r.product) } : null;
}

/** The product page's product and a few others from the same shop (two queries at once). */
export async function loadProductPage(
  db: Db,
  storeSlug: string,
  productSlug: string,
  moreLimit = 4,
): Promise<{ product: Product; store: Store; more: Product[] } | null> {
  const [found, others] = await Promise.all([
    db
      .select({ product: products, store: stores })
      .from(products)
      .innerJoin(stores, eq(products.storeId, stores.id))
      .where(
        and(
          eq(stores.slug, storeSlug),
          eq(products.slug, productSlug),
          eq(products.active, true),
          storeListed,
        ),
      )
      .limit(1),
    db
      .select({ product: products })
      .from(products)
      .innerJoin(stores, eq(products.storeId, stores.id))
      .where(and(eq(stores.slug, storeSlug), eq(products.active, true)))
      .orderBy(desc(products.featured), asc(products.name))
      .limit(moreLimit + 1),
  ]);
  const row = found[0];
  if (!row) return null;
  const more = others
    .map((r) => r.product)
    .filter((p) => p.id !== row.product.id)
    .slice(0, moreLimit);
  return { product: row.product, store: row.store, more };
}
