// Orders in D1: derived ids, reading an order with its lines, and finding the order a Stripe object names.
import { and, asc, desc, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { rowById, schema } from '../db/client';
import type { OrderStatus } from '../db/schema';

export type OrderRow = typeof schema.orders.$inferSelect;
type OrderLineRow = typeof schema.orderLines.$inferSelect;

export interface OrderWithLines {
  order: OrderRow;
  lines: OrderLineRow[];
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

/** 24 base32 characters (120 bits) of the SHA-256 of `input`: same shape as lib/ids newId. */
async function digestId(prefix: string, input: string): Promise<string> {
  const bytes = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(input)));
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes.subarray(0, 15)) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET.charAt((value >>> (bits - 5)) & 31);
      bits -= 5;
    }
  }
  return `${prefix}_${out}`;
}

/**
 * The order id for a cart at a version. Derived, not random, so that two clicks, a retry or a second
 * tab all name the same order. `attempt` moves on only when the previous order of that version was
 * canceled (its session expired), so the same unchanged cart can be checked out again later.
 */
function orderIdFor(cartId: string, cartVersion: number, attempt: number): Promise<string> {
  return digestId('ord', `order:${cartId}:${cartVersion}:${attempt}`);
}

/** The `cart_id` of a subscription's renewal orders: no shopper cart placed them. */
export const SUBSCRIPTION_CART_PREFIX = 'subscription:';

/** The order id of a subscription's billing period: derived from its Stripe invoice, so a redelivery names the same order. */
export function orderIdForInvoice(invoiceId: string): Promise<string> {
  return digestId('ord', `invoice:${invoiceId}`);
}

/** The checkouts row id for one payment attempt (one idempotency key) of an order. */
export function checkoutIdFor(orderId: string, idempotencyKey: string): Promise<string> {
  return digestId('chk', `checkout:${orderId}:${idempotencyKey}`);
}

/**
 * Which order a checkout of (cart, version) uses: the live one if there is one, else a fresh attempt.
 * Returns the id and the existing row, if any.
 */
export async function orderSlotFor(
  db: Db,
  cartId: string,
  cartVersion: number,
): Promise<{ orderId: string; existing: OrderRow | null }> {
  const rows = await db
    .select()
    .from(schema.orders)
    .where(and(eq(schema.orders.cartId, cartId), eq(schema.orders.cartVersion, cartVersion)))
    .orderBy(asc(schema.orders.createdAt));
  const live = rows.find((r) => r.status !== 'canceled');
  if (live) return { orderId: live.id, existing: live };
  const orderId = await orderIdFor(cartId, cartVersion, rows.length);
  // A row can exist under that id only if it was canceled already (counted above); treat it as taken.
  return { orderId, existing: rows.find((r) => r.id === orderId) ?? null };
}

/** One order, or null. */
export async function getOrder(db: Db, orderId: string): Promise<OrderRow | null> {
  return (await rowById(db, schema.orders, orderId)) ?? null;
}

/** One order with its lines (in the order they were written), or null. */
export async function getOrderWithLines(db: Db, orderId: string): Promise<OrderWithLines | null> {
  const [order, lines] = await Promise.all([
    getOrder(db, orderId),
    db
      .select()
      .from(schema.orderLines)
      .where(eq(schema.orderLines.orderId, orderId))
      .orderBy(asc(schema.orderLines.id)),
  ]);
  return order ? { order, lines } : null;
}

/** The newest order a PaymentIntent or a charge points at, by the ids recorded on the order. */
export async function findOrderByPayment(
  db: Db,
  ref: { paymentIntentId?: string | null; chargeId?: string | null; sessionId?: string | null },
): Promise<OrderRow | null> {
  if (ref.paymentIntentId) {
    const row = await db
      .select()
      .from(schema.orders)
      .where(eq(schema.orders.paymentIntentId, ref.paymentIntentId))
      .get();
    if (row) return row;
    const viaCheckout = await db
      .select({ orderId: schema.checkouts.orderId })
      .from(schema.checkouts)
      .where(eq(schema.checkouts.stripeId, ref.paymentIntentId))
      .get();
    if (viaCheckout) return getOrder(db, viaCheckout.orderId);
  }
  if (ref.sessionId) {
    const viaCheckout = await db
      .select({ orderId: schema.checkouts.orderId })
      .from(schema.checkouts)
      .where(eq(schema.checkouts.stripeId, ref.sessionId))
      .get();
    if (viaCheckout) return getOrder(db, viaCheckout.orderId);
  }
  if (ref.chargeId) {
    const row = await db
      .select()
      .from(schema.orders)
      .where(eq(schema.orders.chargeId, ref.chargeId))
      .orderBy(desc(schema.orders.createdAt))
      .get();
    if (row) return row;
  }
  return null;
}

/** True for the statuses an order reaches only after its payment was confirmed. */
export function isPaidStatus(status: OrderStatus): boolean {
  return status === 'paid' || status === 'partially_refunded' || status === 'refunded';
}
