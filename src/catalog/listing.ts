// The catalog listing behind GET /api/v1/products: filters (store, category, price range, in stock), five
// sort orders and keyset pagination (an opaque cursor holding the last row's sort key), one D1 query.
import type { Db } from '../db/client';
import { decodeCursor, encodeCursor, type CursorValue } from '../lib/cursor';
import { productOf, PRODUCT_SELECT, storeOf, STORE_SELECT } from './rows';
import type { Store } from './queries';
import { CATEGORY_JOIN, CATEGORY_SELECT, categoryOf, type CatalogItem } from './categories';
import type { SearchFilters } from './search';

/** The orders a listing can be sorted in. `featured`: featured first, newest next. */
export const PRODUCT_SORTS = ['featured', 'newest', 'price_asc', 'price_desc', 'name'] as const;
export type ProductSort = (typeof PRODUCT_SORTS)[number];

/** Per sort: ORDER BY and the row-value comparison that continues after a cursor (same keys). */
const SORTS: Record<ProductSort, { keys: string[]; order: string; after: string }> = {
  featured: {
    keys: ['p.featured', 'p.created_at', 'p.id'],
    order: 'p.featured DESC, p.created_at DESC, p.id DESC',
    after: '(p.featured, p.created_at, p.id) < (?, ?, ?)',
  },
  newest: {
    keys: ['p.created_at', 'p.id'],
    order: 'p.created_at DESC, p.id DESC',
    after: '(p.created_at, p.id) < (?, ?)',
  },
  price_asc: {
    keys: ['p.unit_amount', 'p.id'],
    order: 'p.unit_amount ASC, p.id ASC',
    after: '(p.unit_amount, p.id) > (?, ?)',
  },
  price_desc: {
    keys: ['p.unit_amount', 'p.id'],
    order: 'p.unit_amount DESC, p.id DESC',
    after: '(p.unit_amount, p.id) < (?, ?)',
  },
  name: { keys: ['p.name', 'p.id'], order: 'p.name ASC, p.id ASC', after: '(p.name, p.id) > (?, ?)' },
};

/** The key values in a cursor made for `sort`, or null when it is not one of ours (or for another sort). */
export function decodeListingCursor(sort: ProductSort, cursor: string): CursorValue[] | null {
  return decodeCursor(sort, cursor, SORTS[sort].keys.length);
}

/** A page of products and the cursor of the next one (null on the last page). */
export interface ProductPage {
  items: CatalogItem[];
  nextCursor: string | null;
}

/**
 * Active products of listed stores (not disconnected), filtered and sorted, `limit` at a time. `after`
 * is a decoded cursor (decodeListingCursor) for the same sort.
 */
export async function listProducts(
  db: Db,
  options: SearchFilters & { sort: ProductSort; limit: number; after?: CursorValue[] | null },
): Promise<ProductPage> {
  const spec = SORTS[options.sort];
  const where: string[] = ['p.active = 1', 's.deauthorized_at IS NULL'];
  const binds: unknown[] = [];
  if (options.store) {
    where.push('s.slug = ?');
    binds.push(options.store);
  }
  if (options.category) {
    where.push('pc.category_slug = ?');
    binds.push(options.category);
  }
  if (options.minPrice !== undefined) {
    where.push('p.unit_amount >= ?');
    binds.push(options.minPrice);
  }
  if (options.maxPrice !== undefined) {
    where.push('p.unit_amount <= ?');
    binds.push(options.maxPrice);
  }
  if (options.inStock) where.push('(p.stock IS NULL OR p.stock > 0)');
  if (options.after) {
    where.push(spec.after);
    binds.push(...options.after);
  }
  const keyList = spec.keys.map((k, i) => `${k} AS "k${i}"`).join(', ');
  const { results } = await db.$client
    .prepare(
      `SELECT ${PRODUCT_SELECT}, ${STORE_SELECT}, ${CATEGORY_SELECT}, ${keyList}
       FROM products p JOIN stores s ON s.id = p.store_id ${CATEGORY_JOIN}
       WHERE ${where.join(' AND ')} ORDER BY ${spec.order} LIMIT ?`,
    )
    .bind(...binds, options.limit + 1)
    .all();
  const rows = results.slice(0, options.limit);
  const last = rows.at(-1);
  const nextCursor =
    results.length > options.limit && last
      ? encodeCursor(
          options.sort,
          spec.keys.map((_, i) => last[`k${i}`] as CursorValue),
        )
      : null;
  return {
    items: rows.map((row) => ({ product: productOf(row), store: storeOf(row), category: categoryOf(row) })),
    nextCursor,
  };
}

/** An active product of a listed store by id, or null. */
export async function getListedProduct(db: Db, id: string): Promise<CatalogItem | null> {
  const row = await db.$client
    .prepare(
      `SELECT ${PRODUCT_SELECT}, ${STORE_SELECT}, ${CATEGORY_SELECT}
       FROM products p JOIN stores s ON s.id = p.store_id ${CATEGORY_JOIN}
       WHERE p.id = ? AND p.active = 1 AND s.deauthorized_at IS NULL LIMIT 1`,
    )
    .bind(id)
    .first();
  return row ? { product: productOf(row), store: storeOf(row), category: categoryOf(row) } : null;
}

/** Every listed store (not disconnected from the platform), by name. */
export async function listListedStores(db: Db): Promise<Store[]> {
  const { results } = await db.$client
    .prepare(
      `SELECT ${STORE_SELECT} FROM stores s WHERE s.deauthorized_at IS NULL ORDER BY s.name ASC, s.id ASC`,
    )
    .all();
  return results.map(storeOf);
}
