// The operator's refund action: asks Stripe for a (full or partial) refund, idempotently. The order
// and the vendors' payouts change when Stripe's `charge.refunded` arrives, like any other refund.
import { CHARGEBACK_MESSAGE, chargebackHolds } from '../payouts/disputes';
import * as z from 'zod';
import { getDb } from '../db/client';
import { getOrder } from '../orders/model';
import { ConflictError, NotFoundError, UpstreamError, ValidationError } from '../lib/errors';
import { formatMoney, refundableOf } from '../lib/money';
import { getStripe } from '../stripe/client';
import { classifyStripeError } from '../stripe/errors';
import { wasReplayed } from '../stripe/response';
import { toMinorUnits } from '../vendors/products';
import { fieldText } from '../lib/input';

/**
 * `amount`: minor units (JSON) or a decimal like "12.50" (the form's `amount_decimal`); neither = the
 * whole remaining amount. `request_id`: the form's one-time id, so a double submit is one refund.
 */
export const refundSchema = z.object({
  amount: z.preprocess(
    (v) => (v === '' || v === null ? undefined : v),
    z.coerce.number().int().positive().optional(),
  ),
  amount_decimal: z.preprocess(
    fieldText,
    z
      .string()
      .trim()
      .regex(
        /^(\d{1,7}(\.\d{1,2})?)?$/,
        'Enter an amount like 12.50, or leave it empty to refund everything left.',
      ),
  ),
  request_id: z.preprocess(
    fieldText,
    z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_-]{0,100}$/, 'request_id: letters, digits, - and _ only'),
  ),
  reason: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.enum(['requested_by_customer', 'duplicate', 'fraudulent']).optional(),
  ),
});
export type RefundRequest = z.infer<typeof refundSchema>;

export interface RefundResult {
  refund: { id: string; amount: number; currency: string; status: string | null };
  orderId: string;
  /** True when Stripe answered from a previous identical request (a double submit). */
  replayed: boolean;
}

/** Refunds `orderId` in full (no amount) or in part. */
export async function refundOrder(env: Env, orderId: string, req: RefundRequest): Promise<RefundResult> {
  const db = getDb(env);
  const order = await getOrder(db, orderId);
  if (!order) throw new NotFoundError(`No order ${orderId}.`);
  if (order.status !== 'paid' && order.status !== 'partially_refunded') {
    throw new ConflictError(`Order ${orderId} is ${order.status}: only a paid order can be refunded.`, {
      order_status: order.status,
    });
  }
  if (!order.paymentIntentId && !order.chargeId) {
    throw new ConflictError(`Order ${orderId} has no Stripe payment recorded yet.`);
  }
  if (await chargebackHolds(db, orderId)) throw new ConflictError(CHARGEBACK_MESSAGE);
  const remaining = refundableOf(order);
  let amount = req.amount;
  if (amount === undefined && req.amount_decimal) {
    const minor = toMinorUnits(req.amount_decimal, order.currency);
    if (minor === null) throw new ValidationError(`${order.currency.toUpperCase()} has no cents.`);
    amount = minor;
  }
  amount ??= remaining;
  if (amount <= 0) throw new ConflictError(`Order ${orderId} has nothing left to refund.`);
  if (amount > remaining) {
    throw new ValidationError(
      `At most ${formatMoney(remaining, order.currency)} is left to refund on this order.`,
      { remaining },
    );
  }
  // The same request (form id, or amount against the same refunded total) gives the same refund.
  const idempotencyKey = `refund_${orderId}_${req.request_id || `${amount}_${order.amountRefunded}`}`;
  try {
    const refund = await getStripe(env).refunds.create(
      {
        ...(order.chargeId ? { charge: order.chargeId } : { payment_intent: order.paymentIntentId! }),
        amount,
        ...(req.reason ? { reason: req.reason } : {}),
        metadata: { order_id: orderId },
      },
      { idempotencyKey },
    );
    return {
      refund: { id: refund.id, amount: refund.amount, currency: refund.currency, status: refund.status },
      orderId,
      replayed: wasReplayed(refund),
    };
  } catch (err) {
    const failure = classifyStripeError(err);
    if (!failure.fromStripe) throw err;
    if (!failure.retryable)
      throw new ValidationError(failure.message, { stripe_code: failure.code ?? undefined });
    throw new UpstreamError(`Stripe did not take the refund (${failure.message}). Try again.`);
  }
}
