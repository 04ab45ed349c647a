// Order parts (one per vendor of a paid order): the rows the paid batch writes, the forward-only state
// machine, and what a vendor, the shopper and the operator read of a part (lines, shipped quantities,
// shipments).
import { and, asc, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { schema } from '../db/client';
import type { BatchItem } from 'drizzle-orm/batch';
import type { PartStatus } from '../db/schema';

const p = schema.orderParts;

/** Where a part may go from each status: only forward. */
const PART_FLOW: { readonly [S in PartStatus]: readonly PartStatus[] } = {
  unfulfilled: ['partially_shipped', 'shipped', 'cancelled'],
  partially_shipped: ['shipped', 'cancelled'],
  shipped: ['delivered'],
  delivered: [],
  cancelled: [],
};

/** The statuses a part may leave for `to`: the WHERE of every status write. */
export function partSourcesOf(to: PartStatus): PartStatus[] {
  return (Object.keys(PART_FLOW) as PartStatus[]).filter((s) => PART_FLOW[s].includes(to));
}

/**
 * The INSERTs of one unfulfilled part per vendor of an order, for the batch that marks it paid.
 * `ON CONFLICT DO NOTHING`: a second confirmation writes nothing.
 */
export function partInserts(db: Db, orderId: string, storeIds: readonly string[]): BatchItem<'sqlite'>[] {
  return [...new Set(storeIds)].map((storeId) =>
    db.insert(p).values({ orderId, storeId, status: 'unfulfilled' }).onConflictDoNothing(),
  );
}

/** One line of a part with what was shipped of it. */
interface PartLine {
  productId: string;
  name: string;
  note: string;
  unitAmount: number;
  quantity: number;
  amount: number;
  shipped: number;
}

interface ShipmentView {
  id: string;
  carrier: string;
  trackingNumber: string;
  trackingUrl: string | null;
  createdAt: number;
  lines: { productId: string; quantity: number }[];
}

/** A vendor's part as everyone reads it. */
export interface PartView {
  orderId: string;
  storeId: string;
  storeName: string;
  status: PartStatus;
  version: number;
  createdAt: number;
  shippedAt: number | null;
  deliveredAt: number | null;
  deliveredBy: string | null;
  cancelledAt: number | null;
  cancelReason: string | null;
  /** What a cancel refunded (re_... once Stripe took it) and what the vendor gave back of it. */
  cancelRefundAmount: number;
  cancelVendorAmount: number;
  cancelRefundId: string | null;
  lines: PartLine[];
  shipments: ShipmentView[];
}

/** The parts of orders (optionally of one store), with lines, shipped counts and shipments. */
export async function loadParts(db: Db, orderIds: readonly string[], storeId?: string): Promise<PartView[]> {
  if (orderIds.length === 0) return [];
  const ids = [...orderIds];
  const storeCond = (col: typeof p.storeId | typeof schema.orderLines.storeId) =>
    storeId ? eq(col, storeId) : undefined;
  const [parts, lines, ships, shipLines] = await Promise.all([
    db
      .select()
      .from(p)
      .where(and(inArray(p.orderId, ids), storeCond(p.storeId))),
    db
      .select()
      .from(schema.orderLines)
      .where(and(inArray(schema.orderLines.orderId, ids), storeCond(schema.orderLines.storeId)))
      .orderBy(asc(schema.orderLines.id)),
    db
      .select()
      .from(schema.shipments)
      .where(
        and(
          inArray(schema.shipments.orderId, ids),
          storeId ? eq(schema.shipments.storeId, storeId) : undefined,
        ),
      )
      // rowid: the order they were written in (two in one second keep their order).
      .orderBy(asc(schema.shipments.createdAt), sql`${schema.shipments}.rowid`),
    db.select().from(schema.shipmentLines).where(inArray(schema.shipmentLines.orderId, ids)),
  ]);
  const shipStore = new Map(ships.map((s) => [s.id, s.storeId]));
  const shipped = new Map<string, number>();
  for (const sl of shipLines) {
    if (!shipStore.has(sl.shipmentId)) continue;
    const key = `${sl.orderId}:${sl.productId}`;
    shipped.set(key, (shipped.get(key) ?? 0) + sl.quantity);
  }
  return parts.map((part) => {
    const own = lines.filter((l) => l.orderId === part.orderId && l.storeId === part.storeId);
    return {
      orderId: part.orderId,
      storeId: part.storeId,
      storeName: own[0]?.storeName ?? '',
      status: part.status,
      version: part.version,
      createdAt: part.createdAt,
      shippedAt: part.shippedAt,
      deliveredAt: part.deliveredAt,
      deliveredBy: part.deliveredBy,
      cancelledAt: part.cancelledAt,
      cancelReason: part.cancelReason,
      cancelRefundAmount: part.cancelRefundAmount,
      cancelVendorAmount: part.cancelVendorAmount,
      cancelRefundId: part.cancelRefundId,
      lines: own.map((l) => ({
        productId: l.productId,
        name: l.name,
        note: l.note,
        unitAmount: l.unitAmount,
        quantity: l.quantity,
        amount: l.amount,
        shipped: shipped.get(`${l.orderId}:${l.productId}`) ?? 0,
      })),
      shipments: ships
        .filter((s) => s.orderId === part.orderId && s.storeId === part.storeId)
        .map((s) => ({
          id: s.id,
          carrier: s.carrier,
          trackingNumber: s.trackingNumber,
          trackingUrl: s.trackingUrl,
          createdAt: s.createdAt,
          lines: shipLines
            .filter((sl) => sl.shipmentId === s.id)
            .map((sl) => ({ productId: sl.productId, quantity: sl.quantity })),
        })),
    };
  });
}

/** Every part of one order (shopper's page, admin), in the order of its lines' vendors. */
export async function partsOfOrder(db: Db, orderId: string): Promise<PartView[]> {
  const parts = await loadParts(db, [orderId]);
  return parts.sort((a, b) => a.storeName.localeCompare(b.storeName) || a.storeId.localeCompare(b.storeId));
}

/** One store's part of one order, or null (also when the order has no part of that store). */
export async function partOf(db: Db, orderId: string, storeId: string): Promise<PartView | null> {
  const [part] = await loadParts(db, [orderId], storeId);
  return part ?? null;
}

/** A part to fulfil, with the order facts the vendor needs to send it. */
export interface PartToFulfil extends PartView {
  shipping: unknown;
  paidAt: number | null;
}

/** A store's parts still to ship (unfulfilled or partially shipped), oldest order first. */
export async function partsToFulfil(db: Db, storeId: string, limit = 100): Promise<PartToFulfil[]> {
  const rows = await db
    .select({ orderId: p.orderId, shipping: schema.orders.shipping, paidAt: schema.orders.paidAt })
    .from(p)
    .innerJoin(schema.orders, eq(schema.orders.id, p.orderId))
    .where(
      and(
        eq(p.storeId, storeId),
        inArray(p.status, ['unfulfilled', 'partially_shipped']),
        notInArray(schema.orders.status, ['pending', 'canceled']),
      ),
    )
    .orderBy(asc(p.createdAt), asc(p.orderId))
    .limit(limit);
  const parts = await loadParts(
    db,
    rows.map((r) => r.orderId),
    storeId,
  );
  const byOrder = new Map(parts.map((part) => [part.orderId, part]));
  return rows.flatMap((r) => {
    const part = byOrder.get(r.orderId);
    return part ? [{ ...part, shipping: r.shipping, paidAt: r.paidAt }] : [];
  });
}

/** Stamps a new version and lock token on a part read at `version`: the first statement of a part's batch. */
export function lockPart(
  db: Db,
  part: { orderId: string; storeId: string; version: number },
  token: string,
  set: Partial<typeof p.$inferInsert>,
) {
  return db
    .update(p)
    .set({ ...set, version: sql`${p.version} + 1`, lockToken: token, updatedAt: sql`unixepoch()` })
    .where(and(eq(p.orderId, part.orderId), eq(p.storeId, part.storeId), eq(p.version, part.version)));
}
