// What a signed-in shopper sees: every order placed with their e-mail (guest orders from before they
// signed in included) and the addresses their customer records hold.
import { and, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { schema } from '../db/client';
import { describeStatus } from '../orders/view';

/** One order in the account's list. */
export interface AccountOrder {
  id: string;
  status: string;
  statusLabel: string;
  currency: string;
  total: number;
  amountRefunded: number;
  createdAt: number;
  paidAt: number | null;
  items: { name: string; quantity: number; storeName: string }[];
  /** Our order page (the account opens it) and Stripe's receipt, when there is one. */
  orderUrl: string;
  receiptUrl: string | null;
}

/** One address set on file (a customer record of this e-mail). */
export interface AddressOnFile {
  name: string | null;
  phone: string | null;
  address: unknown;
  shipping: unknown;
}

/** Orders of the e-mail, newest first: by the e-mail checkout recorded, or by a customer of that e-mail. */
export async function accountOrders(db: Db, email: string, limit = 100): Promise<AccountOrder[]> {
  const orders = await db
    .select()
    .from(schema.orders)
    .where(
      or(
        eq(schema.orders.email, email),
        inArray(
          schema.orders.customerId,
          db
            .select({ id: schema.customers.id })
            .from(schema.customers)
            .where(eq(schema.customers.emailNormalized, email)),
        ),
      ),
    )
    .orderBy(desc(schema.orders.createdAt), desc(schema.orders.id))
    .limit(limit);
  if (orders.length === 0) return [];
  const lines = await db
    .select({
      orderId: schema.orderLines.orderId,
      name: schema.orderLines.name,
      quantity: schema.orderLines.quantity,
      storeName: schema.orderLines.storeName,
    })
    .from(schema.orderLines)
    .where(
      inArray(
        schema.orderLines.orderId,
        orders.map((o) => o.id),
      ),
    );
  return orders.map((o) => ({
    id: o.id,
    status: o.status,
    statusLabel: describeStatus(o).label,
    currency: o.currency,
    total: o.total,
    amountRefunded: o.amountRefunded,
    createdAt: o.createdAt,
    paidAt: o.paidAt,
    items: lines
      .filter((l) => l.orderId === o.id)
      .map((l) => ({ name: l.name, quantity: l.quantity, storeName: l.storeName })),
    orderUrl: `/orders/${o.id}`,
    receiptUrl: o.receiptUrl,
  }));
}

/** The addresses on file: each live customer record of the e-mail that holds any. */
export async function addressesOnFile(db: Db, email: string): Promise<AddressOnFile[]> {
  const rows = await db
    .select({
      name: schema.customers.name,
      phone: schema.customers.phone,
      address: schema.customers.address,
      shipping: schema.customers.shipping,
    })
    .from(schema.customers)
    .where(
      and(
        eq(schema.customers.emailNormalized, email),
        isNull(schema.customers.deletedAt),
        sql`(${schema.customers.address} IS NOT NULL OR ${schema.customers.shipping} IS NOT NULL OR ${schema.customers.phone} IS NOT NULL)`,
      ),
    )
    .orderBy(desc(schema.customers.updatedAt));
  return rows;
}
