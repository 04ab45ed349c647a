// Product search with SQLite FTS5 in D1 (table product_search, kept in step by triggers, migration 0009):
// name, description, vendor and category; ranked by bm25 with the name weighted most; every word matches
// as a prefix; diacritics folded by the tokenizer (unicode61 remove_diacritics 2).
import type { Db } from '../db/client';
import { productOf, PRODUCT_SELECT, storeOf, STORE_SELECT } from './rows';
import { CATEGORY_JOIN, CATEGORY_SELECT, categoryOf, type CatalogItem } from './categories';

/** Longest query taken, in characters; words beyond the eighth are ignored. */
export const MAX_QUERY_LENGTH = 200;
const MAX_TERMS = 8;

/**
 * The FTS5 MATCH expression for what a shopper typed, or null when it has no words: each word (letters
 * and digits) quoted, so no input can be read as FTS syntax, and a prefix match (`"cera"*`).
 */
export function matchExpression(query: string): string | null {
  const words = query.slice(0, MAX_QUERY_LENGTH).match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length === 0) return null;
  return words
    .slice(0, MAX_TERMS)
    .map((w) => `"${w}"*`)
    .join(' ');
}

/** Filters a search can take besides the words. */
export interface SearchFilters {
  store?: string | undefined;
  category?: string | undefined;
  minPrice?: number | undefined;
  maxPrice?: number | undefined;
  inStock?: boolean | undefined;
}

/**
 * Active products of listed stores matching `query`, best first (bm25: name 10, category 6, vendor 4,
 * description 1). Empty when the query has no words.
 */
export async function searchProducts(
  db: Db,
  query: string,
  filters: SearchFilters = {},
  limit = 24,
): Promise<CatalogItem[]> {
  const match = matchExpression(query);
  if (!match) return [];
  const where: string[] = ['product_search MATCH ?', 'p.active = 1', 's.deauthorized_at IS NULL'];
  const binds: unknown[] = [match];
  if (filters.store) {
    where.push('s.slug = ?');
    binds.push(filters.store);
  }
  if (filters.category) {
    where.push('pc.category_slug = ?');
    binds.push(filters.category);
  }
  if (filters.minPrice !== undefined) {
    where.push('p.unit_amount >= ?');
    binds.push(filters.minPrice);
  }
  if (filters.maxPrice !== undefined) {
    where.push('p.unit_amount <= ?');
    binds.push(filters.maxPrice);
  }
  if (filters.inStock) where.push('(p.stock IS NULL OR p.stock > 0)');
  const { results } = await db.$client
    .prepare(
      `SELECT ${PRODUCT_SELECT}, ${STORE_SELECT}, ${CATEGORY_SELECT} FROM product_search
       JOIN products p ON p.rowid = product_search.rowid JOIN stores s ON s.id = p.store_id ${CATEGORY_JOIN}
       WHERE ${where.join(' AND ')}
       ORDER BY bm25(product_search, 0.0, 10.0, 1.0, 4.0, 6.0), p.id LIMIT ?`,
    )
    .bind(...binds, limit)
    .all();
  return results.map((row) => ({ product: productOf(row), store: storeOf(row), category: categoryOf(row) }));
}
