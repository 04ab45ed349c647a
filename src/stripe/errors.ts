// The one reading of Stripe's errors: every caller (checkout, vendors, admin, payouts) asks this
// function what a failed Stripe call means instead of inspecting the SDK's error classes itself.
import Stripe from 'stripe';

/** What a failed call means for the app, in our own terms. */
export interface StripeFailure {
  /** False for errors that did not come from Stripe (a bug, D1, our own checks). */
  fromStripe: boolean;
  /**
   * Worth sending the same request again later: no answer at all (network), 429, 409 (a concurrent
   * request on the same idempotency key), 401 (keys an operator is fixing) and 5xx. Any other 4xx means
   * Stripe did not, and will not, do it.
   */
  retryable: boolean;
  /** Stripe refused the request itself: bad parameters, or an object in a state that forbids it. */
  invalidRequest: boolean;
  /** Stripe's HTTP status; null when there was no answer or the error is not Stripe's. */
  status: number | null;
  /** Stripe's error code (`resource_missing`, `card_declined`, ...), when it gave one. */
  code: string | null;
  /** In Stripe's words where Stripe answered; never a secret. */
  message: string;
}

/** Classifies any error thrown around a Stripe call. */
export function classifyStripeError(err: unknown): StripeFailure {
  if (!(err instanceof Stripe.errors.StripeError)) {
    const message = err instanceof Error ? err.message : String(err);
    return { fromStripe: false, retryable: false, invalidRequest: false, status: null, code: null, message };
  }
  const status = err.statusCode ?? null;
  const retryable = status === null || status === 429 || status === 409 || status === 401 || status >= 500;
  return {
    fromStripe: true,
    retryable,
    invalidRequest: err instanceof Stripe.errors.StripeInvalidRequestError,
    status,
    code: err.code ?? null,
    message: err.message || err.type,
  };
}
