// Server-side pricing of a cart: every read prices the lines from D1; nothing the browser sent counts.
import type { CartState, CartView, PricedLine } from './types';
import { readTogether, type Read } from '../db/batch';
import type { Db } from '../db/client';
import type { StoreConfig } from '../lib/config';
import { formatMoney } from '../lib/money';
import { productAvailability } from '../catalog/availability';
import { pricingRowsRead, type PricingRow } from '../catalog/queries';
import { productPath } from '../catalog/urls';
import { priceDiscount, type DiscountRow } from '../discounts/pricing';
import { discountByCodeRead } from '../discounts/store';
import { nowSeconds } from '../lib/time';

/**
 * Prices a cart from D1 (one query for its products and their stores). Lines that can't be bought
 * now (product gone or inactive, sold out or short of stock, store can't sell) stay in the cart,
 * marked unavailable and left out of the subtotal; lines whose price changed since they were added
 * say so. `items` keeps the shape of the original cart API: `{ [productId]: { price, qty } }`.
 */
export async function priceCart(db: Db, state: CartState, config: StoreConfig): Promise<CartView> {
  const [found, discount] = await readTogether(db, [
    pricingRowsRead(state.lines.map((l) => l.productId)),
    discountRead(state),
  ]);
  return priceWithRows(state, found, config, discount);
}

/**
 * The row of the code the cart holds (null: none held, or no such code), read from D1 on every read; as a
 * read that goes in the same round trip as the cart's products (`readTogether`).
 */
export function discountRead(state: Pick<CartState, 'discountCode'>): Read<DiscountRow | null> {
  return state.discountCode ? discountByCodeRead(state.discountCode) : { query: null, value: () => null };
}

/** The row of the code the cart holds, read alone. */
export async function discountRowFor(db: Db, state: CartState): Promise<DiscountRow | null> {
  const [row] = await readTogether(db, [discountRead(state)]);
  return row;
}

/**
 * Prices a cart with product rows the caller already read from D1 in this request (the cart routes read
 * them once for both the change's limits and the answer). Lines without a row count as gone.
 */
export function priceWithRows(
  state: CartState,
  found: ReadonlyMap<string, PricingRow>,
  config: StoreConfig,
  discount: DiscountRow | null = null,
): CartView {
  const currency = config.currency;
  const lines: PricedLine[] = [];
  const notices: string[] = [];
  const items: CartView['items'] = {};
  let subtotal = 0;
  let count = 0;

  for (const line of state.lines) {
    const row = found.get(line.productId);
    const availability = productAvailability(row?.product, row?.store, currency);
    const unitAmount = row?.product.unitAmount ?? line.seenUnitAmount;
    let available = availability.available;
    let reason = availability.reason;
    if (available && line.qty > availability.maxQty) {
      // Stock fell below what the shopper wants: buying fewer is their call, not ours.
      available = false;
      reason = `Only ${availability.maxQty} of ${row!.product.name} left: lower the quantity to buy it.`;
    }
    const priced: PricedLine = {
      productId: line.productId,
      qty: line.qty,
      note: line.note,
      name: row?.product.name ?? 'A product that is no longer sold',
      slug: row?.product.slug ?? '',
      image: row?.product.image ?? null,
      storeId: row?.store.id ?? '',
      storeName: row?.store.name ?? '',
      storeSlug: row?.store.slug ?? '',
      unitAmount,
      currency: row?.product.currency ?? currency,
      amount: unitAmount * line.qty,
      available,
      stock: row?.product.stock ?? null,
      recurringInterval: row?.product.recurringInterval ?? null,
      href: row ? productPath(row.store.slug, row.product.slug) : '',
    };
    if (!available) {
      priced.unavailableReason = reason ?? 'This product is not available.';
      notices.push(`${priced.unavailableReason} It is not included in the total.`);
    } else {
      subtotal += priced.amount;
    }
    if (row && line.seenUnitAmount > 0 && line.seenUnitAmount !== unitAmount) {
      priced.previousUnitAmount = line.seenUnitAmount;
      if (available)
        notices.push(
          `The price of ${priced.name} changed from ${formatMoney(line.seenUnitAmount, currency)} to ${formatMoney(unitAmount, currency)} since you added it.`,
        );
    }
    items[line.productId] = { price: unitAmount, qty: line.qty };
    count += line.qty;
    lines.push(priced);
  }

  const view: CartView = {
    id: state.id,
    version: state.version,
    currency,
    items,
    lines,
    subtotal,
    count,
    notices,
  };
  return state.discountCode ? withDiscount(view, state.discountCode, discount, config) : view;
}

/**
 * Applies the cart's code to its available lines (discounts/pricing decides; the cart only records the
 * outcome): each line gets its part, the view the total and who funds it, or why the code does not apply.
 */
function withDiscount(view: CartView, code: string, row: DiscountRow | null, config: StoreConfig): CartView {
  const available = view.lines.filter((l) => l.available);
  const outcome = row
    ? priceDiscount(row, available, {
        now: nowSeconds(),
        feeBps: config.platformFeeBps,
        shippingAmount: config.shippingAmount,
        currency: config.currency,
      })
    : ({ applies: false, reason: 'There is no such code.' } as const);
  if (!outcome.applies) {
    view.notices.push(`The code ${code} does not apply: ${outcome.reason}`);
    return { ...view, discount: { code, applied: false, reason: outcome.reason, amount: 0, shippingOff: 0 } };
  }
  available.forEach((line, i) => {
    line.discountAmount = outcome.perLine[i] ?? 0;
  });
  return {
    ...view,
    discount: {
      code,
      applied: true,
      amount: outcome.amount,
      shippingOff: outcome.shippingOff,
      fundedBy: outcome.fundedBy,
    },
    discountedSubtotal: view.subtotal - outcome.amount,
  };
}
