// Stripe objects turned into our own shapes (as vercel/commerce's `reshape*` functions do for its
// providers): features read these, not the SDK's types, for what they store.
import type Stripe from 'stripe';

/** One refund of a charge, as we record it. */
export interface RefundInfo {
  id: string;
  amount: number;
  currency: string;
  /** Stripe's status; a refund Stripe reports without one is still `pending`. */
  status: string;
  reason: string | null;
  /** For a refund of one vendor's part (metadata `store_id`, `vendor_amount`): who gives back how much. */
  attribution: { storeId: string; vendorAmount: number } | null;
}

/** The vendor a refund's metadata names, and what they give back (a whole number of minor units). */
function attributionOf(metadata: Stripe.Metadata | null | undefined): RefundInfo['attribution'] {
  const storeId = metadata?.store_id;
  const amount = Number(metadata?.vendor_amount);
  if (!storeId || !Number.isSafeInteger(amount) || amount < 0) return null;
  return { storeId, vendorAmount: amount };
}

/** A Stripe Refund as a RefundInfo. */
export function reshapeRefund(refund: Stripe.Refund): RefundInfo {
  return {
    id: refund.id,
    amount: refund.amount,
    currency: refund.currency,
    status: refund.status ?? 'pending',
    reason: refund.reason ?? null,
    attribution: attributionOf(refund.metadata),
  };
}
