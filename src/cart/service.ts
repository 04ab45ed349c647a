// What the cart routes (and other domains) do with a cart: reach its object, price it, turn the
// object's refusals into the app's typed errors.
import { lineLimit } from '../catalog/availability';
import { priceCart, priceWithRows } from '../catalog/pricing';
import { getProductsByIds, type ProductWithStore } from '../catalog/queries';
import type { Db } from '../db/client';
import { sharedDb } from '../lib/db';
import { storeConfig } from '../lib/config';
import { ConflictError, NotFoundError, ValidationError } from '../lib/errors';
import type { CartFailure, CartResult, CartState, CartView, LineLimit } from './types';

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
  return priceCart(sharedDb(env), state, storeConfig(env));
}

/** The limit for each product id, from one D1 query (unknown ids get a limit of 0 that says so). */
export async function limitsFor(
  db: Db,
  env: Env,
  ids: readonly string[],
): Promise<Record<string, LineLimit>> {
  return limitsFrom(await getProductsByIds(db, ids), env, ids);
}

/** The limit for each product id from rows already read. */
export function limitsFrom(
  found: ReadonlyMap<string, ProductWithStore>,
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
 * Runs one change on a cart with a single D1 read: the cart's lines are read first (a cheap call to its
 * object, skipped when the caller knows them), then the products of those lines and of `ids` in one
 * query, which serve both the change's limits and pricing the answer. A line another tab added in
 * between is read afterwards. The cart object runs the same steps itself (`addItemPriced`,
 * `setItemPriced`), which saves the first call.
 */
export async function changeAndPrice(
  env: Env,
  cartId: string,
  ids: readonly string[],
  change: (limits: Record<string, LineLimit>) => Promise<CartResult>,
  known?: CartState,
): Promise<PricedResult> {
  const before = known ?? (await cartStub(env, cartId).getState());
  return changeAndPriceFrom(env, before, ids, change);
}

/** `changeAndPrice` for a caller that holds the cart's lines as they are now (`before`). */
export async function changeAndPriceFrom(
  env: Env,
  before: CartState,
  ids: readonly string[],
  change: (limits: Record<string, LineLimit>) => Promise<CartResult>,
): Promise<PricedResult> {
  const db = sharedDb(env);
  const wanted = [...new Set([...ids, ...before.lines.map((l) => l.productId)])];
  // Over D1's 100 bound parameters only when the cart is full: then the change alone is looked up.
  const rows = await getProductsByIds(db, wanted.length <= 100 ? wanted : ids);
  const result = await change(limitsFrom(rows, env, ids));
  if (!result.ok) return { result };
  const missing = result.cart.lines.map((l) => l.productId).filter((id) => !rows.has(id));
  if (missing.length > 0) for (const [id, row] of await getProductsByIds(db, missing)) rows.set(id, row);
  return { result, view: priceWithRows(result.cart, rows, storeConfig(env)) };
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
