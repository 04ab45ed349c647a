// What the after-payment pages read beyond a part: return requests with their lines' names and prices,
// a vendor's recently shipped parts, and the shopper's return form turned into a return request.
import { and, desc, eq, inArray } from 'drizzle-orm';
import * as z from 'zod';
import type { Db } from '../db/client';
import { schema } from '../db/client';
import { fieldText } from '../lib/input';
import { loadParts, type PartView } from './parts';
import { returnSchema } from './returns';

type ReturnRow = typeof schema.returnRequests.$inferSelect;

/** A return request with each item's name and unit price, and its order's currency. */
export interface ReturnView extends ReturnRow {
  currency: string;
  lines: { productId: string; name: string; quantity: number; unitAmount: number }[];
}

/** Names the items of return requests from their orders' lines (one query for all of them). */
export async function withReturnLines(db: Db, rows: readonly ReturnRow[]): Promise<ReturnView[]> {
  if (rows.length === 0) return [];
  const orderIds = [...new Set(rows.map((r) => r.orderId))];
  const [lines, orders] = await Promise.all([
    db
      .select({
        orderId: schema.orderLines.orderId,
        productId: schema.orderLines.productId,
        name: schema.orderLines.name,
        unitAmount: schema.orderLines.unitAmount,
      })
      .from(schema.orderLines)
      .where(inArray(schema.orderLines.orderId, orderIds)),
    db
      .select({ id: schema.orders.id, currency: schema.orders.currency })
      .from(schema.orders)
      .where(inArray(schema.orders.id, orderIds)),
  ]);
  const currency = new Map(orders.map((o) => [o.id, o.currency]));
  return rows.map((r) => ({
    ...r,
    currency: currency.get(r.orderId) ?? 'usd',
    lines: r.items.map((i) => {
      const line = lines.find((l) => l.orderId === r.orderId && l.productId === i.productId);
      return {
        productId: i.productId,
        name: line?.name ?? i.productId,
        quantity: i.quantity,
        unitAmount: line?.unitAmount ?? 0,
      };
    }),
  }));
}

/** A store's parts that have shipped in full (awaiting delivery or delivered), newest shipment first. */
export async function recentlyShippedParts(db: Db, storeId: string, limit = 20): Promise<PartView[]> {
  const p = schema.orderParts;
  const rows = await db
    .select({ orderId: p.orderId })
    .from(p)
    .where(and(eq(p.storeId, storeId), inArray(p.status, ['shipped', 'delivered'])))
    .orderBy(desc(p.shippedAt), desc(p.orderId))
    .limit(limit);
  const parts = await loadParts(
    db,
    rows.map((r) => r.orderId),
    storeId,
  );
  const rank = new Map(rows.map((r, i) => [r.orderId, i]));
  return parts.sort((a, b) => (rank.get(a.orderId) ?? 0) - (rank.get(b.orderId) ?? 0));
}

/**
 * The order page's return form: `store_id`, `reason` and one `qty.<productId>` field per shipped line
 * (blank or 0 = not returned), validated as a return request.
 */
export const returnFormSchema = z.preprocess((raw) => {
  const form = (raw ?? {}) as Record<string, unknown>;
  const items = Object.entries(form)
    .filter(([k, v]) => k.startsWith('qty.') && fieldText(v).trim() !== '' && fieldText(v).trim() !== '0')
    .map(([k, v]) => ({ productId: k.slice(4), quantity: Number(fieldText(v).trim()) }));
  return { storeId: fieldText(form.store_id), reason: form.reason, items };
}, returnSchema) as unknown as z.ZodType<z.output<typeof returnSchema>>;
