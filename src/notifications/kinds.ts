// Every kind of message: what its outbox row stores (checked with zod when it is sent), how that
// becomes the template's data (order mail reads the order when it is sent, so the batch that queues
// it only needs ids), and its template.
import { and, eq, notInArray } from 'drizzle-orm';
import * as z from 'zod';
import type { Db } from '../db/client';
import { schema, rowById } from '../db/client';
import { signedOrderPath } from '../lib/order-link';
import { absoluteUrl, type MailConfig } from './config';
import { PermanentError } from './errors';
import { contactMessage, shopperSignIn, subscriptionWelcome, vendorSignIn } from './templates/accounts';
import {
  orderReceipt,
  paymentFailed,
  refundIssued,
  shipmentNotice,
  vendorNewOrder,
} from './templates/orders';
import { subscriptionRenewalFailed } from './templates/subscriptions';
import type { MailAddress, MailLine, Rendered, TemplateContext } from './templates/types';
import { vendorPartNotice } from './templates/fulfilment';
import { vendorDisputeNotice } from './templates/disputes';

/** What loading a message needs. */
interface LoadContext {
  db: Db;
  config: MailConfig;
  env: Pick<Env, 'COOKIE_SECRET'>;
}

/** A message ready for a template: its recipient (if the kind resolves one) and the rendered parts. */
export interface Prepared extends Rendered {
  to: string | null;
  replyTo?: string;
}

interface KindSpec<S extends z.ZodType> {
  data: S;
  /** Its body is a credential (a sign-in link): withheld from logs and, once sent in production, from D1. */
  secret?: boolean;
  prepare(data: z.infer<S>, lc: LoadContext, tc: TemplateContext): Promise<Prepared>;
}

const id = z.string().min(1).max(100);
const path = z.string().startsWith('/').max(2000);
const shortText = z.string().max(10_000);

function spec<S extends z.ZodType>(s: KindSpec<S>): KindSpec<S> {
  return s;
}

// ------------------------------------------------------------------ order data, read when sending

type OrderRow = typeof schema.orders.$inferSelect;
type LineRow = typeof schema.orderLines.$inferSelect;

async function loadOrder(db: Db, orderId: string): Promise<{ order: OrderRow; lines: LineRow[] }> {
  const order = await rowById(db, schema.orders, orderId);
  // Deleted (or never committed): nothing to tell anyone about, and retrying will not bring it back.
  if (!order) throw new PermanentError(`Order ${orderId} no longer exists.`);
  const lines = await db
    .select()
    .from(schema.orderLines)
    .where(eq(schema.orderLines.orderId, orderId))
    .orderBy(schema.orderLines.id);
  return { order, lines };
}

const toMailLine = (l: LineRow): MailLine => ({
  name: l.name,
  quantity: l.quantity,
  unitAmount: l.unitAmount,
  amount: l.amount,
  vendor: l.storeName,
  note: l.note || undefined,
  ...(l.discountAmount > 0 ? { discountAmount: l.discountAmount, discountFundedBy: l.discountFundedBy } : {}),
});

/** The order's shipping address as stored from Stripe (`{ name, address: { line1, postal_code, ... } }`). */
function shippingOf(order: OrderRow): MailAddress | null {
  const s = order.shipping as
    { name?: string | null; address?: Record<string, string | null | undefined> | null } | null | undefined;
  if (!s || typeof s !== 'object') return null;
  const a = s.address ?? {};
  return {
    name: s.name ?? null,
    line1: a.line1 ?? null,
    line2: a.line2 ?? null,
    city: a.city ?? null,
    state: a.state ?? null,
    postalCode: a.postal_code ?? null,
    country: a.country ?? null,
  };
}

async function orderUrl(lc: LoadContext, orderId: string): Promise<string> {
  return absoluteUrl(lc.config, await signedOrderPath(lc.env, orderId));
}

async function storeOf(db: Db, storeId: string) {
  const store = await rowById(db, schema.stores, storeId);
  if (!store) throw new PermanentError(`Store ${storeId} no longer exists.`);
  return store;
}

// ------------------------------------------------------------------ the kinds

export const KINDS = {
  order_receipt: spec({
    data: z.object({ orderId: id }),
    async prepare({ orderId }, lc, tc) {
      const { order, lines } = await loadOrder(lc.db, orderId);
      const rendered = await orderReceipt(
        {
          orderId,
          currency: order.currency,
          lines: lines.map(toMailLine),
          subtotal: order.subtotal,
          shippingAmount: order.shippingAmount,
          taxAmount: order.taxAmount,
          total: order.amountReceived || order.total,
          shippingAddress: shippingOf(order),
          orderUrl: await orderUrl(lc, orderId),
        },
        tc,
      );
      return { ...rendered, to: order.email };
    },
  }),
  vendor_new_order: spec({
    data: z.object({ orderId: id, storeId: id }),
    async prepare({ orderId, storeId }, lc, tc) {
      const { order, lines } = await loadOrder(lc.db, orderId);
      const own = lines.filter((l) => l.storeId === storeId);
      if (own.length === 0) throw new PermanentError(`Order ${orderId} has no lines of store ${storeId}.`);
      const store = await storeOf(lc.db, storeId);
      const rendered = await vendorNewOrder(
        {
          orderId,
          storeName: store.name,
          currency: order.currency,
          lines: own.map(toMailLine),
          total: own.reduce((s, l) => s + l.amount, 0),
          shippingAddress: shippingOf(order),
          dashboardUrl: absoluteUrl(lc.config, '/vendor'),
        },
        tc,
      );
      return { ...rendered, to: store.supportEmail ?? store.email };
    },
  }),
  payment_failed: spec({
    data: z.object({ orderId: id }),
    async prepare({ orderId }, lc, tc) {
      const { order, lines } = await loadOrder(lc.db, orderId);
      const rendered = await paymentFailed(
        {
          orderId,
          currency: order.currency,
          total: order.total,
          lines: lines.map(toMailLine),
          retryUrl: absoluteUrl(lc.config, '/cart'),
          orderUrl: await orderUrl(lc, orderId),
        },
        tc,
      );
      return { ...rendered, to: order.email };
    },
  }),
  refund_issued: spec({
    data: z.object({ orderId: id, refundId: id }),
    async prepare({ orderId, refundId }, lc, tc) {
      const { order, lines } = await loadOrder(lc.db, orderId);
      const refund = await rowById(lc.db, schema.refunds, refundId);
      if (!refund || refund.orderId !== orderId)
        throw new PermanentError(`Refund ${refundId} of order ${orderId} no longer exists.`);
      const all = await lc.db
        .select({ amount: schema.refunds.amount })
        .from(schema.refunds)
        .where(
          and(eq(schema.refunds.orderId, orderId), notInArray(schema.refunds.status, ['failed', 'canceled'])),
        );
      const refunded = Math.max(
        order.amountRefunded,
        all.reduce((s, r) => s + r.amount, 0),
      );
      const rendered = await refundIssued(
        {
          orderId,
          currency: refund.currency,
          amount: refund.amount,
          totalRefunded: refunded,
          orderTotal: order.amountReceived || order.total,
          lines: lines.map(toMailLine),
          orderUrl: await orderUrl(lc, orderId),
        },
        tc,
      );
      return { ...rendered, to: order.email };
    },
  }),
  shipment_notice: spec({
    data: z.object({
      orderId: id,
      storeId: id,
      carrier: z.string().max(100).nullish(),
      trackingNumber: z.string().max(100).nullish(),
      trackingUrl: z
        .url({ protocol: /^https?$/ })
        .max(2000)
        .nullish(),
    }),
    async prepare(d, lc, tc) {
      const { order, lines } = await loadOrder(lc.db, d.orderId);
      const own = lines.filter((l) => l.storeId === d.storeId);
      if (own.length === 0)
        throw new PermanentError(`Order ${d.orderId} has no lines of store ${d.storeId}.`);
      const store = await storeOf(lc.db, d.storeId);
      const rendered = await shipmentNotice(
        {
          orderId: d.orderId,
          storeName: store.name,
          lines: own.map(toMailLine),
          carrier: d.carrier,
          trackingNumber: d.trackingNumber,
          trackingUrl: d.trackingUrl,
          shippingAddress: shippingOf(order),
          orderUrl: await orderUrl(lc, d.orderId),
        },
        tc,
      );
      return { ...rendered, to: order.email };
    },
  }),
  vendor_part_notice: spec({
    data: z.object({
      orderId: id,
      storeId: id,
      event: z.enum(['cancelled', 'return_requested']),
      reason: z.string().max(1000).nullable(),
    }),
    async prepare(d, lc, tc) {
      const store = await storeOf(lc.db, d.storeId);
      const rendered = await vendorPartNotice(
        {
          orderId: d.orderId,
          storeName: store.name,
          event: d.event,
          reason: d.reason,
          dashboardUrl: absoluteUrl(lc.config, d.event === 'cancelled' ? '/vendor' : '/vendor/returns'),
        },
        tc,
      );
      return { ...rendered, to: store.supportEmail ?? store.email };
    },
  }),
  vendor_dispute_notice: spec({
    data: z.object({
      orderId: id,
      storeId: id,
      event: z.enum(['opened', 'won', 'lost']),
      amount: z.number().int().nonnegative(),
      currency: z.string().length(3),
    }),
    async prepare(d, lc, tc) {
      const store = await storeOf(lc.db, d.storeId);
      const rendered = await vendorDisputeNotice(
        { ...d, storeName: store.name, dashboardUrl: absoluteUrl(lc.config, '/vendor') },
        tc,
      );
      return { ...rendered, to: store.supportEmail ?? store.email };
    },
  }),
  vendor_sign_in: spec({
    secret: true,
    data: z.object({ storeName: shortText, path, minutes: z.number().int().positive() }),
    async prepare(d, lc, tc) {
      const url = absoluteUrl(lc.config, d.path);
      return { ...(await vendorSignIn({ storeName: d.storeName, url, minutes: d.minutes }, tc)), to: null };
    },
  }),
  shopper_sign_in: spec({
    secret: true,
    data: z.object({ path, minutes: z.number().int().positive() }),
    async prepare(d, lc, tc) {
      const url = absoluteUrl(lc.config, d.path);
      return { ...(await shopperSignIn({ url, minutes: d.minutes }, tc)), to: null };
    },
  }),
  contact_message: spec({
    data: z.object({
      storeName: shortText,
      fromName: shortText,
      fromEmail: z.email().max(254),
      message: z.string().max(20_000),
    }),
    async prepare(d, _lc, tc) {
      return { ...(await contactMessage(d, tc)), to: null, replyTo: d.fromEmail };
    },
  }),
  subscription_welcome: spec({
    data: z.object({
      name: shortText.nullish(),
      planName: shortText,
      currency: z.string().regex(/^[a-z]{3}$/),
      amount: z.number().int().nonnegative(),
      interval: z.enum(['day', 'week', 'month', 'year']),
      managePath: path.nullish(),
    }),
    async prepare(d, lc, tc) {
      const { managePath, ...rest } = d;
      const manageUrl = managePath ? absoluteUrl(lc.config, managePath) : null;
      return { ...(await subscriptionWelcome({ ...rest, manageUrl }, tc)), to: null };
    },
  }),
  subscription_renewal_failed: spec({
    data: z.object({
      name: shortText.nullish(),
      planName: shortText,
      currency: z.string().regex(/^[a-z]{3}$/),
      amount: z.number().int().nonnegative(),
      payUrl: z.url().max(2000).nullish(),
      managePath: path.nullish(),
    }),
    async prepare(d, lc, tc) {
      const { managePath, ...rest } = d;
      const manageUrl = managePath ? absoluteUrl(lc.config, managePath) : null;
      return { ...(await subscriptionRenewalFailed({ ...rest, manageUrl }, tc)), to: null };
    },
  }),
} as const;

export type MessageKind = keyof typeof KINDS;
/** The stored data of each kind. */
export type MessageData<K extends MessageKind> = z.infer<(typeof KINDS)[K]['data']>;

/** Kinds whose body is a credential. */
export const SECRET_KINDS: ReadonlySet<string> = new Set(
  Object.entries(KINDS)
    .filter(([, s]) => (s as { secret?: boolean }).secret)
    .map(([k]) => k),
);

export function isMessageKind(kind: string): kind is MessageKind {
  return Object.hasOwn(KINDS, kind);
}
