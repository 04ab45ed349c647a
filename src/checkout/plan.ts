// What a checkout would charge: the cart re-priced from D1, checked line by line. A price that went
// down is passed on; one that went up, or a line that can't be bought, refuses the checkout and sends
// the shopper back to the cart with the change shown. Never charged silently.
import { discountRead, priceWithRows } from '../cart/pricing';
import type { DiscountFunder } from '../discounts/pricing';
import { hasRedeemed } from '../discounts/store';
import { pricingRowsRead, type PricingRow } from '../catalog/queries';
import { readTogether } from '../db/batch';
import type { CartState, CartView, PricedLine } from '../cart/types';
import type { Db } from '../db/client';
import { storeConfig, type StoreConfig } from '../lib/config';
import { ConflictError, ValidationError } from '../lib/errors';
import { formatMoney, lineAmount, orderTotal, sum } from '../lib/money';
import { heldForCartRead } from '../orders/stock';

/** Stripe Checkout takes at most 100 line items. */
const MAX_CHECKOUT_LINES = 100;

/** One line of the order to be: the snapshot written to order_lines. */
interface PlannedLine {
  productId: string;
  name: string;
  unitAmount: number;
  qty: number;
  note: string;
  storeId: string;
  storeName: string;
  /** What the shopper pays for the line: unitAmount * qty minus discountAmount. */
  amount: number;
  /** The code's part of this line. */
  discountAmount: number;
  discountFundedBy: DiscountFunder | null;
  /** Units left when priced; null = unlimited (no reservation needed). */
  stock: number | null;
  /** 'month', 'year', ... for a subscription product (billed every interval); null for a one-off line. */
  recurringInterval: 'day' | 'week' | 'month' | 'year' | null;
}

export interface CheckoutPlan {
  cartId: string;
  cartVersion: number;
  currency: string;
  lines: PlannedLine[];
  /** What the lines charge, after the discount. */
  subtotal: number;
  /** Shipping charged (0 under a free-shipping code). */
  shippingAmount: number;
  /** The code the order is priced with. */
  discount: PlannedDiscount | null;
  /** subtotal + shipping; tax (if automatic) is added by Stripe. */
  total: number;
  /** `subscription` when a line is recurring: one Checkout Session in subscription mode. */
  mode: 'payment' | 'subscription';
  config: StoreConfig;
}

const INTERVALS = ['day', 'week', 'month', 'year'] as const;
const asInterval = (v: string | null): PlannedLine['recurringInterval'] =>
  (INTERVALS as readonly string[]).includes(v ?? '') ? (v as PlannedLine['recurringInterval']) : null;

/** The code an order is priced with, for its snapshot (order_discounts). */
interface PlannedDiscount {
  id: string;
  code: string;
  fundedBy: DiscountFunder;
  storeId: string | null;
  /** Off the lines in all. */
  amount: number;
  /** Off shipping. */
  shippingOff: number;
  oncePerCustomer: boolean;
}

/** 409: the cart's code no longer applies (or this shopper used it already); the cart says why. */
class DiscountRefusedError extends ConflictError {
  constructor(message: string) {
    super(message, { code: 'discount_refused' });
  }
}

/** Why a line stops the checkout. */
export interface LineProblem {
  productId: string;
  name: string;
  code: 'unavailable' | 'price_increased' | 'insufficient_stock';
  message: string;
  unitAmount?: number;
  previousUnitAmount?: number;
  stock?: number | null;
}

/** 409: the cart can't be checked out as it is; `problems` names each line and why. */
export class CheckoutRefusedError extends ConflictError {
  constructor(
    readonly problems: LineProblem[],
    cart?: CartView,
  ) {
    super(problems.map((p) => p.message).join(' '), {
      code: 'cart_changed',
      problems,
      ...(cart ? { cart: { id: cart.id, version: cart.version, subtotal: cart.subtotal } } : {}),
    });
  }
}

/** 422 for an empty cart: nothing to check out. */
export class EmptyCartError extends ValidationError {
  constructor() {
    super('Your cart is empty.', { code: 'cart_empty' });
  }
}

/**
 * The lines that stop a checkout. Pricing already marks unavailable every line that can't be bought
 * now (inactive, store closed, another currency, more than the stock left), so what
 * is left to decide here is a price that went up.
 */
function problemsOf(view: CartView, config: StoreConfig, acceptedSubtotal?: number): LineProblem[] {
  const problems: LineProblem[] = [];
  // A shopper who saw (and accepted) a subtotal at least this high has seen the new prices.
  const pricesAccepted = acceptedSubtotal !== undefined && view.subtotal <= acceptedSubtotal;
  const money = (n: number) => formatMoney(n, config.currency);
  for (const line of view.lines) {
    // Another currency is unavailable already (catalog/availability.ts decides).
    if (!line.available) {
      problems.push({
        productId: line.productId,
        name: line.name,
        code: 'unavailable',
        message: line.unavailableReason ?? `${line.name} can't be bought now.`,
      });
    } else if (
      line.previousUnitAmount !== undefined &&
      line.unitAmount > line.previousUnitAmount &&
      !pricesAccepted
    ) {
      problems.push({
        productId: line.productId,
        name: line.name,
        code: 'price_increased',
        message: `The price of ${line.name} went up from ${money(line.previousUnitAmount)} to ${money(line.unitAmount)}.`,
        unitAmount: line.unitAmount,
        previousUnitAmount: line.previousUnitAmount,
      });
    }
  }
  return problems;
}

/** The problem for a line asking more than is left. */
export function insufficientStock(
  line: Pick<PricedLine, 'productId' | 'name' | 'stock' | 'qty'>,
): LineProblem {
  const left = line.stock ?? 0;
  return {
    productId: line.productId,
    name: line.name,
    code: 'insufficient_stock',
    message:
      left > 0
        ? `Only ${left} of ${line.name} left (you asked for ${line.qty}).`
        : `${line.name} is out of stock.`,
    stock: left,
  };
}

/**
 * Prices the cart for checkout and refuses what must not be charged: an empty cart (422), more than
 * 100 lines (422), recurring lines of different intervals (422), a line that is unavailable, out of
 * stock or in another currency, or
 * whose price went up since the shopper added it (409 naming each line), unless the shopper accepted a
 * subtotal at least as high (`acceptedSubtotal`, sent by the cart page that showed the new prices).
 */
export async function planCheckout(
  env: Env,
  db: Db,
  cartId: string,
  state: CartState,
  acceptedSubtotal?: number,
  email?: string,
): Promise<CheckoutPlan> {
  const config = storeConfig(env);
  if (state.lines.length === 0) throw new EmptyCartError();
  if (state.lines.length > MAX_CHECKOUT_LINES)
    throw new ValidationError(`A checkout takes at most ${MAX_CHECKOUT_LINES} different products.`, {
      code: 'too_many_lines',
    });
  // Units this cart already holds (a second click, a retry after Stripe failed) count as the
  // shopper's own: priced against what is left for everyone else plus what they hold.
  // One D1 round trip for the three reads.
  const [rows, own, code] = await readTogether(db, [
    pricingRowsRead(state.lines.map((l) => l.productId)),
    heldForCartRead(db, cartId, state.version),
    discountRead(state),
  ]);
  const view = priceWithRows(state, withOwnUnits(rows, own), config, code);
  const problems = problemsOf(view, config, acceptedSubtotal);
  if (problems.length > 0) throw new CheckoutRefusedError(problems, view);
  // A code the cart showed as applied but that no longer applies (used up, expired meanwhile) refuses:
  // the shopper is never charged more than the cart said without being told.
  if (view.discount && !view.discount.applied)
    throw new DiscountRefusedError(
      `The code ${view.discount.code} no longer applies: ${view.discount.reason ?? ''}`,
    );
  if (
    code &&
    view.discount?.applied &&
    code.oncePerCustomer &&
    email &&
    (await hasRedeemed(db, code.id, email))
  )
    throw new DiscountRefusedError(
      `The code ${code.code} can be used once per customer, and you have used it.`,
    );
  const fundedBy = view.discount?.applied ? (view.discount.fundedBy ?? null) : null;
  const lines: PlannedLine[] = view.lines.map((l) => {
    const discountAmount = l.discountAmount ?? 0;
    return {
      productId: l.productId,
      name: l.name,
      unitAmount: l.unitAmount,
      qty: l.qty,
      note: l.note,
      storeId: l.storeId,
      storeName: l.storeName,
      amount: lineAmount(l.unitAmount, l.qty) - discountAmount,
      discountAmount,
      discountFundedBy: discountAmount > 0 ? fundedBy : null,
      stock: l.stock,
      recurringInterval: asInterval(l.recurringInterval),
    };
  });
  const subtotal = sum(lines.map((l) => l.amount));
  if (sum(lines.map((l) => l.amount + l.discountAmount)) <= 0) throw new EmptyCartError();
  // One subscription bills every recurring line together, so they must share one interval.
  const intervals = new Set(lines.flatMap((l) => (l.recurringInterval ? [l.recurringInterval] : [])));
  if (intervals.size > 1)
    throw new ValidationError(
      'Subscriptions billed at different intervals (for example monthly and yearly) must be checked out separately.',
      { code: 'mixed_intervals', intervals: [...intervals] },
    );
  // A code takes money off this order once; a subscription would bill the full price again every period,
  // so codes are for one-off purchases only (documented in the README).
  if (intervals.size > 0 && view.discount?.applied)
    throw new DiscountRefusedError(
      `The code ${view.discount.code} is for one-off purchases; remove it to subscribe.`,
    );
  const discount: PlannedDiscount | null =
    code && view.discount?.applied
      ? {
          id: code.id,
          code: code.code,
          fundedBy: code.fundedBy,
          storeId: code.storeId,
          amount: view.discount.amount,
          shippingOff: view.discount.shippingOff,
          oncePerCustomer: code.oncePerCustomer,
        }
      : null;
  const shippingAmount = config.shippingAmount - (discount?.shippingOff ?? 0);
  const total = orderTotal({ subtotal, shippingAmount });
  // Stripe takes no zero-amount payment: a code that leaves nothing to pay is refused.
  if (total <= 0) throw new DiscountRefusedError('This code leaves nothing to pay; remove it to check out.');
  return {
    cartId,
    cartVersion: state.version,
    currency: config.currency,
    lines,
    subtotal,
    shippingAmount,
    discount,
    total,
    mode: intervals.size > 0 ? 'subscription' : 'payment',
    config,
  };
}

/** Pricing rows with the units this cart holds added back to each limited product's stock. */
function withOwnUnits(
  rows: ReadonlyMap<string, PricingRow>,
  own: ReadonlyMap<string, number>,
): Map<string, PricingRow> {
  const out = new Map(rows);
  for (const [productId, held] of own) {
    const row = rows.get(productId);
    if (row && row.product.stock !== null)
      out.set(productId, { ...row, product: { ...row.product, stock: row.product.stock + held } });
  }
  return out;
}
