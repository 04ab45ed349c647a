// Hand-written SQL for the hot catalog reads: several statements in one D1 round trip (db.batch of raw
// statements), with joined columns aliased so products and stores (both have id, slug, name) can't collide.
// Column lists and value mapping come from the drizzle schema, so a new column needs no change here.
import { getTableColumns, type Column } from 'drizzle-orm';
import { schema } from '../db/client';
import type { Product, Store } from './availability';

type Columns = [key: string, column: Column][];

const productColumns: Columns = Object.entries(getTableColumns(schema.products));
const storeColumns: Columns = Object.entries(getTableColumns(schema.stores));

function selectList(alias: string, columns: Columns, prefix: string): string {
  return columns.map(([key, c]) => `${alias}."${c.name}" AS "${prefix}${key}"`).join(', ');
}

function mapRow<T>(row: Record<string, unknown>, columns: Columns, prefix: string): T {
  const out: Record<string, unknown> = {};
  for (const [key, c] of columns) {
    const value = row[prefix + key];
    out[key] = value === null || value === undefined ? null : c.mapFromDriverValue(value);
  }
  return out as T;
}

/** `SELECT` list for products aliased `p` (keys prefixed `p_`). */
export const PRODUCT_SELECT = selectList('p', productColumns, 'p_');
/** `SELECT` list for stores aliased `s` (keys prefixed `s_`). */
export const STORE_SELECT = selectList('s', storeColumns, 's_');

/** The product in a row selected with PRODUCT_SELECT. */
export function productOf(row: Record<string, unknown>): Product {
  return mapRow<Product>(row, productColumns, 'p_');
}

/** The store in a row selected with STORE_SELECT. */
export function storeOf(row: Record<string, unknown>): Store {
  return mapRow<Store>(row, storeColumns, 's_');
}
