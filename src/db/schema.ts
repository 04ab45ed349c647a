// The D1 schema (drizzle). One place for every table; `npm run db:generate` turns changes into migrations/.
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

const now = sql`(unixepoch())`;
/** Unix seconds, like Stripe's timestamps. */
const createdAt = () => integer('created_at').notNull().default(now);
const updatedAt = () => integer('updated_at').notNull().default(now);

// ---------------------------------------------------------------- catalog

/** A vendor's shop. Tied to a Stripe Connect account once the vendor connects. */
export const stores = sqliteTable(
  'stores',
  {
    id: text('id').primaryKey(),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    tagline: text('tagline').notNull().default(''),
    about: text('about').notNull().default(''),
    email: text('email'),
    supportEmail: text('support_email'),
    supportPhone: text('support_phone'),
    website: text('website'),
    stripeAccountId: text('stripe_account_id'),
    chargesEnabled: integer('charges_enabled', { mode: 'boolean' }).notNull().default(false),
    payoutsEnabled: integer('payouts_enabled', { mode: 'boolean' }).notNull().default(false),
    detailsSubmitted: integer('details_submitted', { mode: 'boolean' }).notNull().default(false),
    /** Set when the account deauthorized the platform: the store is closed for good. */
    deauthorizedAt: integer('deauthorized_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('stores_slug').on(t.slug), uniqueIndex('stores_stripe_account').on(t.stripeAccountId)],
);

export const products = sqliteTable(
  'products',
  {
    id: text('id').primaryKey(),
    storeId: text('store_id')
      .notNull()
      .references(() => stores.id),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    image: text('image'),
    /** Price in minor units of `currency`. */
    unitAmount: integer('unit_amount').notNull(),
    currency: text('currency').notNull(),
    /** 'month' | 'year' for subscriptions; null for one-off products. */
    recurringInterval: text('recurring_interval', { enum: ['day', 'week', 'month', 'year'] }),
    /** Units left to sell; null = unlimited. Reservations take from it at checkout. */
    stock: integer('stock'),
    featured: integer('featured', { mode: 'boolean' }).notNull().default(false),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('products_store_slug').on(t.storeId, t.slug), index('products_store').on(t.storeId)],
);

// ---------------------------------------------------------------- customers

export const customers = sqliteTable(
  'customers',
  {
    /** Stripe customer id (cus_...). */
    id: text('id').primaryKey(),
    email: text('email'),
    /** `email` trimmed and lower-cased: what checkout and sign-in look customers up by. */
    emailNormalized: text('email_normalized'),
    name: text('name'),
    phone: text('phone'),
    /** Billing address as Stripe gives it ({ line1, line2, city, state, postal_code, country }). */
    address: text('address', { mode: 'json' }),
    /** Shipping as Stripe gives it ({ name, phone, address }). */
    shipping: text('shipping', { mode: 'json' }),
    livemode: integer('livemode', { mode: 'boolean' }).notNull().default(false),
    /** Set by customer.deleted: the row stays for the orders that name it, checkout no longer uses it. */
    deletedAt: integer('deleted_at'),
    createdAt: createdAt(),
    /** The Stripe `created` of the newest event (or object) that wrote the row: older ones never win. */
    updatedAt: updatedAt(),
    /**
     * Breaks ties within one second (0 customer.created, 1 checkout, 2 customer.updated): a creation
     * delivered after an update of the same second must not win.
     */
    updatedRank: integer('updated_rank').notNull().default(0),
  },
  (t) => [
    index('customers_email').on(t.email),
    index('customers_email_mode').on(t.emailNormalized, t.livemode),
    index('customers_name').on(t.name),
  ],
);

// ---------------------------------------------------------------- checkout and orders

export const ORDER_STATUSES = ['pending', 'paid', 'partially_refunded', 'refunded', 'canceled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const orders = sqliteTable(
  'orders',
  {
    id: text('id').primaryKey(),
    /** The cart (and so the buyer's cookie) that placed it. */
    cartId: text('cart_id').notNull(),
    cartVersion: integer('cart_version').notNull(),
    status: text('status', { enum: ORDER_STATUSES }).notNull().default('pending'),
    /** Payment sub-state shown to the buyer: awaiting | processing | paid | failed. */
    paymentStatus: text('payment_status').notNull().default('awaiting'),
    /** Set when an operator must look (amount mismatch, dispute). */
    flag: text('flag'),
    currency: text('currency').notNull(),
    subtotal: integer('subtotal').notNull(),
    shippingAmount: integer('shipping_amount').notNull().default(0),
    taxAmount: integer('tax_amount').notNull().default(0),
    total: integer('total').notNull(),
    amountReceived: integer('amount_received').notNull().default(0),
    amountRefunded: integer('amount_refunded').notNull().default(0),
    email: text('email'),
    customerId: text('customer_id'),
    shipping: text('shipping', { mode: 'json' }),
    checkoutSessionId: text('checkout_session_id'),
    paymentIntentId: text('payment_intent_id'),
    chargeId: text('charge_id'),
    receiptUrl: text('receipt_url'),
    paidAt: integer('paid_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('orders_status').on(t.status),
    index('orders_cart').on(t.cartId),
    uniqueIndex('orders_payment_intent').on(t.paymentIntentId),
    index('orders_charge').on(t.chargeId),
    index('orders_email').on(t.email),
    index('orders_customer').on(t.customerId),
  ],
);

export const orderLines = sqliteTable(
  'order_lines',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    productId: text('product_id').notNull(),
    storeId: text('store_id').notNull(),
    storeName: text('store_name').notNull(),
    name: text('name').notNull(),
    unitAmount: integer('unit_amount').notNull(),
    quantity: integer('quantity').notNull(),
    note: text('note').notNull().default(''),
    /** What the shopper paid for the line: unit_amount * quantity minus discount_amount. */
    amount: integer('amount').notNull(),
    /** The discount code's part of this line (largest-remainder allocation), minor units. */
    discountAmount: integer('discount_amount').notNull().default(0),
    /** Who funds `discount_amount`: 'platform' (out of the fee) or 'vendor' (out of the store's share). */
    discountFundedBy: text('discount_funded_by', { enum: ['platform', 'vendor'] }),
  },
  (t) => [
    index('order_lines_order').on(t.orderId),
    index('order_lines_store').on(t.storeId),
    // One line per product (the cart keys lines by product): a retried checkout writes nothing twice.
    uniqueIndex('order_lines_order_product').on(t.orderId, t.productId),
  ],
);

/** One attempt to pay for an order: a Checkout Session or a PaymentIntent. */
export const checkouts = sqliteTable(
  'checkouts',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    cartId: text('cart_id').notNull(),
    cartVersion: integer('cart_version').notNull(),
    kind: text('kind', { enum: ['checkout_session', 'payment_intent'] }).notNull(),
    /** cs_... or pi_...; null until Stripe answered. */
    stripeId: text('stripe_id'),
    url: text('url'),
    clientSecret: text('client_secret'),
    status: text('status', { enum: ['creating', 'open', 'complete', 'expired', 'failed'] })
      .notNull()
      .default('creating'),
    amount: integer('amount').notNull(),
    currency: text('currency').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    expiresAt: integer('expires_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('checkouts_stripe').on(t.stripeId),
    index('checkouts_cart').on(t.cartId, t.cartVersion),
    index('checkouts_order').on(t.orderId),
  ],
);

/** Units of limited-stock products held for an order between checkout and payment. */
export const stockReservations = sqliteTable(
  'stock_reservations',
  {
    orderId: text('order_id').notNull(),
    productId: text('product_id').notNull(),
    quantity: integer('quantity').notNull(),
    status: text('status', { enum: ['held', 'released', 'committed'] })
      .notNull()
      .default('held'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('stock_reservations_pk').on(t.orderId, t.productId)],
);

export const refunds = sqliteTable(
  'refunds',
  {
    /** Stripe refund id (re_...). */
    id: text('id').primaryKey(),
    orderId: text('order_id').notNull(),
    chargeId: text('charge_id'),
    amount: integer('amount').notNull(),
    currency: text('currency').notNull(),
    status: text('status').notNull(),
    reason: text('reason'),
    /** When vendor payouts were adjusted for this refund (onOrderRefunded); null = still to do. */
    payoutsAppliedAt: integer('payouts_applied_at'),
    createdAt: createdAt(),
  },
  (t) => [index('refunds_order').on(t.orderId)],
);

// ---------------------------------------------------------------- payouts

/**
 * held: waiting for the vendor's part to ship or be delivered (PAYOUT_RELEASE; `held_for`), then
 * pending; pending: not yet attempted (or re-queued by an operator); sending: claimed by the consumer, a Stripe
 * call may have happened, so refunds no longer shrink it; sent; partially_reversed / reversed: refunds
 * took part / all of a sent transfer back; failed (needs an operator); canceled: a refund before
 * sending took it to zero. Only src/payouts/ledger.ts writes it.
 */
export const TRANSFER_STATUSES = [
  'held',
  'pending',
  'sending',
  'sent',
  'partially_reversed',
  'reversed',
  'failed',
  'canceled',
] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];

/** One payout to one vendor for one order ("separate charges and transfers"). */
export const transfers = sqliteTable(
  'transfers',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id').notNull(),
    storeId: text('store_id').notNull(),
    destination: text('destination'),
    /** Vendor lines minus the platform fee, in minor units. */
    amount: integer('amount').notNull(),
    /** The platform's share of this vendor's lines. */
    fee: integer('fee').notNull(),
    /** `amount` when the order was paid, before any refund reduced it: the weight of refund splits. */
    initialAmount: integer('initial_amount').notNull().default(0),
    /** Bumped when an operator retries a failed transfer: a fresh idempotency key for Stripe. */
    generation: integer('generation').notNull().default(0),
    currency: text('currency').notNull(),
    status: text('status', { enum: TRANSFER_STATUSES }).notNull().default('pending'),
    stripeTransferId: text('stripe_transfer_id'),
    amountReversed: integer('amount_reversed').notNull().default(0),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    /** When the row was last handed to the queue (the cron re-sends rows left pending). */
    enqueuedAt: integer('enqueued_at'),
    /** While `held`: what releases it (the part shipping, or delivered plus `hold_days`). */
    heldFor: text('held_for', { enum: ['shipment', 'delivery'] }),
    holdDays: integer('hold_days').notNull().default(0),
    /**
     * What the transfer pays: `sale` (the vendor's share of the order, one per vendor) or
     * `dispute:<du_id>` (what a won dispute had recovered from the vendor, given back once).
     */
    purpose: text('purpose').notNull().default('sale'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('transfers_order_store').on(t.orderId, t.storeId, t.purpose),
    index('transfers_status').on(t.status),
    index('transfers_store').on(t.storeId),
  ],
);

/**
 * pending/sent/failed: a Stripe transfer reversal; applied: the transfer had not been sent, so its
 * amount was reduced instead; reducing: transient inside the D1 batch that applies it. Only
 * src/payouts/ledger.ts writes it.
 */
export const REVERSAL_STATUSES = ['pending', 'sent', 'failed', 'applied', 'reducing'] as const;
export type ReversalStatus = (typeof REVERSAL_STATUSES)[number];

/**
 * What refunds take back from one vendor's transfer. refund_id: `refunded:<total>` = catching up with
 * the vendor's share of that refunded total; `excess:<tr_id>` = a correction; older rows name a refund.
 */
export const transferReversals = sqliteTable(
  'transfer_reversals',
  {
    id: text('id').primaryKey(),
    transferId: text('transfer_id').notNull(),
    refundId: text('refund_id').notNull(),
    amount: integer('amount').notNull(),
    status: text('status', { enum: REVERSAL_STATUSES }).notNull().default('pending'),
    stripeReversalId: text('stripe_reversal_id'),
    attempts: integer('attempts').notNull().default(0),
    /** Bumped when an operator retries a failed reversal: a fresh idempotency key for Stripe. */
    generation: integer('generation').notNull().default(0),
    lastError: text('last_error'),
    enqueuedAt: integer('enqueued_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('transfer_reversals_refund').on(t.transferId, t.refundId),
    index('transfer_reversals_status').on(t.status),
  ],
);

/** Each refund of an order as payouts saw it: the cumulative base of proportional reversals. */
export const payoutRefunds = sqliteTable(
  'payout_refunds',
  {
    /** Stripe refund id (re_...). */
    refundId: text('refund_id').primaryKey(),
    orderId: text('order_id').notNull(),
    amount: integer('amount').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('payout_refunds_order').on(t.orderId)],
);

// ---------------------------------------------------------------- webhooks

export const WEBHOOK_STATUSES = ['received', 'processed', 'failed', 'ignored'] as const;

export const webhookEvents = sqliteTable(
  'webhook_events',
  {
    /** Stripe event id (evt_...). */
    id: text('id').primaryKey(),
    type: text('type').notNull(),
    account: text('account'),
    livemode: integer('livemode', { mode: 'boolean' }).notNull().default(false),
    /** Stripe's `created` of the event. */
    created: integer('created').notNull(),
    payload: text('payload').notNull(),
    status: text('status', { enum: WEBHOOK_STATUSES }).notNull().default('received'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    receivedAt: createdAt(),
    processedAt: integer('processed_at'),
  },
  (t) => [index('webhook_events_type').on(t.type), index('webhook_events_status').on(t.status)],
);

// ---------------------------------------------------------------- subscriptions

/**
 * Stripe's subscription statuses. `canceled` and `incomplete_expired` are final: no event moves a row
 * out of them (src/subscriptions/lifecycle.ts).
 */
export const SUBSCRIPTION_STATUSES = [
  'incomplete',
  'incomplete_expired',
  'trialing',
  'active',
  'past_due',
  'unpaid',
  'paused',
  'canceled',
] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/** One Stripe subscription bought through checkout (one per checkout; it may hold several products). */
export const subscriptions = sqliteTable(
  'subscriptions',
  {
    /** Stripe subscription id (sub_...). */
    id: text('id').primaryKey(),
    customerId: text('customer_id').notNull(),
    status: text('status').notNull(),
    /** The first recurring product (the subscription's name); every product is in subscription_items. */
    productId: text('product_id'),
    currentPeriodEnd: integer('current_period_end'),
    cancelAtPeriodEnd: integer('cancel_at_period_end', { mode: 'boolean' }).notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    /** The checkout's order: the first period's order. */
    orderId: text('order_id'),
    /** The buyer's normalised e-mail: one subscription per e-mail and product. */
    email: text('email'),
    currency: text('currency').notNull().default('usd'),
    interval: text('interval', { enum: ['day', 'week', 'month', 'year'] })
      .notNull()
      .default('month'),
    /** What each period bills (recurring lines), minor units. */
    amount: integer('amount').notNull().default(0),
    currentPeriodStart: integer('current_period_start'),
    canceledAt: integer('canceled_at'),
    /** The `created` of the newest event applied: an older one never wins. */
    lastEventAt: integer('last_event_at').notNull().default(0),
    /** When the subscription first became active and the customer was provisioned (welcome mail). */
    provisionedAt: integer('provisioned_at'),
  },
  (t) => [index('subscriptions_customer').on(t.customerId), index('subscriptions_email').on(t.email)],
);

// ---------------------------------------------------------------- vendors
// ---------------------------------------------------------------- vendors

export const contactMessages = sqliteTable(
  'contact_messages',
  {
    id: text('id').primaryKey(),
    storeId: text('store_id').notNull(),
    name: text('name').notNull(),
    email: text('email').notNull(),
    message: text('message').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('contact_messages_store').on(t.storeId)],
);

/**
 * The Connect account behind a store, and the `created` of the newest account event applied to it:
 * an older event arriving late never overwrites newer state.
 */
export const vendorAccounts = sqliteTable(
  'vendor_accounts',
  {
    /** Stripe account id (acct_...). */
    accountId: text('account_id').primaryKey(),
    storeId: text('store_id').notNull(),
    lastEventAt: integer('last_event_at').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('vendor_accounts_store').on(t.storeId)],
);

/** One-time sign-in links for vendors; only the SHA-256 of the token is stored. */
export const vendorLoginTokens = sqliteTable('vendor_login_tokens', {
  tokenHash: text('token_hash').primaryKey(),
  storeId: text('store_id').notNull(),
  expiresAt: integer('expires_at').notNull(),
  usedAt: integer('used_at'),
  createdAt: createdAt(),
});

// ---------------------------------------------------------------- shopper accounts

/** One-time sign-in links for shoppers (by e-mail); only the SHA-256 of the token is stored. */
export const shopperLoginTokens = sqliteTable(
  'shopper_login_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    /** The normalised e-mail the link signs in as. */
    email: text('email').notNull(),
    expiresAt: integer('expires_at').notNull(),
    usedAt: integer('used_at'),
    createdAt: createdAt(),
  },
  (t) => [index('shopper_login_tokens_expires').on(t.expiresAt)],
);

/**
 * Recent attempts of a rate-limited action, one row each: `bucket` names the action and a SHA-256 of
 * who made it (an address, an IP), so no personal data is kept. Rows older than the window are pruned.
 */
export const rateLimitHits = sqliteTable(
  'rate_limit_hits',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    bucket: text('bucket').notNull(),
    at: integer('at').notNull(),
  },
  (t) => [index('rate_limit_hits_bucket').on(t.bucket, t.at)],
);

// ---------------------------------------------------------------- outbox

/** queued: waiting for (or being retried by) the NOTIFY consumer; sent; failed: an operator may resend. */
export const MESSAGE_STATUSES = ['queued', 'sent', 'failed'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/**
 * Every message the system sends (src/notifications). Written in the batch that makes the reason for
 * it; the NOTIFY consumer renders it from `data` and sends it. Payout rows are their own outbox.
 */
export const outbox = sqliteTable(
  'outbox',
  {
    id: text('id').primaryKey(),
    kind: text('kind').notNull(),
    /** One message per key: a webhook delivered three times queues it once. */
    idempotencyKey: text('idempotency_key'),
    /** Recipient address; for order mail it may be resolved from the order when the message is sent. */
    recipient: text('recipient'),
    /** What the template is rendered from (ids, or the template's data for self-contained kinds). */
    data: text('data', { mode: 'json' }).$type<Record<string, unknown>>(),
    /** The rendered parts, filled in when the message is sent. */
    subject: text('subject'),
    body: text('body').notNull(),
    html: text('html'),
    status: text('status', { enum: MESSAGE_STATUSES }).notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    /** Times an operator asked to send it again: part of the provider's idempotency key, so a resend does go out. */
    resends: integer('resends').notNull().default(0),
    lastError: text('last_error'),
    /** The transport's id for the sent message (Resend id, Cloudflare message id, catcher row). */
    transportId: text('transport_id'),
    /** Last hand-off to the NOTIFY queue (or the time a retry is due); null = never handed off. */
    enqueuedAt: integer('enqueued_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    sentAt: integer('sent_at'),
  },
  (t) => [
    index('outbox_status').on(t.status, t.enqueuedAt),
    uniqueIndex('outbox_idempotency_key').on(t.idempotencyKey),
    index('outbox_created').on(t.createdAt),
  ],
);

/** The dev and test mail catcher (MAIL_TRANSPORT=catcher): what would have left the machine, at /__mail. */
export const caughtMail = sqliteTable(
  'caught_mail',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The outbox row it was sent for. */
    messageId: text('message_id'),
    kind: text('kind'),
    from: text('from_address').notNull(),
    to: text('to_address').notNull(),
    replyTo: text('reply_to'),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    html: text('html').notNull(),
    headers: text('headers', { mode: 'json' }).$type<Record<string, string>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('caught_mail_to').on(t.to)],
);

// ---------------------------------------------------------------- subscriptions: items and periods

/** The recurring products of a subscription, as the checkout's order snapshot priced them. */
export const subscriptionItems = sqliteTable(
  'subscription_items',
  {
    subscriptionId: text('subscription_id').notNull(),
    productId: text('product_id').notNull(),
    storeId: text('store_id').notNull(),
    storeName: text('store_name').notNull(),
    name: text('name').notNull(),
    unitAmount: integer('unit_amount').notNull(),
    quantity: integer('quantity').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('subscription_items_pk').on(t.subscriptionId, t.productId),
    index('subscription_items_product').on(t.productId),
  ],
);

/** One billing period: a Stripe invoice of a subscription and the order it became once paid. */
export const subscriptionInvoices = sqliteTable(
  'subscription_invoices',
  {
    /** Stripe invoice id (in_...). */
    id: text('id').primaryKey(),
    subscriptionId: text('subscription_id').notNull(),
    orderId: text('order_id'),
    /** open (awaiting payment) | paid | failed (last attempt failed; still open at Stripe) | void */
    status: text('status', { enum: ['open', 'paid', 'failed', 'void'] }).notNull(),
    billingReason: text('billing_reason'),
    amount: integer('amount').notNull(),
    currency: text('currency').notNull(),
    periodStart: integer('period_start'),
    periodEnd: integer('period_end'),
    hostedInvoiceUrl: text('hosted_invoice_url'),
    attemptCount: integer('attempt_count').notNull().default(0),
    nextPaymentAttempt: integer('next_payment_attempt'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('subscription_invoices_subscription').on(t.subscriptionId, t.createdAt)],
);

// ---------------------------------------------------------------- fulfilment

/**
 * One vendor's part of an order: unfulfilled → partially_shipped → shipped → delivered, or cancelled
 * before it ships in full. Only forward; only src/fulfilment writes it.
 */
export const PART_STATUSES = [
  'unfulfilled',
  'partially_shipped',
  'shipped',
  'delivered',
  'cancelled',
] as const;
export type PartStatus = (typeof PART_STATUSES)[number];

/** One vendor's share of an order (their lines), written in the batch that marks the order paid. */
export const orderParts = sqliteTable(
  'order_parts',
  {
    orderId: text('order_id').notNull(),
    storeId: text('store_id').notNull(),
    status: text('status', { enum: PART_STATUSES }).notNull().default('unfulfilled'),
    /** Bumped by every change: writers act only on the version they read. */
    version: integer('version').notNull().default(0),
    /** The writer that last bumped `version`: the batch's later statements act only if it is theirs. */
    lockToken: text('lock_token'),
    shippedAt: integer('shipped_at'),
    deliveredAt: integer('delivered_at'),
    /** vendor | shopper | operator | auto. */
    deliveredBy: text('delivered_by'),
    cancelledAt: integer('cancelled_at'),
    cancelReason: text('cancel_reason'),
    /** What a cancel refunds (unshipped lines; the shipping too when the whole order is cancelled). */
    cancelRefundAmount: integer('cancel_refund_amount').notNull().default(0),
    /** What the vendor gives back for the cancel (their transfer reduced or reversed by it). */
    cancelVendorAmount: integer('cancel_vendor_amount').notNull().default(0),
    /** The Stripe refund of the cancel (re_...); null while it is still to be made (the cron retries). */
    cancelRefundId: text('cancel_refund_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.orderId, t.storeId] }),
    index('order_parts_store_status').on(t.storeId, t.status, t.createdAt),
    index('order_parts_status_shipped').on(t.status, t.shippedAt),
  ],
);

/** A parcel a vendor sent for their part of an order. */
export const shipments = sqliteTable(
  'shipments',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id').notNull(),
    storeId: text('store_id').notNull(),
    carrier: text('carrier').notNull(),
    trackingNumber: text('tracking_number').notNull(),
    /** http(s) only. */
    trackingUrl: text('tracking_url'),
    createdAt: createdAt(),
  },
  (t) => [index('shipments_order').on(t.orderId, t.storeId)],
);

/** What a shipment holds: units of one order line. */
export const shipmentLines = sqliteTable(
  'shipment_lines',
  {
    shipmentId: text('shipment_id').notNull(),
    orderId: text('order_id').notNull(),
    productId: text('product_id').notNull(),
    quantity: integer('quantity').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.shipmentId, t.productId] }),
    index('shipment_lines_order').on(t.orderId, t.productId),
  ],
);

/**
 * A refund that answers one vendor's part (a cancel or a return): the vendor gives back `vendor_amount`
 * (from their transfer only) instead of a pro-rata share. Read from the refund's metadata.
 */
export const refundAttributions = sqliteTable(
  'refund_attributions',
  {
    /** Stripe refund id (re_...). */
    refundId: text('refund_id').primaryKey(),
    orderId: text('order_id').notNull(),
    storeId: text('store_id').notNull(),
    vendorAmount: integer('vendor_amount').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('refund_attributions_order').on(t.orderId)],
);

export const RETURN_STATUSES = ['requested', 'approved', 'declined'] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];

/** A shopper's request to be refunded for shipped lines of one vendor's part; decided once, kept as history. */
export const returnRequests = sqliteTable(
  'return_requests',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id').notNull(),
    storeId: text('store_id').notNull(),
    status: text('status', { enum: RETURN_STATUSES }).notNull().default('requested'),
    reason: text('reason').notNull(),
    /** [{ productId, quantity }] */
    items: text('items', { mode: 'json' }).$type<{ productId: string; quantity: number }[]>().notNull(),
    /** What the shopper gets back (the lines' price), minor units. */
    amount: integer('amount').notNull(),
    /** What the vendor gives back of it (the lines minus the platform's fee). */
    vendorAmount: integer('vendor_amount').notNull(),
    restock: integer('restock', { mode: 'boolean' }).notNull().default(false),
    decidedBy: text('decided_by'),
    decisionReason: text('decision_reason'),
    decidedAt: integer('decided_at'),
    /** Unique per decision: the batch that decided restocks, a concurrent second approval does not. */
    decisionToken: text('decision_token'),
    /** The Stripe refund of an approved request; null while still to be made (the cron retries). */
    refundId: text('refund_id'),
    createdAt: createdAt(),
  },
  (t) => [
    index('return_requests_order').on(t.orderId),
    index('return_requests_store').on(t.storeId, t.status),
  ],
);

// ---------------------------------------------------------------- discounts

/**
 * A discount code. `code` is stored normalised (trimmed, lower-cased): codes are case-insensitive.
 * Exactly one of percent_off (1..100) and amount_off (minor units) is set, or neither for a
 * free-shipping-only code. Scope: store_id (one vendor's products) and/or product_ids (listed products);
 * neither = the whole cart.
 */
export const discounts = sqliteTable(
  'discounts',
  {
    id: text('id').primaryKey(),
    code: text('code').notNull(),
    percentOff: integer('percent_off'),
    amountOff: integer('amount_off'),
    fundedBy: text('funded_by', { enum: ['platform', 'vendor'] }).notNull(),
    storeId: text('store_id'),
    productIds: text('product_ids', { mode: 'json' }).$type<string[]>(),
    minSubtotal: integer('min_subtotal').notNull().default(0),
    freeShipping: integer('free_shipping', { mode: 'boolean' }).notNull().default(false),
    startsAt: integer('starts_at'),
    endsAt: integer('ends_at'),
    maxRedemptions: integer('max_redemptions'),
    /** Paid orders that redeemed the code: kept equal to count(discount_redemptions) by the paid batch. */
    redemptions: integer('redemptions').notNull().default(0),
    oncePerCustomer: integer('once_per_customer', { mode: 'boolean' }).notNull().default(false),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    /** 'admin' for operators' codes, else the store whose vendor created it. */
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('discounts_code').on(t.code), index('discounts_store').on(t.storeId)],
);

/** One paid order's use of a code. At most one per order, and one per customer for once-per-customer codes. */
export const discountRedemptions = sqliteTable(
  'discount_redemptions',
  {
    orderId: text('order_id').primaryKey(),
    discountId: text('discount_id').notNull(),
    /** The buyer's normalised e-mail, only for once-per-customer codes (unique per code). */
    customerKey: text('customer_key'),
    createdAt: createdAt(),
  },
  (t) => [
    index('discount_redemptions_discount').on(t.discountId),
    uniqueIndex('discount_redemptions_customer').on(t.discountId, t.customerKey),
  ],
);

/** The code an order was priced with: its snapshot (the per-line part is on order_lines). */
export const orderDiscounts = sqliteTable('order_discounts', {
  orderId: text('order_id').primaryKey(),
  discountId: text('discount_id').notNull(),
  code: text('code').notNull(),
  fundedBy: text('funded_by', { enum: ['platform', 'vendor'] }).notNull(),
  storeId: text('store_id'),
  /** The lines' discount in all (sum of order_lines.discount_amount). */
  amount: integer('amount').notNull(),
  /** Shipping taken off by a free-shipping code (always the platform's). */
  shippingAmount: integer('shipping_amount').notNull().default(0),
  oncePerCustomer: integer('once_per_customer', { mode: 'boolean' }).notNull().default(false),
  createdAt: createdAt(),
});

// ---------------------------------------------------------------- catalog: categories and search

/**
 * The platform-wide list of categories shoppers browse by; a store's categories are those its products
 * are in. The slug is the key and the URL (`/categories/<slug>`, `?category=<slug>`).
 */
export const categories = sqliteTable('categories', {
  slug: text('slug').primaryKey(),
  name: text('name').notNull(),
  createdAt: createdAt(),
});

/** A product's category (at most one), set by its vendor in the dashboard. */
export const productCategories = sqliteTable(
  'product_categories',
  {
    productId: text('product_id')
      .primaryKey()
      .references(() => products.id),
    categorySlug: text('category_slug')
      .notNull()
      .references(() => categories.slug),
  },
  (t) => [index('product_categories_category').on(t.categorySlug)],
);

// ---------------------------------------------------------------- disputes

export const DISPUTE_STATUSES = [
  'warning_needs_response',
  'warning_under_review',
  'warning_closed',
  'needs_response',
  'under_review',
  'won',
  'lost',
  'prevented',
] as const;
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];

/**
 * A Stripe dispute of an order's charge, as the newest event we saw describes it (status only moves
 * forward). src/disputes owns it; the money it moves goes through src/payouts.
 */
export const disputes = sqliteTable(
  'disputes',
  {
    /** Stripe dispute id (du_...). */
    id: text('id').primaryKey(),
    orderId: text('order_id').notNull(),
    chargeId: text('charge_id').notNull(),
    amount: integer('amount').notNull(),
    currency: text('currency').notNull(),
    reason: text('reason').notNull(),
    status: text('status', { enum: DISPUTE_STATUSES }).notNull(),
    /** When Stripe took the disputed amount from the balance, and when it gave it back (won). */
    fundsWithdrawnAt: integer('funds_withdrawn_at'),
    fundsReinstatedAt: integer('funds_reinstated_at'),
    /** When the dispute reached won or lost. */
    closedAt: integer('closed_at'),
    /** Stripe's `created` of the dispute, and of the newest event applied to this row. */
    disputedAt: integer('disputed_at').notNull(),
    lastEventAt: integer('last_event_at').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('disputes_order').on(t.orderId), index('disputes_charge').on(t.chargeId)],
);
