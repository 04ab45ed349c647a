// Which payout failures are worth retrying (rate limits, Stripe 5xx, network) and which need an operator.
import { classifyStripeError } from '../stripe/errors';

export interface Failure {
  /** True when the same request may succeed later: the queue retries it with a delay. */
  retryable: boolean;
  /** What went wrong, in Stripe's words where Stripe answered; never a secret. */
  message: string;
}

/** Thrown inside the payout domain when a message must be retried (not a Stripe error). */
export class RetryLater extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RetryLater';
  }
}

/**
 * Classifies an error from a payout attempt. Stripe answers 4xx only when it did not (and will not)
 * move the money, so those are permanent; 409 is a concurrent request on the same idempotency key and
 * 401 a configuration problem an operator fixes without touching the row: both retry.
 */
export function classifyFailure(err: unknown): Failure {
  if (err instanceof RetryLater) return { retryable: true, message: err.message };
  const failure = classifyStripeError(err);
  if (failure.fromStripe) return { retryable: failure.retryable, message: failure.message };
  // D1 hiccups, timeouts and anything unexpected: retried, and recorded by the dead-letter consumer
  // if it never clears, rather than failing a payout on a transient fault.
  return { retryable: true, message: failure.message };
}

/** Seconds before the next delivery: 10, 20, 40, ... capped at an hour (Queues allow up to 12 h). */
export function retryDelaySeconds(attempts: number): number {
  const n = Math.max(1, Math.floor(attempts));
  return Math.min(10 * 2 ** (n - 1), 3600);
}
