// The order state machine, in one place: every change of an order's status is written here, only
// forward (pending → paid → partially_refunded → refunded, or pending → canceled), with conditional SQL
// so that a webhook delivered twice, concurrently or out of order applies once.
import { and, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from '../db/client';
import { changes, readTogether, runBatch } from '../db/batch';
import { getDb, schema } from '../db/client';
import type { OrderStatus } from '../db/schema';
import { storeConfig } from '../lib/config';
import { orderTotal } from '../lib/money';
import { discardUnsentTransfers } from '../payouts/ledger';
import { partInserts } from '../fulfilment/parts';
import { payoutHold } from '../fulfilment/release';
import type { RefundInfo } from '../stripe/reshape';
import { enqueueOrderTransfers, transferInserts } from '../payouts/outbox';
import { onOrderRefunded, refundAttributionInserts } from '../payouts/refunds';
import { disputesOfOrderRead, settleDisputesOfPaidOrder } from '../disputes/events';
import {
  dispatchMessages,
  queueOrderReceipt,
  queuePaymentFailed,
  queueRefundIssued,
  queueVendorNewOrders,
} from '../notifications';
import { getOrder, getOrderWithLines, isPaidStatus, SUBSCRIPTION_CART_PREFIX, type OrderRow } from './model';
import { missedRedemption, redemptionStatements } from '../discounts/store';
import { commitStatement, releaseStatements } from './stock';
import { nowSeconds as now } from '../lib/time';

/** The buyer-facing payment sub-state (orders.payment_status). */
export type PaymentStatus = 'awaiting' | 'processing' | 'paid' | 'failed' | 'review' | 'canceled';

/** Why an order needs an operator (orders.flag, comma-separated when several). */
export type OrderFlag =
  | 'amount_mismatch'
  | 'paid_after_cancel'
  | 'duplicate_payment'
  | 'disputed'
  /** Paid at a code's price after another order took its last redemption (discounts/store.ts). */
  | 'discount_over_limit';

const RANK: Record<OrderStatus, number> = {
  pending: 0,
  paid: 1,
  partially_refunded: 2,
  refunded: 3,
  canceled: -1,
};

/** True when `from → to` is a forward move of the state machine. */
export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  if (from === to) return false;
  if (to === 'canceled') return from === 'pending';
  if (from === 'canceled') return false;
  return RANK[to] > RANK[from];
}

/**
 * The status a paid order has given what was received and refunded. Refunds only add up, so this
 * never moves backwards; an order not yet paid keeps its status (the refund is applied when it is).
 */
export function statusAfterRefunds(status: OrderStatus, received: number, refunded: number): OrderStatus {
  if (!isPaidStatus(status) || refunded <= 0) return status;
  const next: OrderStatus = refunded >= received ? 'refunded' : 'partially_refunded';
  return canTransition(status, next) ? next : status;
}

type Items = BatchItem<'sqlite'>[];
/** The order's transfer rows written by the paid batch and not yet handed to the payouts queue. */
const unsentTransfers = (orderId: string) =>
  and(
    eq(schema.transfers.orderId, orderId),
    eq(schema.transfers.status, 'pending'),
    isNull(schema.transfers.enqueuedAt),
  );

/** What a payment provider confirmed for an order (from a webhook or a retrieve on the order page). */
export interface ConfirmedPayment {
  orderId: string;
  /** What was actually collected, minor units. */
  amountReceived: number;
  currency: string;
  /** Tax Stripe added on top (Checkout automatic tax); part of the expected total. */
  taxAmount?: number;
  paymentIntentId?: string | null;
  checkoutSessionId?: string | null;
  chargeId?: string | null;
  receiptUrl?: string | null;
  email?: string | null;
  customerId?: string | null;
  shipping?: unknown;
}

export type PaymentOutcome = 'paid' | 'already_paid' | 'flagged' | 'not_found';

/** Payment details that may be written whatever the status (they describe, they don't decide). */
function detailsOf(p: Partial<ConfirmedPayment>) {
  return {
    ...(p.paymentIntentId ? { paymentIntentId: p.paymentIntentId } : {}),
    ...(p.checkoutSessionId ? { checkoutSessionId: p.checkoutSessionId } : {}),
    ...(p.chargeId ? { chargeId: p.chargeId } : {}),
    ...(p.receiptUrl ? { receiptUrl: p.receiptUrl } : {}),
    ...(p.email ? { email: p.email } : {}),
    ...(p.customerId ? { customerId: p.customerId } : {}),
    ...(p.shipping ? { shipping: p.shipping } : {}),
  };
}

/** Records payment details (ids, receipt, e-mail, shipping) without touching the status. */
export async function recordPaymentDetails(db: Db, orderId: string, p: Partial<ConfirmedPayment>) {
  if (Object.keys(detailsOf(p)).length === 0) return;
  await paymentDetailsUpdate(db, orderId, p);
}

/**
 * The statement recordPaymentDetails runs (for a caller's D1 batch), applied only while `onlyIf` holds
 * when given. `p` must name at least one detail.
 */
export function paymentDetailsUpdate(db: Db, orderId: string, p: Partial<ConfirmedPayment>, onlyIf?: SQL) {
  return db
    .update(schema.orders)
    .set({ ...detailsOf(p), updatedAt: now() })
    .where(onlyIf ? and(eq(schema.orders.id, orderId), onlyIf) : eq(schema.orders.id, orderId));
}

/**
 * Adds a flag for an operator, once (flags accumulate; a flag already there is not added again).
 * Returns true when the flag is new.
 */
export async function flagOrder(db: Db, orderId: string, flag: OrderFlag): Promise<boolean> {
  const res = await db.run(sql`UPDATE orders SET
      flag = CASE WHEN flag IS NULL OR flag = '' THEN ${flag} ELSE flag || ',' || ${flag} END,
      updated_at = unixepoch()
    WHERE id = ${orderId} AND (flag IS NULL OR ',' || flag || ',' NOT LIKE ${`%,${flag},%`})`);
  return changes(res) > 0;
}

/**
 * Fulfils an order once its payment is confirmed. In ONE D1 batch: the order moves pending → paid
 * (conditional on still being pending, so only the first confirmation applies), its stock
 * reservations are committed and one pending transfer per vendor is written. After the commit the
 * transfers go to the payouts queue, refunds that arrived early are passed to payouts, and the
 * buyer's cart is emptied. A payment that doesn't match the order, or arrives for a canceled order,
 * flags the order for an operator instead.
 */
export async function confirmPayment(env: Env, payment: ConfirmedPayment): Promise<PaymentOutcome> {
  const db = getDb(env);
  const found = await getOrderWithLines(db, payment.orderId);
  if (!found) return 'not_found';
  const { order, lines } = found;

  if (order.status === 'canceled') {
    // Money arrived for an order we gave up on (its session expired first): never revive it silently.
    await db
      .update(schema.orders)
      .set({ ...detailsOf(payment), amountReceived: payment.amountReceived, updatedAt: now() })
      .where(eq(schema.orders.id, order.id));
    await flagOrder(db, order.id, 'paid_after_cancel');
    return 'flagged';
  }

  if (isPaidStatus(order.status)) {
    if (
      payment.paymentIntentId &&
      order.paymentIntentId &&
      payment.paymentIntentId !== order.paymentIntentId
    ) {
      await flagOrder(db, order.id, 'duplicate_payment');
      return 'flagged';
    }
    await recordPaymentDetails(db, order.id, { chargeId: payment.chargeId, receiptUrl: payment.receiptUrl });
    // A previous run may have stopped after its batch: the steps after it are idempotent, redo them.
    await afterPaid(env, db, order, lines);
    return 'already_paid';
  }

  if (order.paymentStatus === 'review') return 'flagged';

  const taxAmount = payment.taxAmount ?? order.taxAmount;
  const expected = orderTotal({ ...order, taxAmount });
  if (payment.amountReceived !== expected || payment.currency.toLowerCase() !== order.currency) {
    await db
      .update(schema.orders)
      .set({
        ...detailsOf(payment),
        amountReceived: payment.amountReceived,
        paymentStatus: 'review',
        updatedAt: now(),
      })
      .where(and(eq(schema.orders.id, order.id), eq(schema.orders.status, 'pending')));
    await flagOrder(db, order.id, 'amount_mismatch');
    return 'flagged';
  }

  const status = statusAfterRefunds('paid', payment.amountReceived, order.amountRefunded);
  const paidAt = now();
  const items: Items = [
    db
      .update(schema.orders)
      .set({
        ...detailsOf(payment),
        status,
        paymentStatus: 'paid',
        amountReceived: payment.amountReceived,
        taxAmount,
        total: expected,
        paidAt,
        updatedAt: paidAt,
      })
      .where(and(eq(schema.orders.id, order.id), eq(schema.orders.status, 'pending'))),
    commitStatement(db, order.id),
    ...transferInserts(db, order, lines, storeConfig(env).platformFeeBps, payoutHold(env)),
    // One part per vendor to fulfil, born with the payment.
    ...partInserts(
      db,
      order.id,
      lines.map((l) => l.storeId),
    ),
    // The code's redemption is counted with the payment, never past its limit.
    ...redemptionStatements(db, order.id, payment.email ?? order.email),
    // The shopper's receipt and each vendor's "new order", queued with the change that causes them.
    queueOrderReceipt(db, { orderId: order.id }),
    ...queueVendorNewOrders(db, { orderId: order.id, storeIds: lines.map((l) => l.storeId) }),
  ];
  const results = await runBatch(db, items);
  if (changes(results[0]) === 0) {
    // Someone else moved the order between our read and our batch. If it was canceled, the transfer
    // rows this batch may have written must not be paid out.
    const current = await getOrderWithLines(db, order.id);
    if (current && !isPaidStatus(current.order.status)) {
      await discardUnsentTransfers(db, order.id);
      return confirmPayment(env, payment);
    }
    if (current) await afterPaid(env, db, current.order, current.lines);
    return 'already_paid';
  }
  if (await missedRedemption(db, order.id)) await flagOrder(db, order.id, 'discount_over_limit');
  const paidOrder: OrderRow = { ...order, status, amountReceived: payment.amountReceived, paidAt };
  await afterPaid(env, db, paidOrder, lines);
  return 'paid';
}

/** The steps after the paid batch committed; each is idempotent and safe to repeat. */
async function afterPaid(
  env: Env,
  db: Db,
  order: OrderRow,
  lines: readonly { productId: string; quantity: number }[],
): Promise<void> {
  // One round trip: whether transfers wait to be sent, and the disputes recorded before the payment.
  const [unsent, disputes] = await readTogether(db, [
    {
      query: db.select({ id: schema.transfers.id }).from(schema.transfers).where(unsentTransfers(order.id)),
      value: (rows) => rows.length,
    },
    disputesOfOrderRead(order.id),
  ]);
  if (unsent > 0) await enqueueOrderTransfers(env, db, order.id);
  await applyRefundPayouts(env, db, order.id);
  // Disputes whose events came before the payment: their notices and money, now that transfers exist.
  await settleDisputesOfPaidOrder(env, db, disputes);
  await dispatchMessages(env);
  // A subscription's renewal order was placed by its schedule, not by a cart.
  if (order.cartId.startsWith(SUBSCRIPTION_CART_PREFIX)) return;
  await env.CART.getByName(order.cartId).clearAfterPurchase(
    order.cartVersion,
    lines.map((l) => ({ productId: l.productId, qty: l.quantity })),
  );
}

/**
 * Marks a pending order as waiting for an asynchronous payment (bank debit): the shopper finished
 * checkout but the money is not there yet.
 */
export async function markPaymentProcessing(db: Db, orderId: string, details: Partial<ConfirmedPayment>) {
  await db
    .update(schema.orders)
    .set({ ...detailsOf(details), paymentStatus: 'processing', updatedAt: now() })
    .where(
      and(
        eq(schema.orders.id, orderId),
        eq(schema.orders.status, 'pending'),
        inArray(schema.orders.paymentStatus, ['awaiting', 'failed']),
      ),
    );
}

/**
 * Records a failed payment attempt (`attemptId`: the PaymentIntent or Checkout Session). The order stays
 * pending: the shopper may try another card on the same session or intent; it is canceled when the
 * session expires or the intent is canceled. A decline on the payment page is shown there; only a payment
 * that fails after the shopper left (an asynchronous method that was processing) is e-mailed.
 */
export async function markPaymentFailed(env: Env, orderId: string, attemptId: string) {
  const db = getDb(env);
  const order = await getOrder(db, orderId);
  if (!order || order.status !== 'pending') return;
  const wasProcessing = order.paymentStatus === 'processing';
  await runBatch(db, [
    db
      .update(schema.orders)
      .set({ paymentStatus: 'failed', updatedAt: now() })
      .where(
        and(
          eq(schema.orders.id, orderId),
          eq(schema.orders.status, 'pending'),
          inArray(schema.orders.paymentStatus, ['awaiting', 'processing', 'failed']),
        ),
      ),
    ...(wasProcessing ? [queuePaymentFailed(db, { orderId, attemptId })] : []),
  ]);
  if (wasProcessing) await dispatchMessages(env);
}

/**
 * pending → canceled, and the stock it held given back, in one batch. A paid order, or one whose
 * payment is under review, is never canceled. Returns true when this call canceled it.
 */
export async function cancelOrder(
  db: Db,
  orderId: string,
  paymentStatus: Extract<PaymentStatus, 'canceled' | 'failed'> = 'canceled',
): Promise<boolean> {
  const results = await runBatch(db, [
    db
      .update(schema.orders)
      .set({ status: 'canceled', paymentStatus, updatedAt: now() })
      .where(
        and(
          eq(schema.orders.id, orderId),
          eq(schema.orders.status, 'pending'),
          sql`${schema.orders.paymentStatus} <> 'review'`,
        ),
      ),
    ...releaseStatements(db, orderId),
  ]);
  return changes(results[0]) > 0;
}

/**
 * Applies a charge's refunds to its order: refund rows (once each, by id), `amount_refunded` (only
 * ever up, to what Stripe says was refunded) and the status (paid → partially_refunded → refunded).
 * A refund that arrives before the payment is recorded and applied when the order is paid.
 * Then each refund not yet passed to payouts is passed, once.
 */
export async function applyRefunds(
  env: Env,
  orderId: string,
  charge: { id: string; amountRefunded: number },
  refunds: readonly RefundInfo[],
): Promise<boolean> {
  const db = getDb(env);
  for (let tries = 0; tries < 5; tries++) {
    const found = await getOrderWithLines(db, orderId);
    if (!found) return false;
    const { order } = found;
    const refunded = Math.max(order.amountRefunded, charge.amountRefunded);
    const status = statusAfterRefunds(order.status, order.amountReceived, refunded);
    const items: Items = [
      // Optimistic: only if nobody changed the status since we read it; else read again.
      db
        .update(schema.orders)
        .set({ amountRefunded: refunded, status, chargeId: order.chargeId ?? charge.id, updatedAt: now() })
        .where(and(eq(schema.orders.id, order.id), eq(schema.orders.status, order.status))),
      ...refunds.map((r) =>
        db
          .insert(schema.refunds)
          .values({
            id: r.id,
            orderId: order.id,
            chargeId: charge.id,
            amount: r.amount,
            currency: r.currency,
            status: r.status,
            reason: r.reason,
          })
          .onConflictDoUpdate({ target: schema.refunds.id, set: { status: r.status } }),
      ),
      // Refunds of one vendor's part: that vendor gives back, not all of them (payouts reads this).
      ...refundAttributionInserts(db, order.id, refunds),
      // The shopper hears of each refund once (keyed by the refund), whichever event brought it first.
      ...refunds
        .filter((r) => r.status === 'succeeded' || r.status === 'pending')
        .map((r) => queueRefundIssued(db, { orderId: order.id, refundId: r.id })),
    ];
    const results = await runBatch(db, items);
    if (changes(results[0]) === 0) continue;
    await applyRefundPayouts(env, db, order.id);
    await dispatchMessages(env);
    return true;
  }
  throw new Error(`order ${orderId} kept changing while applying a refund`);
}

/**
 * Passes each refund of a paid order to payouts (vendor transfers reduced or reversed) exactly once:
 * `payouts_applied_at` is stamped after the call, and the call itself is idempotent per refund id,
 * so a crash between the two only repeats a no-op. Orders not yet paid have no transfers to adjust:
 * their refunds wait for the payment.
 */
async function applyRefundPayouts(env: Env, db: Db, orderId: string): Promise<void> {
  const order = await db
    .select({ status: schema.orders.status })
    .from(schema.orders)
    .where(eq(schema.orders.id, orderId))
    .get();
  if (!order || !isPaidStatus(order.status)) return;
  const pending = await db
    .select()
    .from(schema.refunds)
    .where(
      and(
        eq(schema.refunds.orderId, orderId),
        isNull(schema.refunds.payoutsAppliedAt),
        inArray(schema.refunds.status, ['succeeded', 'pending']),
      ),
    );
  for (const refund of pending) {
    await onOrderRefunded(env, { orderId, refundId: refund.id, amount: refund.amount });
    await db
      .update(schema.refunds)
      .set({ payoutsAppliedAt: now() })
      .where(and(eq(schema.refunds.id, refund.id), isNull(schema.refunds.payoutsAppliedAt)));
  }
}
