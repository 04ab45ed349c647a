// What operators and vendors see of subscriptions: the list with products and vendors, one subscription
// with its periods' orders and transfers and the events that named it, and a vendor's subscriber figures.
import { and, desc, eq, inArray, like, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { schema } from '../db/client';
import { getSubscriptionDetail, LIVE_STATUSES } from './records';
import { toSubscriptionView, type SubscriptionView } from './view';

export interface SubscriptionListItem {
  id: string;
  status: string;
  email: string | null;
  customerId: string;
  currency: string;
  interval: string;
  amount: number;
  currentPeriodEnd: number | null;
  cancelAtPeriodEnd: boolean;
  createdAt: number;
  products: string;
  vendors: string;
}

/** Subscriptions, newest first, optionally by status. */
export async function listSubscriptions(
  db: Db,
  q: { status?: string | undefined; limit?: number },
): Promise<SubscriptionListItem[]> {
  const rows = await db
    .select()
    .from(schema.subscriptions)
    .where(q.status ? eq(schema.subscriptions.status, q.status) : undefined)
    .orderBy(desc(schema.subscriptions.createdAt))
    .limit(q.limit ?? 100);
  if (rows.length === 0) return [];
  const items = await db
    .select()
    .from(schema.subscriptionItems)
    .where(
      inArray(
        schema.subscriptionItems.subscriptionId,
        rows.map((r) => r.id),
      ),
    );
  return rows.map((r) => {
    const own = items.filter((i) => i.subscriptionId === r.id);
    return {
      id: r.id,
      status: r.status,
      email: r.email,
      customerId: r.customerId,
      currency: r.currency,
      interval: r.interval,
      amount: r.amount,
      currentPeriodEnd: r.currentPeriodEnd,
      cancelAtPeriodEnd: r.cancelAtPeriodEnd,
      createdAt: r.createdAt,
      products: own.map((i) => `${i.quantity} × ${i.name}`).join(', '),
      vendors: [...new Set(own.map((i) => i.storeName))].join(', '),
    };
  });
}

export interface SubscriptionAdminDetail {
  subscription: SubscriptionView;
  transfers: { id: string; orderId: string; storeId: string; amount: number; fee: number; status: string }[];
  events: { id: string; type: string; status: string; created: number }[];
}

/** One subscription for operators: the shopper's view plus its periods' transfers and its events. */
export async function getSubscriptionAdminDetail(
  db: Db,
  id: string,
): Promise<SubscriptionAdminDetail | null> {
  const detail = await getSubscriptionDetail(db, id);
  if (!detail) return null;
  const orderIds = [
    ...new Set(
      [detail.subscription.orderId, ...detail.invoices.map((i) => i.orderId)].filter((x): x is string => !!x),
    ),
  ];
  const [transfers, events] = await Promise.all([
    orderIds.length
      ? db
          .select({
            id: schema.transfers.id,
            orderId: schema.transfers.orderId,
            storeId: schema.transfers.storeId,
            amount: schema.transfers.amount,
            fee: schema.transfers.fee,
            status: schema.transfers.status,
          })
          .from(schema.transfers)
          .where(inArray(schema.transfers.orderId, orderIds))
      : Promise.resolve([]),
    db
      .select({
        id: schema.webhookEvents.id,
        type: schema.webhookEvents.type,
        status: schema.webhookEvents.status,
        created: schema.webhookEvents.created,
      })
      .from(schema.webhookEvents)
      .where(like(schema.webhookEvents.payload, `%"${id}"%`))
      .orderBy(desc(schema.webhookEvents.created))
      .limit(100),
  ]);
  return { subscription: toSubscriptionView(detail), transfers, events };
}

/** A vendor's subscription figures: live subscribers, and what renewals paid out to them. */
export async function vendorSubscriptionFigures(
  db: Db,
  storeId: string,
): Promise<{ subscribers: number; live: number; renewalPayouts: number; renewals: number }> {
  const counts = await db
    .select({
      subscribers: sql<number>`count(DISTINCT ${schema.subscriptions.email})`,
      live: sql<number>`count(DISTINCT ${schema.subscriptions.id})`,
    })
    .from(schema.subscriptions)
    .innerJoin(schema.subscriptionItems, eq(schema.subscriptionItems.subscriptionId, schema.subscriptions.id))
    .where(
      and(
        eq(schema.subscriptionItems.storeId, storeId),
        inArray(schema.subscriptions.status, [...LIVE_STATUSES]),
      ),
    )
    .get();
  const payouts = await db
    .select({
      total: sql<number>`coalesce(sum(${schema.transfers.amount}), 0)`,
      n: sql<number>`count(*)`,
    })
    .from(schema.transfers)
    .innerJoin(schema.subscriptionInvoices, eq(schema.subscriptionInvoices.orderId, schema.transfers.orderId))
    .where(
      and(
        eq(schema.transfers.storeId, storeId),
        eq(schema.subscriptionInvoices.billingReason, 'subscription_cycle'),
      ),
    )
    .get();
  return {
    subscribers: counts?.subscribers ?? 0,
    live: counts?.live ?? 0,
    renewalPayouts: payouts?.total ?? 0,
    renewals: payouts?.n ?? 0,
  };
}
