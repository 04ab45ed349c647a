// Subscriptions in D1: reading a subscription with its items and periods, the "one subscription per
// shopper and product" lookup, and the lifecycle rule for status changes.
import { and, desc, eq, inArray, or } from 'drizzle-orm';
import type { Db } from '../db/client';
import { schema } from '../db/client';
import type { SubscriptionStatus } from '../db/schema';

export type SubscriptionRow = typeof schema.subscriptions.$inferSelect;
export type SubscriptionItemRow = typeof schema.subscriptionItems.$inferSelect;
export type SubscriptionInvoiceRow = typeof schema.subscriptionInvoices.$inferSelect;

/** Statuses that still bill (or will): a shopper holding one may not subscribe to the product again. */
export const LIVE_STATUSES = [
  'active',
  'trialing',
  'past_due',
] as const satisfies readonly SubscriptionStatus[];

/** Final statuses in Stripe's lifecycle: nothing moves a subscription out of them. */
const FINAL: ReadonlySet<string> = new Set(['canceled', 'incomplete_expired']);

/**
 * Whether a subscription may move `from → to` (https://docs.stripe.com/billing/subscriptions/overview#subscription-statuses):
 * any move except out of a final status. Staying put is allowed (details such as the period may change).
 */
export function canMoveSubscription(from: string, to: string): boolean {
  return !FINAL.has(from) || from === to;
}

/** One subscription, or null. */
export async function getSubscription(db: Db, id: string): Promise<SubscriptionRow | null> {
  return (await db.select().from(schema.subscriptions).where(eq(schema.subscriptions.id, id)).get()) ?? null;
}

/** A subscription with its products and its billing periods (newest first). */
export async function getSubscriptionDetail(
  db: Db,
  id: string,
): Promise<{
  subscription: SubscriptionRow;
  items: SubscriptionItemRow[];
  invoices: SubscriptionInvoiceRow[];
} | null> {
  const subscription = await getSubscription(db, id);
  if (!subscription) return null;
  const [items, invoices] = await Promise.all([
    db.select().from(schema.subscriptionItems).where(eq(schema.subscriptionItems.subscriptionId, id)),
    db
      .select()
      .from(schema.subscriptionInvoices)
      .where(eq(schema.subscriptionInvoices.subscriptionId, id))
      .orderBy(desc(schema.subscriptionInvoices.createdAt), desc(schema.subscriptionInvoices.periodStart)),
  ]);
  return { subscription, items, invoices };
}

/**
 * The shopper's live subscriptions that hold one of these products: by the e-mail they subscribed
 * with, or by any Stripe customer of that e-mail.
 */
export async function liveSubscriptionsFor(
  db: Db,
  email: string,
  productIds: readonly string[],
): Promise<{ subscriptionId: string; productId: string; name: string }[]> {
  if (productIds.length === 0) return [];
  const customers = db
    .select({ id: schema.customers.id })
    .from(schema.customers)
    .where(eq(schema.customers.emailNormalized, email));
  return db
    .select({
      subscriptionId: schema.subscriptions.id,
      productId: schema.subscriptionItems.productId,
      name: schema.subscriptionItems.name,
    })
    .from(schema.subscriptions)
    .innerJoin(schema.subscriptionItems, eq(schema.subscriptionItems.subscriptionId, schema.subscriptions.id))
    .where(
      and(
        inArray(schema.subscriptions.status, [...LIVE_STATUSES]),
        inArray(schema.subscriptionItems.productId, [...productIds]),
        or(eq(schema.subscriptions.email, email), inArray(schema.subscriptions.customerId, customers)),
      ),
    );
}

/** A shopper's subscriptions (by the e-mail they subscribed with, or a Stripe customer of it), newest first. */
export async function subscriptionsOfEmail(
  db: Db,
  email: string,
): Promise<
  { id: string; status: string; amount: number; currency: string; interval: string; name: string }[]
> {
  const customers = db
    .select({ id: schema.customers.id })
    .from(schema.customers)
    .where(eq(schema.customers.emailNormalized, email));
  const rows = await db
    .select()
    .from(schema.subscriptions)
    .where(or(eq(schema.subscriptions.email, email), inArray(schema.subscriptions.customerId, customers)))
    .orderBy(desc(schema.subscriptions.createdAt));
  if (rows.length === 0) return [];
  const items = await db
    .select({ subscriptionId: schema.subscriptionItems.subscriptionId, name: schema.subscriptionItems.name })
    .from(schema.subscriptionItems)
    .where(
      inArray(
        schema.subscriptionItems.subscriptionId,
        rows.map((r) => r.id),
      ),
    );
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    amount: r.amount,
    currency: r.currency,
    interval: r.interval,
    name: items
      .filter((i) => i.subscriptionId === r.id)
      .map((i) => i.name)
      .join(', '),
  }));
}
