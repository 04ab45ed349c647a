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

/** How one column is read: its key, its aliased name in the row, and its driver mapping (null: as is). */
type Reader = [key: string, alias: string, map: ((value: unknown) => unknown) | null];

/** Column types whose driver value is their value (drizzle's mapping returns it unchanged). */
const AS_IS = new Set(['SQLiteText', 'SQLiteInteger', 'SQLiteReal']);

/**
 * The readers of some columns, built once per isolate: columns read as they are (text, plain integers)
 * skip drizzle's mapping call, which otherwise runs for every column of every row.
 */
function readers(columns: Columns, prefix: string): Reader[] {
  return columns.map(([key, c]) => [
    key,
    prefix + key,
    AS_IS.has(c.columnType) ? null : (value: unknown) => c.mapFromDriverValue(value),
  ]);
}

function mapRow(row: Record<string, unknown>, columns: readonly Reader[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, alias, map] of columns) {
    const value = row[alias];
    out[key] = value === null || value === undefined ? null : map ? map(value) : value;
  }
  return out;
}

/** `SELECT` list for products aliased `p` (keys prefixed `p_`). */
export const PRODUCT_SELECT = selectList('p', productColumns, 'p_');
/** `SELECT` list for stores aliased `s` (keys prefixed `s_`). */
export const STORE_SELECT = selectList('s', storeColumns, 's_');

/** The product columns pricing a cart needs (limits, availability, the priced line). */
const PRICING_PRODUCT_KEYS = [
  'id',
  'slug',
  'name',
  'image',
  'unitAmount',
  'currency',
  'recurringInterval',
  'stock',
  'active',
] as const satisfies readonly (keyof Product)[];
/** The store columns pricing a cart needs. */
const PRICING_STORE_KEYS = [
  'id',
  'slug',
  'name',
  'chargesEnabled',
  'payoutsEnabled',
  'deauthorizedAt',
] as const satisfies readonly (keyof Store)[];

export type PricingProduct = Pick<Product, (typeof PRICING_PRODUCT_KEYS)[number]>;
export type PricingStore = Pick<Store, (typeof PRICING_STORE_KEYS)[number]>;

const only = (columns: Columns, keys: readonly string[]) => columns.filter(([key]) => keys.includes(key));
const pricingProductColumns = only(productColumns, PRICING_PRODUCT_KEYS);
const pricingStoreColumns = only(storeColumns, PRICING_STORE_KEYS);
const productReaders = readers(productColumns, 'p_');
const storeReaders = readers(storeColumns, 's_');
const pricingProductReaders = readers(pricingProductColumns, 'p_');
const pricingStoreReaders = readers(pricingStoreColumns, 's_');

/**
 * `SELECT` list for pricing a cart: products `p` and stores `s`, only the columns pricing reads (no
 * descriptions or contact details: this runs on every cart read and write). A product card in a grid
 * (home page) shows the same columns, so it reads them too.
 */
export const PRICING_SELECT = `${selectList('p', pricingProductColumns, 'p_')}, ${selectList('s', pricingStoreColumns, 's_')}`;

/** The product and store in a row selected with PRICING_SELECT. */
export function pricingRowOf(row: Record<string, unknown>): { product: PricingProduct; store: PricingStore } {
  return {
    product: mapRow(row, pricingProductReaders) as PricingProduct,
    store: mapRow(row, pricingStoreReaders) as PricingStore,
  };
}

/** `SELECT` list for a product card without its store (products aliased `p`): pricing's product columns. */
export const CARD_PRODUCT_SELECT = selectList('p', pricingProductColumns, 'p_');

/** The product in a row selected with CARD_PRODUCT_SELECT. */
export function cardProductOf(row: Record<string, unknown>): PricingProduct {
  return mapRow(row, pricingProductReaders) as PricingProduct;
}

/** The store columns a list of shops shows (the home page's makers): pricing's, and the tagline. */
const LISTING_STORE_KEYS = [...PRICING_STORE_KEYS, 'tagline'] as const satisfies readonly (keyof Store)[];
export type ListingStore = Pick<Store, (typeof LISTING_STORE_KEYS)[number]>;
const listingStoreColumns = only(storeColumns, LISTING_STORE_KEYS);
const listingStoreReaders = readers(listingStoreColumns, 's_');
/** `SELECT` list for a store in a list of shops (stores aliased `s`). */
export const LISTING_STORE_SELECT = selectList('s', listingStoreColumns, 's_');

/** The store in a row selected with LISTING_STORE_SELECT. */
export function listingStoreOf(row: Record<string, unknown>): ListingStore {
  return mapRow(row, listingStoreReaders) as ListingStore;
}

/** The product in a row selected with PRODUCT_SELECT. */
export function productOf(row: Record<string, unknown>): Product {
  return mapRow(row, productReaders) as Product;
}

/** The store in a row selected with STORE_SELECT. */
export function storeOf(row: Record<string, unknown>): Store {
  return mapRow(row, storeReaders) as Store;
}
