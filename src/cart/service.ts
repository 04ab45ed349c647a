// What the cart routes (and other domains) do with a cart: reach its object, price it, turn the
// object's refusals into the app's typed errors.
import {
  productAvailability,
  type Product,
  type ProductFacts,
  type StoreFacts,
} from '../catalog/availability';
import { MAX_QTY } from '../catalog/line-limits';
import { discountRead, discountRowFor, priceCart, priceWithRows } from './pricing';
import { getPricingRows, pricingRowsRead, type PricingRow } from '../catalog/queries';
import { readTogether } from '../db/batch';
import type { Db } from '../db/client';
import { getDb } from '../db/client';
import { storeConfig } from '../lib/config';
import { ConflictError, NotFoundError, ValidationError } from '../lib/errors';
import type { CartFailure, CartResult, CartState, CartView, LineLimit } from './types';

/** The limit the cart object applies when a line for this product grows. */
function lineLimit(
  product: (ProductFacts & Pick<Product, 'unitAmount'>) | null | undefined,
  store: StoreFacts | null | undefined,
  currency: string,
): LineLimit {
  const a = productAvailability(product, store, currency);
  if (!product) return { maxQty: 0, reason: 'There is no such product.' };
  if (!a.available) return { maxQty: 0, reason: a.reason, unitAmount: product.unitAmount };
  return {
    maxQty: a.maxQty,
    unitAmount: product.unitAmount,
    ...(a.maxQty < MAX_QTY ? { reason: `Only ${a.maxQty} of ${product.name} left.` } : {}),
  };
}

/** The RPC stub of a cart's Durable Object. */
export function cartStub(env: Env, cartId: string) {
  return env.CART.getByName(cartId);
}

/** The state of a cart that was never written. */
export function emptyCart(cartId: string): CartState {
  return { id: cartId, version: 0, lines: [], updatedAt: 0 };
}

/** A cart's state, priced from D1. `known` skips the object when the caller already has the state. */
export async function viewCart(env: Env, cartId: string, known?: CartState): Promise<CartView> {
  const state = known ?? (await cartStub(env, cartId).getState());
  return priceCart(getDb(env), state, storeConfig(env));
}

/** The limit for each product id, from one D1 query (unknown ids get a limit of 0 that says so). */
export async function limitsFor(
  db: Db,
  env: Env,
  ids: readonly string[],
): Promise<Record<string, LineLimit>> {
  return limitsFrom(await getPricingRows(db, ids), env, ids);
}

/** The limit for each product id from rows already read. */
function limitsFrom(
  found: ReadonlyMap<string, PricingRow>,
  env: Env,
  ids: readonly string[],
): Record<string, LineLimit> {
  const currency = storeConfig(env).currency;
  const limits: Record<string, LineLimit> = {};
  for (const id of ids) {
    const row = found.get(id);
    limits[id] = lineLimit(row?.product, row?.store, currency);
  }
  return limits;
}

/** A change's outcome and, when it was made, the new cart priced from the same D1 read. */
export type PricedResult = { result: CartResult; view?: CartView };
/**
 * What a priced change answers across the object boundary (what the cart object returns): on success the
 * new version and the priced cart as the JSON text of the API's answer (the lines stay in the object: a
 * 50-line cart is not copied out to be thrown away); a refusal as it is.
 */
export type PricedAnswer = { ok: true; version: number; json: string } | { ok: false; error: CartFailure };

/**
 * Runs one change on a cart with a single D1 read, for a caller that holds the cart's lines as they are
 * now (`before`: the cart object itself, in `addItemPriced` and `setItemPriced`). The products of those
 * lines and of `ids` come from one query, which serves both the change's limits and pricing the
 * answer; a line another tab added while D1 answered is read afterwards.
 */
export async function changeAndPriceFrom(
  env: Env,
  before: CartState,
  ids: readonly string[],
  change: (limits: Record<string, LineLimit>) => Promise<CartResult>,
): Promise<PricedResult> {
  const db = getDb(env);
  const wanted = [...new Set([...ids, ...before.lines.map((l) => l.productId)])];
  // Over D1's 100 bound parameters only when the cart is full: then the change alone is looked up.
  const [rows, discount] = await readTogether(db, [
    pricingRowsRead(wanted.length <= 100 ? wanted : ids),
    discountRead(before),
  ]);
  const result = await change(limitsFrom(rows, env, ids));
  if (!result.ok) return { result };
  const missing = result.cart.lines.map((l) => l.productId).filter((id) => !rows.has(id));
  if (missing.length > 0) for (const [id, row] of await getPricingRows(db, missing)) rows.set(id, row);
  // A code changed by another tab while D1 answered is read again.
  const code =
    result.cart.discountCode === before.discountCode ? discount : await discountRowFor(db, result.cart);
  return { result, view: priceWithRows(result.cart, rows, storeConfig(env), code) };
}

/**
 * The typed error for a refused change: 422 for bad input or an unavailable product, 404 for a line
 * that is not in the cart, 409 with the current (priced) cart for a stale version.
 */
export async function failureError(env: Env, failure: CartFailure) {
  switch (failure.code) {
    case 'not_in_cart':
      return new NotFoundError(failure.message);
    case 'stale_version':
      return new ConflictError(failure.message, { cart: await viewCart(env, failure.cart.id, failure.cart) });
    default:
      return new ValidationError(failure.message, {
        code: failure.code,
        errors: [{ path: failure.field ?? '', message: failure.message }],
      });
  }
}
