// Entering and removing a cart's discount code: the code is checked against D1 and the cart as it is
// now; a code that does not apply is refused (422, the cart unchanged), one that does is kept by the
// cart's object and priced again on every read.
import { discountRowFor, priceWithRows } from './pricing';
import { cartStub, viewCart } from './service';
import type { CartView } from './types';
import { getPricingRows } from '../catalog/queries';
import { getDb } from '../db/client';
import { storeConfig } from '../lib/config';
import { ValidationError } from '../lib/errors';
import { findDiscountByCode } from '../discounts/store';

/**
 * Applies `code` (already normalised) to the cart and answers the priced cart. Unknown, inactive,
 * expired, used-up codes, codes for products not in the cart (another vendor's, other products) and
 * codes below their minimum are refused with 422 naming the reason; the cart keeps whatever it held.
 */
export async function applyDiscountCode(env: Env, cartId: string, code: string): Promise<CartView> {
  const db = getDb(env);
  const stub = cartStub(env, cartId);
  const [state, row] = await Promise.all([stub.getState(), findDiscountByCode(db, code)]);
  const rows = await getPricingRows(
    db,
    state.lines.map((l) => l.productId),
  );
  const trial = priceWithRows({ ...state, discountCode: code }, rows, storeConfig(env), row);
  if (!trial.discount?.applied) {
    const reason = trial.discount?.reason ?? 'There is no such code.';
    throw new ValidationError(reason, {
      code: 'discount_refused',
      errors: [{ path: 'code', message: reason }],
    });
  }
  const next = await stub.setDiscountCode(code);
  return priceWithRows(next, rows, storeConfig(env), await discountRowFor(db, next));
}

/** Removes the cart's code (nothing to remove changes nothing) and answers the priced cart. */
export async function removeDiscountCode(env: Env, cartId: string): Promise<CartView> {
  const state = await cartStub(env, cartId).setDiscountCode(null);
  return viewCart(env, cartId, state);
}
