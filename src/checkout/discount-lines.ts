// What a discount changes in a checkout: the order's snapshot of the code and the line items Stripe is
// sent, so that what Stripe shows is what the order charges, line by line.
import type { Db } from '../db/client';
import { schema } from '../db/client';
import { formatMoney } from '../lib/money';
import type { Stripe } from '../stripe/client';
import type { CheckoutPlan } from './plan';

type PlanLine = CheckoutPlan['lines'][number];

/** The order's record of its code (written in the checkout's batch; a second click writes nothing). */
export function discountSnapshot(db: Db, orderId: string, plan: CheckoutPlan) {
  const d = plan.discount;
  if (!d) return [];
  return [
    db
      .insert(schema.orderDiscounts)
      .values({
        orderId,
        discountId: d.id,
        code: d.code,
        fundedBy: d.fundedBy,
        storeId: d.storeId,
        amount: d.amount,
        shippingAmount: d.shippingOff,
        oncePerCustomer: d.oncePerCustomer,
      })
      .onConflictDoNothing(),
  ];
}

/**
 * One Checkout line item for a planned line, at the price the shopper pays. A discounted line whose
 * amount divides by its quantity keeps its quantity at the discounted unit price; one that does not
 * (the allocation is to the cent per line, not per unit) is sent as one item of the whole line,
 * named with its quantity, so Stripe's total is the order's exactly. A line a code makes free goes at 0
 * (Checkout takes no-cost line items: https://docs.stripe.com/payments/checkout/no-cost-orders).
 */
export function discountedLineItem(
  l: PlanLine,
  currency: string,
): Stripe.Checkout.SessionCreateParams.LineItem {
  const perUnit = l.amount % l.qty === 0;
  const off =
    l.discountAmount > 0 ? `Discount −${formatMoney(l.discountAmount, currency)} on this line.` : '';
  const note = l.note ? `Note: ${l.note}` : '';
  const description = [off, note].filter(Boolean).join(' ').slice(0, 500);
  return {
    quantity: perUnit ? l.qty : 1,
    price_data: {
      currency,
      unit_amount: perUnit ? l.amount / l.qty : l.amount,
      product_data: {
        name: perUnit ? l.name : `${l.name} × ${l.qty}`,
        ...(description ? { description } : {}),
        metadata: { product_id: l.productId, store_id: l.storeId },
      },
    },
  };
}
