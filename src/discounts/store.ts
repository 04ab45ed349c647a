// Discount codes in D1: look-ups for pricing, the operators' and vendors' writes, and the statements the
// paid batch runs to count a redemption (conditional, so a code is never redeemed past its limit).
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { readTogether, tableRowOf, type Read } from '../db/batch';
import type { Db } from '../db/client';
import { schema, firstRow, rowById } from '../db/client';
import { normalizeEmail } from '../lib/email';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../lib/errors';
import { newId } from '../lib/ids';
import { nowSeconds } from '../lib/time';
import type { DiscountInput, DiscountPatch } from './input';
import { normalizeCode, type DiscountRow } from './pricing';

const d = schema.discounts;

/** The code's row (by its normalised form), or null. */
export async function findDiscountByCode(db: Db, code: string): Promise<DiscountRow | null> {
  const [row] = await readTogether(db, [discountByCodeRead(code)]);
  return row;
}

/** findDiscountByCode as a read that can share its D1 round trip with others (`readTogether`). */
export function discountByCodeRead(code: string): Read<DiscountRow | null> {
  return {
    query: { sql: 'SELECT * FROM discounts WHERE code = ? LIMIT 1', params: [normalizeCode(code)] },
    value: (rows) => (rows[0] ? tableRowOf(d, rows[0]) : null),
  };
}

/** Every code (operators), or one store's (vendors), oldest first. */
export function listDiscounts(db: Db, storeId?: string): Promise<DiscountRow[]> {
  return db
    .select()
    .from(d)
    .where(storeId ? eq(d.storeId, storeId) : undefined)
    .orderBy(asc(d.createdAt), asc(d.id));
}

/** One code by id; a vendor (`storeId`) sees only its own. */
export async function getDiscount(db: Db, id: string, storeId?: string): Promise<DiscountRow> {
  const row = await rowById(db, schema.discounts, id);
  if (!row || (storeId !== undefined && row.storeId !== storeId))
    throw new NotFoundError('There is no such discount code.');
  return row;
}

/** Who is writing a code: an operator, or the vendor of one store (limited to its own products). */
export type DiscountAuthor = { kind: 'admin' } | { kind: 'vendor'; storeId: string };

/**
 * Checks a code's scope against D1: the store exists; listed products exist and, for a code scoped to
 * a store (every vendor-funded code is), belong to it. A vendor may only write vendor-funded codes of
 * its own store.
 */
async function checkScope(
  db: Db,
  author: DiscountAuthor,
  input: Pick<DiscountRow, 'fundedBy' | 'storeId' | 'productIds'>,
): Promise<void> {
  if (author.kind === 'vendor') {
    if (input.fundedBy !== 'vendor')
      throw new ForbiddenError('A vendor can only create codes it funds itself.');
    if (input.storeId !== author.storeId)
      throw new ForbiddenError("A vendor's codes are limited to its own store.");
  }
  if (input.fundedBy === 'vendor' && !input.storeId)
    throw invalid('storeId', 'A vendor-funded code names the store that funds it.');
  if (input.storeId) {
    const store = await rowById(db, schema.stores, input.storeId);
    if (!store) throw invalid('storeId', 'There is no such store.');
  }
  const ids = input.productIds ?? [];
  if (ids.length > 0) {
    const found = await db
      .select({ id: schema.products.id, storeId: schema.products.storeId })
      .from(schema.products)
      .where(inArray(schema.products.id, ids));
    const byId = new Map(found.map((p) => [p.id, p.storeId]));
    const unknown = ids.find((id) => !byId.has(id));
    if (unknown) throw invalid('productIds', `There is no product ${unknown}.`);
    const foreign = ids.find((id) => input.storeId && byId.get(id) !== input.storeId);
    if (foreign) {
      const message = `Product ${foreign} belongs to another store.`;
      if (author.kind === 'vendor') throw new ForbiddenError(message);
      throw invalid('productIds', message);
    }
  }
}

function invalid(path: string, message: string): ValidationError {
  return new ValidationError(message, { errors: [{ path, message }] });
}

/** Creates a code; 409 when the (case-insensitive) code exists already. */
export async function createDiscount(
  db: Db,
  author: DiscountAuthor,
  input: DiscountInput,
): Promise<DiscountRow> {
  const row = {
    id: newId('disc'),
    code: normalizeCode(input.code),
    percentOff: input.percentOff ?? null,
    amountOff: input.amountOff ?? null,
    fundedBy: input.fundedBy,
    storeId: input.storeId ?? (author.kind === 'vendor' ? author.storeId : null),
    productIds: input.productIds && input.productIds.length > 0 ? [...new Set(input.productIds)] : null,
    minSubtotal: input.minSubtotal ?? 0,
    freeShipping: input.freeShipping ?? false,
    startsAt: input.startsAt ?? null,
    endsAt: input.endsAt ?? null,
    maxRedemptions: input.maxRedemptions ?? null,
    oncePerCustomer: input.oncePerCustomer ?? false,
    active: input.active ?? true,
    createdBy: author.kind === 'vendor' ? author.storeId : 'admin',
  };
  if (author.kind === 'vendor' && input.freeShipping)
    throw new ForbiddenError('Free shipping is the platform’s to give.');
  await checkScope(db, author, row);
  const inserted = await db.insert(d).values(row).onConflictDoNothing().returning();
  if (inserted.length === 0)
    throw new ConflictError(`The code ${row.code} exists already.`, { code: 'code_taken' });
  return inserted[0]!;
}

/**
 * Changes a code's limits, dates, minimum or active flag (what it takes off, its scope and funder are
 * fixed once created: orders already priced with it keep their snapshot either way).
 */
export async function updateDiscount(
  db: Db,
  author: DiscountAuthor,
  id: string,
  patch: DiscountPatch,
): Promise<DiscountRow> {
  const before = await getDiscount(db, id, author.kind === 'vendor' ? author.storeId : undefined);
  const startsAt = patch.startsAt === undefined ? before.startsAt : patch.startsAt;
  const endsAt = patch.endsAt === undefined ? before.endsAt : patch.endsAt;
  if (startsAt !== null && endsAt !== null && endsAt <= startsAt)
    throw invalid('endsAt', 'endsAt must be after startsAt.');
  const [row] = await db
    .update(d)
    .set({
      ...(patch.active !== undefined ? { active: patch.active } : {}),
      ...(patch.minSubtotal !== undefined ? { minSubtotal: patch.minSubtotal } : {}),
      ...(patch.maxRedemptions !== undefined ? { maxRedemptions: patch.maxRedemptions } : {}),
      ...(patch.oncePerCustomer !== undefined ? { oncePerCustomer: patch.oncePerCustomer } : {}),
      startsAt,
      endsAt,
      updatedAt: nowSeconds(),
    })
    .where(eq(d.id, before.id))
    .returning();
  return row!;
}

/** True when this shopper (by e-mail) has redeemed the code on a paid order already. */
export async function hasRedeemed(db: Db, discountId: string, email: string): Promise<boolean> {
  const found = await db
    .select({ one: sql`1` })
    .from(schema.discountRedemptions)
    .where(
      and(
        eq(schema.discountRedemptions.discountId, discountId),
        eq(schema.discountRedemptions.customerKey, normalizeEmail(email)),
      ),
    )
    .limit(1);
  return found.length > 0;
}

/**
 * The statements that count an order's redemption, for the D1 batch that marks the order paid, placed
 * after the order's update (no-ops for an order without a code, or one the batch did not make paid). The redemption row is inserted only while the code has redemptions
 * left and, for once-per-customer codes, only once per e-mail (unique index); the code's counter is then
 * set to the number of rows. D1 runs batches one at a time, so two orders racing for the last
 * redemption can't both get it: the second batch inserts nothing (see `missedRedemption`).
 */
export function redemptionStatements(db: Db, orderId: string, email: string | null | undefined) {
  const key = email ? normalizeEmail(email) : null;
  return [
    db.run(sql`INSERT INTO discount_redemptions (order_id, discount_id, customer_key)
      SELECT od.order_id, od.discount_id, CASE WHEN od.once_per_customer THEN ${key} ELSE NULL END
      FROM order_discounts od JOIN discounts dc ON dc.id = od.discount_id
      WHERE od.order_id = ${orderId}
        AND (dc.max_redemptions IS NULL OR dc.redemptions < dc.max_redemptions)
        -- Only once the batch's first statement made the order paid (never for one canceled meanwhile).
        AND EXISTS (SELECT 1 FROM orders o WHERE o.id = od.order_id AND o.status NOT IN ('pending', 'canceled'))
      ON CONFLICT DO NOTHING`),
    db.run(sql`UPDATE discounts
      SET redemptions = (SELECT count(*) FROM discount_redemptions r WHERE r.discount_id = discounts.id),
          updated_at = unixepoch()
      WHERE id = (SELECT discount_id FROM order_discounts WHERE order_id = ${orderId})`),
  ];
}

/**
 * True when a paid order was priced with a code but its redemption was not counted: another order took
 * the last redemption (or the shopper's one use) between checkout and payment. The shopper keeps the
 * price they paid; the order is flagged for an operator, and the code's count never goes past its limit.
 */
export async function missedRedemption(db: Db, orderId: string): Promise<boolean> {
  const row = await db
    .select({ redeemed: schema.discountRedemptions.orderId })
    .from(schema.orderDiscounts)
    .leftJoin(
      schema.discountRedemptions,
      eq(schema.discountRedemptions.orderId, schema.orderDiscounts.orderId),
    )
    .where(eq(schema.orderDiscounts.orderId, orderId))
    .get();
  return row !== undefined && row.redeemed === null;
}

/** The code an order was priced with, or null. */
export async function orderDiscountOf(db: Db, orderId: string) {
  return (await firstRow(db, schema.orderDiscounts, eq(schema.orderDiscounts.orderId, orderId))) ?? null;
}
