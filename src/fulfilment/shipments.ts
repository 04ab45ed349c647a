// What moves a part: a vendor's shipment (some or all units of their lines), delivery (vendor, shopper,
// operator or the cron N days after shipping) and an operator's cancel. Each write is one D1 batch that
// acts only on the part version it read, so two clicks or two tabs never ship a unit twice.
import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import * as z from 'zod';
import type { Db } from '../db/client';
import { getDb, schema } from '../db/client';
import { runBatch, changes, type Statement } from '../db/batch';
import type { PartStatus } from '../db/schema';
import { ConflictError, NotFoundError, ValidationError } from '../lib/errors';
import { fieldText } from '../lib/input';
import { newId } from '../lib/ids';
import { nowSeconds } from '../lib/time';
import { dispatchMessages, queueShipmentNotice } from '../notifications';
import { lockPart, partOf, partSourcesOf, type PartView } from './parts';
import { releaseDueTransfers } from './release';

const p = schema.orderParts;

/** Who marked a part delivered. */
export type DeliveredBy = 'vendor' | 'shopper' | 'operator' | 'auto';

const text = (max: number, what: string) =>
  z.preprocess(
    fieldText,
    z.string().trim().min(1, `Enter the ${what}.`).max(max, `The ${what} is at most ${max} characters.`),
  );

/** http(s) only: a `javascript:` or `data:` link never reaches a shopper's page or mail. */
const trackingUrl = z.preprocess(
  (v) => {
    const s = fieldText(v).trim();
    return s === '' ? undefined : s;
  },
  z
    .url({ protocol: /^https?$/, error: 'The tracking link must be an http(s) address.' })
    .max(2000, 'The tracking link is at most 2000 characters.')
    .optional(),
);

const quantity = z
  .number({ error: 'A quantity is a whole number.' })
  .int('A quantity is a whole number.')
  .positive('A quantity is at least 1.')
  .max(100_000, 'That quantity is more than was ordered.');

/** A shipment as the JSON API takes it; no `items` = every unit still to ship. */
export const shipmentSchema = z.object({
  carrier: text(100, 'carrier'),
  trackingNumber: text(100, 'tracking number'),
  trackingUrl,
  items: z
    .array(z.object({ productId: z.string().min(1).max(100), quantity }))
    .min(1, 'Choose at least one item.')
    .max(100)
    .optional(),
});
export type ShipmentInput = z.output<typeof shipmentSchema>;

/**
 * The same from the dashboard's form: `carrier`, `tracking_number`, `tracking_url` and one `qty.<productId>`
 * field per line (blank or 0 = not in this parcel).
 */
export const shipmentFormSchema = z.preprocess((raw) => {
  const form = (raw ?? {}) as Record<string, unknown>;
  const items = Object.entries(form)
    .filter(([k, v]) => k.startsWith('qty.') && fieldText(v).trim() !== '' && fieldText(v).trim() !== '0')
    .map(([k, v]) => ({ productId: k.slice(4), quantity: Number(fieldText(v).trim()) }));
  return {
    carrier: form.carrier,
    trackingNumber: form.tracking_number,
    trackingUrl: form.tracking_url,
    items: items.length ? items : [],
  };
}, shipmentSchema) as unknown as z.ZodType<ShipmentInput>;

/** A reason an operator (or later a shopper or vendor) gives: kept on the order's history. */
export const reasonSchema = z.object({
  reason: z.preprocess(
    fieldText,
    z.string().trim().min(1, 'Give a reason.').max(1000, 'A reason is at most 1000 characters.'),
  ),
});

/** A reason the shopper may give (or leave out) when cancelling. */
export const optionalReason = z.object({
  reason: z.preprocess(fieldText, z.string().trim().max(1000, 'A reason is at most 1000 characters.')),
});

const notFound = () => new NotFoundError('There is no such order part.');

/** The part a store may act on; another store's part is "not found", never "forbidden". */
async function ownPart(db: Db, orderId: string, storeId: string): Promise<PartView> {
  const part = await partOf(db, orderId, storeId);
  if (!part) throw notFound();
  return part;
}

/** Whether a batch's lock lost the race (another writer bumped the part first). */
function lostRace(err: unknown): boolean {
  return err instanceof Error && /NOT NULL constraint failed: shipments\.order_id/.test(err.message);
}

/**
 * Records a shipment of a store's part: validates the quantities against what is left to ship, and in
 * one batch moves the part (→ partially_shipped or shipped), writes the shipment and its lines and queues
 * the shopper's notice. Retries on a concurrent change; returns the part after it.
 */
export async function createShipment(
  env: Env,
  orderId: string,
  storeId: string,
  input: ShipmentInput,
): Promise<{ part: PartView; shipmentId: string }> {
  const db = getDb(env);
  for (let attempt = 0; attempt < 4; attempt++) {
    const part = await ownPart(db, orderId, storeId);
    if (part.status === 'cancelled') throw new ConflictError('This part of the order was cancelled.');
    if (part.status === 'shipped' || part.status === 'delivered')
      throw new ConflictError('Everything in this part of the order has already shipped.');

    const remaining = new Map(part.lines.map((l) => [l.productId, l.quantity - l.shipped]));
    const items =
      input.items ??
      part.lines
        .filter((l) => l.quantity > l.shipped)
        .map((l) => ({ productId: l.productId, quantity: l.quantity - l.shipped }));
    const seen = new Set<string>();
    for (const item of items) {
      const left = remaining.get(item.productId);
      if (left === undefined)
        throw new ValidationError(`items: ${item.productId} is not one of your lines in this order.`);
      if (seen.has(item.productId)) throw new ValidationError(`items: ${item.productId} is listed twice.`);
      seen.add(item.productId);
      if (item.quantity > left)
        throw new ValidationError(
          `items: only ${left} of ${item.productId} ${left === 1 ? 'is' : 'are'} left to ship.`,
        );
      remaining.set(item.productId, left - item.quantity);
    }
    const next: PartStatus = [...remaining.values()].every((n) => n === 0) ? 'shipped' : 'partially_shipped';

    const token = newId('lock');
    const shipmentId = newId('shp');
    const now = nowSeconds();
    // The shipment takes its order id from the part only if this batch's lock is on it: a concurrent
    // writer leaves it NULL, the NOT NULL constraint fails and the whole batch rolls back.
    const lockedOrderId = sql`(SELECT ${p.orderId} FROM ${p} WHERE ${p.orderId} = ${orderId} AND ${p.storeId} = ${storeId} AND ${p.lockToken} = ${token})`;
    const statements: Statement[] = [
      lockPart(db, part, token, {
        status: next,
        ...(next === 'shipped' ? { shippedAt: now } : {}),
      }),
      sql`INSERT INTO ${schema.shipments} (id, order_id, store_id, carrier, tracking_number, tracking_url, created_at)
          VALUES (${shipmentId}, ${lockedOrderId}, ${storeId}, ${input.carrier}, ${input.trackingNumber}, ${input.trackingUrl ?? null}, ${now})`,
      ...items.map((item) =>
        db.insert(schema.shipmentLines).values({
          shipmentId,
          orderId,
          productId: item.productId,
          quantity: item.quantity,
        }),
      ),
      queueShipmentNotice(db, {
        shipmentId,
        orderId,
        storeId,
        carrier: input.carrier,
        trackingNumber: input.trackingNumber,
        trackingUrl: input.trackingUrl ?? null,
      }),
    ];
    try {
      await runBatch(db, statements);
    } catch (err) {
      if (lostRace(err)) continue;
      throw err;
    }
    await dispatchMessages(env);
    // PAYOUT_RELEASE=on_shipment: the vendor is paid as soon as everything shipped.
    if (next === 'shipped') await releaseDueTransfers(env, db, orderId);
    return { part: await ownPart(db, orderId, storeId), shipmentId };
  }
  throw new ConflictError('This part changed while the shipment was being saved. Try again.');
}

/**
 * shipped → delivered. The vendor, the shopper ("I received it"), an operator or the cron. A part not
 * shipped in full is refused (409); one already delivered answers as it is (idempotent).
 */
export async function markDelivered(
  env: Env,
  orderId: string,
  storeId: string,
  by: DeliveredBy,
): Promise<PartView> {
  const db = getDb(env);
  const part = await ownPart(db, orderId, storeId);
  if (part.status === 'delivered') return part;
  if (part.status !== 'shipped')
    throw new ConflictError(
      part.status === 'cancelled'
        ? 'This part of the order was cancelled.'
        : 'Only a part that has shipped in full can be marked delivered.',
    );
  await db
    .update(p)
    .set({ status: 'delivered', deliveredAt: nowSeconds(), deliveredBy: by, version: sql`${p.version} + 1` })
    .where(
      and(eq(p.orderId, orderId), eq(p.storeId, storeId), inArray(p.status, partSourcesOf('delivered'))),
    );
  return ownPart(db, orderId, storeId);
}

/** The cron: parts shipped more than `days` days ago become delivered ("auto"). Returns how many. */
export async function autoDeliver(env: Env, days: number): Promise<number> {
  const db = getDb(env);
  const res = await db
    .update(p)
    .set({
      status: 'delivered',
      deliveredAt: nowSeconds(),
      deliveredBy: 'auto' satisfies DeliveredBy,
      version: sql`${p.version} + 1`,
    })
    .where(and(eq(p.status, 'shipped'), lt(p.shippedAt, nowSeconds() - days * 86_400)));
  return changes(res);
}

/** AUTO_DELIVER_DAYS (default 14): how long after shipping a part counts as delivered. */
export function autoDeliverDays(env: Partial<Env>): number {
  const n = Number(env.AUTO_DELIVER_DAYS ?? '14');
  return Number.isSafeInteger(n) && n >= 0 ? n : 14;
}
