// Cancelling a vendor's part before it ships: the part moves to `cancelled` and its unshipped units go
// back to stock in one batch (once: only the batch holding the part's lock changes stock), then Stripe
// refunds those lines with an idempotency key per part. The refund names the vendor in its metadata, so
// `charge.refunded` takes the vendor's share from that vendor's transfer alone (reduced if unsent,
// reversed if sent). A refund Stripe did not take is retried by the cron.
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { getDb, schema, rowById, firstRow } from '../db/client';
import { runBatch, changes, type Statement } from '../db/batch';
import { storeConfig } from '../lib/config';
import { ConflictError, NotFoundError, UpstreamError } from '../lib/errors';
import { newId } from '../lib/ids';
import { collectedOf, feeOf, refundableOf, sum, unrefundedPartOf } from '../lib/money';
import { nowSeconds } from '../lib/time';
import { getStripe } from '../stripe/client';
import { classifyStripeError } from '../stripe/errors';
import { dispatchMessages, queueVendorPartNotice } from '../notifications';
import { lockPart, partOf, partsOfOrder, type PartView } from './parts';
import { errorFields } from '../lib/log';
import { CHARGEBACK_MESSAGE, chargebackHolds } from '../payouts/disputes';
import { sharedRefundsOf } from '../payouts/refunds';

/** Who cancels: the shopper only before anything of the part shipped; an operator also stops the rest. */
export type CancelledBy = 'shopper' | 'operator';

const SHIPPED_MESSAGE =
  'This part has already shipped, so it can no longer be cancelled. Ask for a return instead.';

/**
 * The refund (lines not shipped; plus shipping and tax when nothing of the order ships, less what refunds
 * without a vendor already gave back of them) and the vendor's share.
 */
function cancelAmounts(
  part: PartView,
  others: PartView[],
  order: { shippingAmount: number; taxAmount: number },
  transfer: { initialAmount: number; amount: number } | undefined,
  feeBps: number,
  refunded: { collected: number; shared: number },
) {
  const gross = sum(part.lines.map((l) => (l.quantity - l.shipped) * l.unitAmount));
  const nothingShipped = part.lines.every((l) => l.shipped === 0);
  const wholeOrder =
    nothingShipped && others.every((o) => o.status === 'cancelled' && o.shipments.length === 0);
  const vendorPaid = transfer ? transfer.initialAmount || transfer.amount : 0;
  // All of the vendor's lines back: their whole transfer; some: those lines minus the platform's fee.
  // Refunds without a vendor already gave these lines (and the vendor's share of them) their part.
  const left = (n: number) => unrefundedPartOf(n, refunded.collected, refunded.shared);
  const vendorAmount = nothingShipped ? vendorPaid : Math.min(vendorPaid, left(gross - feeOf(gross, feeBps)));
  return {
    refund: left(gross + (wholeOrder ? order.shippingAmount + order.taxAmount : 0)),
    vendorAmount,
  };
}

/**
 * Cancels one vendor's part and refunds it. Idempotent: a cancelled part answers as it is (and its
 * refund is made if it is still missing). 409 once anything shipped (for the shopper) or everything
 * shipped (for an operator).
 */
export async function cancelPart(
  env: Env,
  orderId: string,
  storeId: string,
  opts: { reason: string; by: CancelledBy },
): Promise<PartView> {
  const db = getDb(env);
  for (let attempt = 0; attempt < 4; attempt++) {
    const order = await rowById(db, schema.orders, orderId);
    const parts = await partsOfOrder(db, orderId);
    const part = parts.find((p) => p.storeId === storeId);
    if (!order || !part) throw new NotFoundError('There is no such order part.');
    if (part.status === 'cancelled') {
      await issueCancelRefund(env, db, orderId, storeId);
      return part;
    }
    const stopped =
      part.status === 'shipped' ||
      part.status === 'delivered' ||
      (opts.by === 'shopper' && part.status === 'partially_shipped');
    if (stopped) throw new ConflictError(SHIPPED_MESSAGE, { part_status: part.status });
    if (await chargebackHolds(db, orderId)) throw new ConflictError(CHARGEBACK_MESSAGE);

    const transfer = await firstRow(
      db,
      schema.transfers,
      and(
        eq(schema.transfers.orderId, orderId),
        eq(schema.transfers.storeId, storeId),
        eq(schema.transfers.purpose, 'sale'),
      ),
    );
    const amounts = cancelAmounts(
      part,
      parts.filter((p) => p.storeId !== storeId),
      order,
      transfer,
      storeConfig(env).platformFeeBps,
      { collected: collectedOf(order), shared: await sharedRefundsOf(db, orderId) },
    );
    const refund = Math.min(amounts.refund, refundableOf(order));
    const token = newId('lock');
    const ours = sql`EXISTS (SELECT 1 FROM ${schema.orderParts} WHERE ${schema.orderParts.orderId} = ${orderId} AND ${schema.orderParts.storeId} = ${storeId} AND ${schema.orderParts.lockToken} = ${token})`;
    const statements: Statement[] = [
      lockPart(db, part, token, {
        status: 'cancelled',
        cancelledAt: nowSeconds(),
        cancelReason: opts.reason,
        cancelRefundAmount: refund,
        cancelVendorAmount: Math.min(amounts.vendorAmount, refund),
      }),
      // Unshipped units go back on the shelf, only in the batch that cancelled the part.
      ...part.lines
        .filter((l) => l.quantity > l.shipped)
        .map(
          (l) =>
            sql`UPDATE ${schema.products} SET stock = stock + ${l.quantity - l.shipped}, updated_at = unixepoch()
              WHERE id = ${l.productId} AND stock IS NOT NULL AND ${ours}`,
        ),
    ];
    // The vendor hears of it once (keyed by the part: whichever batch cancels it, one message).
    statements.push(
      queueVendorPartNotice(db, {
        key: `cancel:${orderId}:${storeId}`,
        orderId,
        storeId,
        event: 'cancelled',
        reason: opts.reason,
      }),
    );
    const results = await runBatch(db, statements);
    if (changes(results[0]) === 0) continue;
    await dispatchMessages(env);
    await issueCancelRefund(env, db, orderId, storeId);
    return (await partOf(db, orderId, storeId))!;
  }
  throw new ConflictError('This part changed while it was being cancelled. Try again.');
}

/** Cancels every part of an order, if nothing of it has shipped (409 otherwise). */
export async function cancelWholeOrder(env: Env, orderId: string, reason: string): Promise<PartView[]> {
  const db = getDb(env);
  const parts = await partsOfOrder(db, orderId);
  if (parts.length === 0) throw new NotFoundError('There is no such order.');
  if (parts.some((p) => p.shipments.length > 0))
    throw new ConflictError(
      'Part of this order has already shipped, so the whole order can no longer be cancelled. You can still cancel what has not shipped.',
    );
  for (const part of parts)
    if (part.status !== 'cancelled') await cancelPart(env, orderId, part.storeId, { reason, by: 'shopper' });
  return partsOfOrder(db, orderId);
}

/**
 * Asks Stripe for a cancelled part's refund, once: the idempotency key is the part's, so a retry (the
 * cron, a second click) gets the same refund back. The refund id is stamped on the part.
 */
async function issueCancelRefund(env: Env, db: Db, orderId: string, storeId: string): Promise<void> {
  const p = schema.orderParts;
  const row = await firstRow(db, schema.orderParts, and(eq(p.orderId, orderId), eq(p.storeId, storeId)));
  if (!row || row.cancelRefundId || row.cancelRefundAmount <= 0) return;
  const order = await rowById(db, schema.orders, orderId);
  if (!order?.chargeId && !order?.paymentIntentId) return;
  try {
    const refund = await getStripe(env).refunds.create(
      {
        ...(order.chargeId ? { charge: order.chargeId } : { payment_intent: order.paymentIntentId! }),
        amount: row.cancelRefundAmount,
        reason: 'requested_by_customer',
        metadata: {
          order_id: orderId,
          store_id: storeId,
          vendor_amount: String(row.cancelVendorAmount),
          cause: 'cancel',
        },
      },
      { idempotencyKey: `cancel_${orderId}_${storeId}` },
    );
    await db
      .update(p)
      .set({ cancelRefundId: refund.id, updatedAt: nowSeconds() })
      .where(and(eq(p.orderId, orderId), eq(p.storeId, storeId), isNull(p.cancelRefundId)));
  } catch (err) {
    const failure = classifyStripeError(err);
    if (!failure.fromStripe) throw err;
    // The part stays cancelled; the cron asks again with the same key.
    throw new UpstreamError(
      `The order part is cancelled, but Stripe did not take the refund yet (${failure.message}). We will retry.`,
    );
  }
}

/** The cron: refunds of cancelled parts that Stripe has not taken yet. Returns how many were made. */
export async function retryCancelRefunds(env: Env): Promise<number> {
  const db = getDb(env);
  const p = schema.orderParts;
  const due = await db
    .select({ orderId: p.orderId, storeId: p.storeId })
    .from(p)
    .where(and(eq(p.status, 'cancelled'), isNull(p.cancelRefundId), gt(p.cancelRefundAmount, 0)))
    .limit(50);
  let made = 0;
  for (const d of due) {
    try {
      await issueCancelRefund(env, db, d.orderId, d.storeId);
      made++;
    } catch (err) {
      console.warn(
        JSON.stringify({ msg: 'cancel refund retry failed', order: d.orderId, ...errorFields(err) }),
      );
    }
  }
  return made;
}
