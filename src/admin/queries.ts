// What the admin lists and shows, loaded once for both the pages and the JSON API.
import { orderDiscountOf } from '../discounts/store';
import { count, desc, eq, inArray, isNotNull, or, sql } from 'drizzle-orm';
import * as z from 'zod';
import type { Db } from '../db/client';
import { partsOfOrder } from '../fulfilment/parts';
import { returnsOfOrder } from '../fulfilment/returns';
import { disputesOfOrder } from '../disputes/view';
import { schema, rowById } from '../db/client';
import { getOrder } from '../orders/model';
import { MESSAGE_STATUSES, ORDER_STATUSES, TRANSFER_STATUSES, WEBHOOK_STATUSES } from '../db/schema';
import { NotFoundError } from '../lib/errors';
import { storeStatus } from '../catalog/stores';
import { getStoredEvent, listEvents } from '../webhooks/log';

const limit = z.coerce.number().int().min(1).max(200).default(50);
const offset = z.coerce.number().int().min(0).max(100_000).default(0);
/** An empty `?status=` (the filter form's "any") means no filter. */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

export const pageQuery = z.object({ limit, offset });
export const orderQuery = z.object({ limit, offset, status: optional(z.enum(ORDER_STATUSES)) });
export const transferQuery = z.object({ limit, offset, status: optional(z.enum(TRANSFER_STATUSES)) });
export const messageQuery = z.object({ limit, offset, status: optional(z.enum(MESSAGE_STATUSES)) });
/** The original service's `GET /webhooks/stripe/logs`: several statuses, comma-separated. */
export const eventLogQuery = z.object({
  type: z
    .string()
    .regex(/^[a-z0-9_.]{1,100}$/, 'an event type such as checkout.session.completed')
    .optional(),
  status: z
    .string()
    .transform((s) => s.split(',').filter(Boolean))
    .pipe(z.array(z.enum(WEBHOOK_STATUSES)))
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const eventQuery = z.object({
  limit,
  type: optional(z.string().regex(/^[a-z0-9_.]{1,100}$/, 'an event type such as account.updated')),
  status: optional(z.enum(WEBHOOK_STATUSES)),
});

// ------------------------------------------------------------------ stores

/** Stores with their status and product count, newest first. */
export async function listStores(db: Db, q: z.infer<typeof pageQuery>) {
  // A join and GROUP BY, not a correlated subquery: drizzle renders a column inside `sql` unqualified
  // ("id"), which inside `FROM products` meant the product's own id and counted nothing.
  const rows = await db
    .select({ store: schema.stores, products: count(schema.products.id) })
    .from(schema.stores)
    .leftJoin(schema.products, eq(schema.products.storeId, schema.stores.id))
    .groupBy(schema.stores.id)
    .orderBy(desc(schema.stores.createdAt), desc(schema.stores.id))
    .limit(q.limit)
    .offset(q.offset);
  return rows.map((r) => ({ ...r.store, status: storeStatus(r.store), productCount: r.products }));
}

/** One store with its products, payouts and recent contact messages. */
export async function getStoreDetail(db: Db, id: string) {
  const store = await rowById(db, schema.stores, id);
  if (!store) throw new NotFoundError(`No store ${id}.`);
  const [products, transfers, messages] = await Promise.all([
    db
      .select()
      .from(schema.products)
      .where(eq(schema.products.storeId, id))
      .orderBy(desc(schema.products.createdAt)),
    db
      .select()
      .from(schema.transfers)
      .where(eq(schema.transfers.storeId, id))
      .orderBy(desc(schema.transfers.createdAt))
      .limit(50),
    db
      .select()
      .from(schema.contactMessages)
      .where(eq(schema.contactMessages.storeId, id))
      .orderBy(desc(schema.contactMessages.createdAt))
      .limit(20),
  ]);
  return { store: { ...store, status: storeStatus(store) }, products, transfers, contactMessages: messages };
}

// ------------------------------------------------------------------ transfers with their store

/** Transfers joined to their store's name; the caller adds where, order and limit. */
function transfersWithStoreName(db: Db) {
  return db
    .select({ transfer: schema.transfers, storeName: schema.stores.name })
    .from(schema.transfers)
    .leftJoin(schema.stores, eq(schema.stores.id, schema.transfers.storeId));
}

/** A transfer row as the pages and the API show it: its columns plus `storeName`. */
function flattenStoreName<T>(r: { transfer: T; storeName: string | null }) {
  return { ...r.transfer, storeName: r.storeName };
}

// ------------------------------------------------------------------ orders

/** Orders, newest first, optionally of one status. */
export async function listOrders(db: Db, q: z.infer<typeof orderQuery>) {
  return db
    .select()
    .from(schema.orders)
    .where(q.status ? eq(schema.orders.status, q.status) : undefined)
    .orderBy(desc(schema.orders.createdAt), desc(schema.orders.id))
    .limit(q.limit)
    .offset(q.offset);
}

/** One order with its lines, payment attempts, transfers (and reversals), refunds and Stripe events. */
export async function getOrderDetail(db: Db, id: string) {
  const order = await getOrder(db, id);
  if (!order) throw new NotFoundError(`No order ${id}.`);
  const [lines, checkouts, transferRows, refunds] = await Promise.all([
    db.select().from(schema.orderLines).where(eq(schema.orderLines.orderId, id)),
    db
      .select()
      .from(schema.checkouts)
      .where(eq(schema.checkouts.orderId, id))
      .orderBy(desc(schema.checkouts.createdAt)),
    transfersWithStoreName(db).where(eq(schema.transfers.orderId, id)),
    db
      .select()
      .from(schema.refunds)
      .where(eq(schema.refunds.orderId, id))
      .orderBy(desc(schema.refunds.createdAt)),
  ]);
  const transfers = transferRows.map(flattenStoreName);
  const reversals = transfers.length
    ? await db
        .select()
        .from(schema.transferReversals)
        .where(
          inArray(
            schema.transferReversals.transferId,
            transfers.map((t) => t.id),
          ),
        )
    : [];
  // Events name the order through its Stripe ids (or, for transfers, the transfer group = order id).
  const needles = [
    id,
    order.paymentIntentId,
    order.chargeId,
    order.checkoutSessionId,
    ...checkouts.map((c) => c.stripeId),
  ]
    .filter((s): s is string => Boolean(s))
    .filter((s, i, all) => all.indexOf(s) === i);
  const events = await db
    .select({
      id: schema.webhookEvents.id,
      type: schema.webhookEvents.type,
      status: schema.webhookEvents.status,
      created: schema.webhookEvents.created,
      lastError: schema.webhookEvents.lastError,
    })
    .from(schema.webhookEvents)
    // instr, not LIKE: D1 caps LIKE patterns at 50 bytes and Checkout Session ids are longer.
    .where(or(...needles.map((n) => sql`instr(${schema.webhookEvents.payload}, ${`"${n}"`}) > 0`)))
    .orderBy(desc(schema.webhookEvents.created))
    .limit(100);
  return {
    order,
    lines,
    discount: await orderDiscountOf(db, id),
    payment: {
      status: order.paymentStatus,
      paymentIntentId: order.paymentIntentId,
      chargeId: order.chargeId,
      checkoutSessionId: order.checkoutSessionId,
      amountReceived: order.amountReceived,
      amountRefunded: order.amountRefunded,
      receiptUrl: order.receiptUrl,
      attempts: checkouts.map((c) => ({
        id: c.id,
        kind: c.kind,
        stripeId: c.stripeId,
        status: c.status,
        amount: c.amount,
        currency: c.currency,
        createdAt: c.createdAt,
      })),
    },
    transfers: transfers.map((t) => ({ ...t, reversals: reversals.filter((r) => r.transferId === t.id) })),
    refunds,
    // Each vendor's part: state, lines shipped, shipments (fulfilment).
    parts: await partsOfOrder(db, id),
    returns: await returnsOfOrder(db, id),
    disputes: await disputesOfOrder(db, id),
    events,
  };
}

// ------------------------------------------------------------------ payouts

/** Transfers (with store name), newest first, optionally of one status; and reversals needing care. */
export async function listTransfers(db: Db, q: z.infer<typeof transferQuery>) {
  const transfers = await transfersWithStoreName(db)
    .where(q.status ? eq(schema.transfers.status, q.status) : undefined)
    .orderBy(desc(schema.transfers.createdAt), desc(schema.transfers.id))
    .limit(q.limit)
    .offset(q.offset);
  const reversals = await db
    .select({
      reversal: schema.transferReversals,
      orderId: schema.transfers.orderId,
      currency: schema.transfers.currency,
    })
    .from(schema.transferReversals)
    .innerJoin(schema.transfers, eq(schema.transfers.id, schema.transferReversals.transferId))
    .orderBy(desc(schema.transferReversals.createdAt))
    .limit(q.limit);
  return {
    transfers: transfers.map(flattenStoreName),
    reversals: reversals.map((r) => ({ ...r.reversal, orderId: r.orderId, currency: r.currency })),
  };
}

// ------------------------------------------------------------------ events

/** Webhook events (no payloads), newest first, filtered by type and status. */
export function listWebhookEvents(db: Db, q: z.infer<typeof eventQuery>) {
  return listEvents(db, { type: q.type, status: q.status ? [q.status] : undefined, limit: q.limit });
}

/** One event with its payload parsed (operators only: it holds buyers' details). */
export async function getWebhookEvent(db: Db, id: string) {
  const row = await getStoredEvent(db, id);
  if (!row) throw new NotFoundError(`No event ${id}.`);
  let payload: unknown = row.payload;
  try {
    payload = JSON.parse(row.payload);
  } catch {
    // kept as text: what Stripe sent is shown as is
  }
  return { ...row, payload };
}

// ------------------------------------------------------------------ overview

/** Counts for the admin's front page: what needs an operator. */
export async function overview(db: Db) {
  const [stores, orders, failedTransfers, failedReversals, failedEvents, pendingMail] = await Promise.all([
    db.select({ n: count() }).from(schema.stores),
    db.select({ status: schema.orders.status, n: count() }).from(schema.orders).groupBy(schema.orders.status),
    db.select({ n: count() }).from(schema.transfers).where(eq(schema.transfers.status, 'failed')),
    db
      .select({ n: count() })
      .from(schema.transferReversals)
      .where(eq(schema.transferReversals.status, 'failed')),
    db.select({ n: count() }).from(schema.webhookEvents).where(eq(schema.webhookEvents.status, 'failed')),
    db.select({ n: count() }).from(schema.outbox).where(eq(schema.outbox.status, 'queued')),
  ]);
  const flagged = await db.select({ n: count() }).from(schema.orders).where(isNotNull(schema.orders.flag));
  return {
    stores: stores[0]?.n ?? 0,
    ordersByStatus: Object.fromEntries(orders.map((o) => [o.status, o.n])),
    flaggedOrders: flagged[0]?.n ?? 0,
    failedTransfers: failedTransfers[0]?.n ?? 0,
    failedReversals: failedReversals[0]?.n ?? 0,
    failedEvents: failedEvents[0]?.n ?? 0,
    pendingEmails: pendingMail[0]?.n ?? 0,
  };
}
