// What a vendor's dashboard shows: orders that contain the vendor's lines (only those lines) and the
// vendor's transfers with their status. Everything is scoped to one store.
import { and, desc, eq, inArray, notInArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { schema } from '../db/client';

export interface VendorOrder {
  id: string;
  status: string;
  currency: string;
  paidAt: number | null;
  createdAt: number;
  lines: {
    name: string;
    quantity: number;
    unitAmount: number;
    /** What the shopper paid for the line, after any discount. */
    amount: number;
    note: string;
    discountAmount: number;
    discountFundedBy: 'platform' | 'vendor' | null;
  }[];
  /** The vendor's lines only. */
  subtotal: number;
}

/** Paid (or since refunded) orders with at least one of the store's lines; other vendors' lines are left out. */
export async function vendorOrders(db: Db, storeId: string, limit = 50): Promise<VendorOrder[]> {
  const recent = await db
    .selectDistinct({ id: schema.orders.id, createdAt: schema.orders.createdAt })
    .from(schema.orderLines)
    .innerJoin(schema.orders, eq(schema.orders.id, schema.orderLines.orderId))
    .where(
      and(eq(schema.orderLines.storeId, storeId), notInArray(schema.orders.status, ['pending', 'canceled'])),
    )
    .orderBy(desc(schema.orders.createdAt))
    .limit(limit);
  if (recent.length === 0) return [];
  const ids = recent.map((r) => r.id);
  const [orders, lines] = await Promise.all([
    db.select().from(schema.orders).where(inArray(schema.orders.id, ids)),
    db
      .select()
      .from(schema.orderLines)
      .where(and(inArray(schema.orderLines.orderId, ids), eq(schema.orderLines.storeId, storeId))),
  ]);
  const byId = new Map(orders.map((o) => [o.id, o]));
  return ids.map((id) => {
    const o = byId.get(id)!;
    const own = lines.filter((l) => l.orderId === id);
    return {
      id,
      status: o.status,
      currency: o.currency,
      paidAt: o.paidAt,
      createdAt: o.createdAt,
      lines: own.map((l) => ({
        name: l.name,
        quantity: l.quantity,
        unitAmount: l.unitAmount,
        amount: l.amount,
        note: l.note,
        discountAmount: l.discountAmount,
        discountFundedBy: l.discountFundedBy,
      })),
      subtotal: own.reduce((s, l) => s + l.amount, 0),
    };
  });
}

/** The store's transfers, newest first. */
export function vendorTransfers(db: Db, storeId: string, limit = 50) {
  return db
    .select({
      id: schema.transfers.id,
      orderId: schema.transfers.orderId,
      amount: schema.transfers.amount,
      fee: schema.transfers.fee,
      currency: schema.transfers.currency,
      status: schema.transfers.status,
      amountReversed: schema.transfers.amountReversed,
      stripeTransferId: schema.transfers.stripeTransferId,
      createdAt: schema.transfers.createdAt,
    })
    .from(schema.transfers)
    .where(eq(schema.transfers.storeId, storeId))
    .orderBy(desc(schema.transfers.createdAt), desc(schema.transfers.id))
    .limit(limit);
}

export type VendorTransfer = Awaited<ReturnType<typeof vendorTransfers>>[number];
