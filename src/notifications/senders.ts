// One function per message the system sends. Each returns the D1 statement(s) that queue it, to put
// in the same batch as the change that causes it; after that batch commits, call dispatchMessages(env).
// Keys are derived from what causes the message, so the same cause (a webhook delivered three times)
// queues it once.
import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from '../db/client';
import { newId } from '../lib/ids';
import { enqueueMessage } from './outbox';

type Statement = BatchItem<'sqlite'>;

/**
 * The shopper's receipt for a paid order: lines, totals, shipping address and a signed order link,
 * read from the order when the mail is sent. `to` defaults to the order's e-mail at that time.
 */
export function queueOrderReceipt(db: Db, p: { orderId: string; to?: string | null }): Statement {
  return enqueueMessage(db, {
    kind: 'order_receipt',
    key: `order-receipt:${p.orderId}`,
    to: p.to,
    data: { orderId: p.orderId },
  });
}

/** "New order" to each vendor of a paid order, with only that vendor's lines (to the shop's support or account address). */
export function queueVendorNewOrders(
  db: Db,
  p: { orderId: string; storeIds: readonly string[] },
): Statement[] {
  return [...new Set(p.storeIds)].map((storeId) =>
    enqueueMessage(db, {
      kind: 'vendor_new_order',
      key: `vendor-new-order:${p.orderId}:${storeId}`,
      data: { orderId: p.orderId, storeId },
    }),
  );
}

/**
 * "Your payment did not go through" for one failed attempt (`attemptId`: the PaymentIntent or Checkout
 * Session that failed), so a second failed attempt mails again and a redelivered event does not.
 */
export function queuePaymentFailed(
  db: Db,
  p: { orderId: string; attemptId: string; to?: string | null },
): Statement {
  return enqueueMessage(db, {
    kind: 'payment_failed',
    key: `payment-failed:${p.orderId}:${p.attemptId}`,
    to: p.to,
    data: { orderId: p.orderId },
  });
}

/** "Refund issued" for one Stripe refund (the `refunds` row `refundId` of the order), once per refund. */
export function queueRefundIssued(
  db: Db,
  p: { orderId: string; refundId: string; to?: string | null },
): Statement {
  return enqueueMessage(db, {
    kind: 'refund_issued',
    key: `refund-issued:${p.refundId}`,
    to: p.to,
    data: { orderId: p.orderId, refundId: p.refundId },
  });
}

/** "Shipped" to the shopper for one vendor's part of an order (`shipmentId` names the shipment, once). */
export function queueShipmentNotice(
  db: Db,
  p: {
    shipmentId: string;
    orderId: string;
    storeId: string;
    carrier?: string | null;
    trackingNumber?: string | null;
    trackingUrl?: string | null;
    to?: string | null;
  },
): Statement {
  return enqueueMessage(db, {
    kind: 'shipment_notice',
    key: `shipment:${p.shipmentId}`,
    to: p.to,
    data: {
      orderId: p.orderId,
      storeId: p.storeId,
      carrier: p.carrier ?? null,
      trackingNumber: p.trackingNumber ?? null,
      trackingUrl: p.trackingUrl ?? null,
    },
  });
}

/** A vendor hears that the shopper cancelled their part, or asked for a return (`key` names the event, once). */
export function queueVendorPartNotice(
  db: Db,
  p: {
    key: string;
    orderId: string;
    storeId: string;
    event: 'cancelled' | 'return_requested';
    reason?: string | null;
  },
): Statement {
  return enqueueMessage(db, {
    kind: 'vendor_part_notice',
    key: `vendor-part:${p.key}`,
    data: { orderId: p.orderId, storeId: p.storeId, event: p.event, reason: p.reason ?? null },
  });
}

/**
 * A vendor hears that an order with their items was disputed, or how the dispute ended (once per
 * dispute, event and vendor), with what it takes from or gives back to them.
 */
export function queueVendorDisputeNotice(
  db: Db,
  p: {
    disputeId: string;
    orderId: string;
    storeId: string;
    event: 'opened' | 'won' | 'lost';
    amount: number;
    currency: string;
  },
): Statement {
  return enqueueMessage(db, {
    kind: 'vendor_dispute_notice',
    key: `vendor-dispute:${p.disputeId}:${p.event}:${p.storeId}`,
    data: {
      orderId: p.orderId,
      storeId: p.storeId,
      event: p.event,
      amount: p.amount,
      currency: p.currency,
    },
  });
}

// Not async on purpose: a drizzle statement is a thenable, and returning one from an async function
// would run it on the spot instead of in the caller's batch.

/**
 * A vendor's one-time sign-in link (`path`, e.g. `/vendor/login/<token>`, made absolute from PUBLIC_URL).
 * Every call is a new link and so a new message (its key is random; the token never goes in a key).
 */
export function queueVendorSignIn(
  db: Db,
  p: { to: string; storeName: string; path: string; minutes: number },
): Statement {
  return enqueueMessage(db, {
    kind: 'vendor_sign_in',
    key: `vendor-sign-in:${newId('link')}`,
    to: p.to,
    data: { storeName: p.storeName, path: p.path, minutes: p.minutes },
  });
}

/** A shopper's one-time sign-in link (`path` of the shopper sign-in route with its token); a new message per call. */
export function queueShopperSignIn(db: Db, p: { to: string; path: string; minutes: number }): Statement {
  return enqueueMessage(db, {
    kind: 'shopper_sign_in',
    key: `shopper-sign-in:${newId('link')}`,
    to: p.to,
    data: { path: p.path, minutes: p.minutes },
  });
}

/** A shopper's contact-form message (`contactId`: its contact_messages row) to the shop; Reply-To is the shopper. */
export function queueContactMessage(
  db: Db,
  p: {
    contactId: string;
    to: string;
    storeName: string;
    fromName: string;
    fromEmail: string;
    message: string;
  },
): Statement {
  return enqueueMessage(db, {
    kind: 'contact_message',
    key: `contact:${p.contactId}`,
    to: p.to,
    data: { storeName: p.storeName, fromName: p.fromName, fromEmail: p.fromEmail, message: p.message },
  });
}

/** Welcome to a subscription (`subscriptionId`, once), with its plan, price and where to manage it. */
export function queueSubscriptionWelcome(
  db: Db,
  p: {
    subscriptionId: string;
    to: string;
    name?: string | null;
    planName: string;
    currency: string;
    amount: number;
    interval: 'day' | 'week' | 'month' | 'year';
    managePath?: string | null;
  },
): Statement {
  return enqueueMessage(db, {
    kind: 'subscription_welcome',
    key: `subscription-welcome:${p.subscriptionId}`,
    to: p.to,
    data: {
      name: p.name ?? null,
      planName: p.planName,
      currency: p.currency,
      amount: p.amount,
      interval: p.interval,
      managePath: p.managePath ?? null,
    },
  });
}

/** A subscription renewal whose payment failed (once per invoice), with the hosted invoice to pay it. */
export function queueSubscriptionRenewalFailed(
  db: Db,
  p: {
    invoiceId: string;
    to: string;
    name?: string | null;
    planName: string;
    currency: string;
    amount: number;
    payUrl?: string | null;
    managePath?: string | null;
  },
): Statement {
  return enqueueMessage(db, {
    kind: 'subscription_renewal_failed',
    key: `subscription-renewal-failed:${p.invoiceId}`,
    to: p.to,
    data: {
      name: p.name ?? null,
      planName: p.planName,
      currency: p.currency,
      amount: p.amount,
      payUrl: p.payUrl ?? null,
      managePath: p.managePath ?? null,
    },
  });
}
