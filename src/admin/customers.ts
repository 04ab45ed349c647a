// The admin's customers: each with contact details, addresses and lifetime figures (orders, amount
// paid, refunds), searchable by e-mail or name; one customer with their orders and refunds.
import { and, desc, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import * as z from 'zod';
import type { Db } from '../db/client';
import { schema } from '../db/client';
import { NotFoundError } from '../lib/errors';

const limit = z.coerce.number().int().min(1).max(200).default(50);
const offset = z.coerce.number().int().min(0).max(100_000).default(0);

/** `?q=` matches a part of the e-mail or the name (case-insensitive); empty means everyone. */
export const customerQuery = z.object({
  limit,
  offset,
  q: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.string().trim().max(200).optional(),
  ),
});

const c = schema.customers;
const o = schema.orders;

/** Orders that belong to the customer: linked to it, or unlinked guest orders of its e-mail. */
const ordersOf = (id: unknown, email: unknown) =>
  sql`(o.customer_id = ${id} OR (o.customer_id IS NULL AND ${email} IS NOT NULL AND o.email = ${email}))`;

// Paid, partially refunded and refunded orders count as placed; pending and canceled ones do not.
const PLACED = sql`o.status IN ('paid', 'partially_refunded', 'refunded')`;

/** LIKE with the user's text taken literally (its % and _ escaped). */
const like = (q: string) => `%${q.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

/** Customer rows with their lifetime figures: one query shape for the list and the detail. */
async function customerRows(db: Db, where: SQL | undefined, page: { limit: number; offset: number }) {
  const mine = ordersOf(c.id, c.emailNormalized);
  const rows = await db
    .select({
      customer: c,
      orderCount: sql<number>`(SELECT COUNT(*) FROM orders o WHERE ${mine})`,
      lifetimeOrders: sql<number>`(SELECT COUNT(*) FROM orders o WHERE ${mine} AND ${PLACED})`,
      lifetimeAmount: sql<number>`(SELECT COALESCE(SUM(o.amount_received), 0) FROM orders o WHERE ${mine} AND ${PLACED})`,
      refundedAmount: sql<number>`(SELECT COALESCE(SUM(o.amount_refunded), 0) FROM orders o WHERE ${mine})`,
    })
    .from(c)
    .where(where)
    .orderBy(desc(c.createdAt), desc(c.id))
    .limit(page.limit)
    .offset(page.offset);
  return rows.map((r) => ({
    ...r.customer,
    deleted: r.customer.deletedAt !== null,
    /** Every order of the customer, whatever its state. */
    orderCount: r.orderCount,
    /** Orders paid (refunded ones included), the amount they brought in and what was refunded. */
    lifetimeOrders: r.lifetimeOrders,
    lifetimeAmount: r.lifetimeAmount,
    refundedAmount: r.refundedAmount,
  }));
}

/** Customers, newest first (optionally matching `q`), with their lifetime figures. */
export async function listCustomers(db: Db, q: z.infer<typeof customerQuery>) {
  const pattern = q.q ? like(q.q) : null;
  return customerRows(
    db,
    pattern
      ? sql`(${c.emailNormalized} LIKE ${pattern} ESCAPE '\\' OR lower(${c.name}) LIKE ${pattern} ESCAPE '\\')`
      : undefined,
    q,
  );
}

export type CustomerListItem = Awaited<ReturnType<typeof listCustomers>>[number];

/** One customer with its figures, its orders (newest first) and the refunds of those orders. */
export async function getCustomerDetail(db: Db, id: string) {
  const [customer] = await customerRows(db, eq(c.id, id), { limit: 1, offset: 0 });
  if (!customer) throw new NotFoundError(`No customer ${id}.`);
  const email = customer.emailNormalized;
  const orders = await db
    .select()
    .from(o)
    .where(or(eq(o.customerId, id), email ? and(isNull(o.customerId), eq(o.email, email)) : undefined))
    .orderBy(desc(o.createdAt), desc(o.id))
    .limit(200);
  const refunds = orders.length
    ? await db
        .select()
        .from(schema.refunds)
        .where(
          inArray(
            schema.refunds.orderId,
            orders.map((x) => x.id),
          ),
        )
        .orderBy(desc(schema.refunds.createdAt))
    : [];
  return { customer, orders, refunds };
}
