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
}

/** A Stripe Refund as a RefundInfo. */
export function reshapeRefund(refund: Stripe.Refund): RefundInfo {
  return {
    id: refund.id,
    amount: refund.amount,
    currency: refund.currency,
    status: refund.status ?? 'pending',
    reason: refund.reason ?? null,
  };
}
