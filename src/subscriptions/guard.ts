// The checkout rule "one subscription per shopper and product": a shopper who already has a live
// subscription to a product in the cart is refused, with a link to manage it.
import type { Db } from '../db/client';
import { ConflictError, ValidationError } from '../lib/errors';
import { liveSubscriptionsFor } from './records';

/** 409: the shopper already subscribes to a product in the cart. */
class AlreadySubscribedError extends ConflictError {
  constructor(
    readonly subscriptionId: string,
    name: string,
  ) {
    super(
      `You already have a subscription to ${name}. Manage it from "My subscriptions" instead of subscribing again.`,
      { code: 'already_subscribed', subscriptionId, manageUrl: `/subscriptions/${subscriptionId}` },
    );
  }
}

/**
 * Refuses a subscription checkout that would give the shopper a second live subscription to one of
 * `productIds` (422 without an e-mail: without one the rule can't be checked).
 */
export async function assertCanSubscribe(
  db: Db,
  email: string | undefined,
  productIds: readonly string[],
): Promise<void> {
  if (productIds.length === 0) return;
  if (!email)
    throw new ValidationError('Enter your e-mail address to subscribe.', { code: 'email_required' });
  const [existing] = await liveSubscriptionsFor(db, email, productIds);
  if (existing) throw new AlreadySubscribedError(existing.subscriptionId, existing.name);
}
