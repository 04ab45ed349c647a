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

/** The customer fields the customers table mirrors. */
export interface CustomerInfo {
  id: string;
  email: string | null;
  name: string | null;
  /** When Stripe created the customer (Unix seconds). */
  created: number;
}

/** A Stripe Customer as a CustomerInfo. */
export function reshapeCustomer(customer: Stripe.Customer): CustomerInfo {
  return {
    id: customer.id,
    email: customer.email ?? null,
    name: customer.name ?? null,
    created: customer.created,
  };
}
