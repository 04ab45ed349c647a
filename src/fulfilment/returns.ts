// Returns: a shopper asks to be refunded for shipped units of one vendor's part (reason + quantities);
// the vendor or an operator approves once (Stripe refund of those lines with the vendor named in its
// metadata, so only that vendor's transfer is reduced or reversed; stock back if the goods came back) or
// declines with a reason. Every request and decision stays on the order's history and on the vendor's
// returns tabs (open, approved, declined, all; keyset pages).
import { and, asc, desc, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import * as z from 'zod';
import type { Db } from '../db/client';
import { getDb, schema, rowById } from '../db/client';
import { changes, runBatch, type Statement } from '../db/batch';
import { storeConfig } from '../lib/config';
import { decodeCursor, encodeCursor, pageCursor, pageLimit } from '../lib/cursor';
import { ConflictError, NotFoundError, UpstreamError, ValidationError } from '../lib/errors';
import { CHARGEBACK_MESSAGE, chargebackHolds } from '../payouts/disputes';
import { sharedRefundsOf } from '../payouts/refunds';
import { fieldText } from '../lib/input';
import { newId } from '../lib/ids';
import { collectedOf, feeOf, refundableOf, sum, unrefundedPartOf } from '../lib/money';
import { nowSeconds } from '../lib/time';
import { getStripe } from '../stripe/client';
import { classifyStripeError } from '../stripe/errors';
import { dispatchMessages, queueVendorPartNotice } from '../notifications';
import { partOf } from './parts';
import { errorFields } from '../lib/log';

type ReturnRow = typeof schema.returnRequests.$inferSelect;
const rr = schema.returnRequests;

const reason = z.preprocess(
  fieldText,
  z.string().trim().min(1, 'Give a reason.').max(1000, 'A reason is at most 1000 characters.'),
);

/** A return request as the shopper sends it. */
export const returnSchema = z.object({
  storeId: z.string().min(1).max(100),
  reason,
  items: z
    .array(
      z.object({
        productId: z.string().min(1).max(100),
        quantity: z
          .number({ error: 'A quantity is a whole number.' })
          .int('A quantity is a whole number.')
          .positive('A quantity is at least 1.')
          .max(100_000),
      }),
    )
    .min(1, 'Choose at least one item.')
    .max(100),
});

/** An approval: `restock` when the goods came back and can be sold again. */
export const approveSchema = z.object({
  restock: z.preprocess((v) => v === true || v === 'true' || v === 'on' || v === '1', z.boolean()),
});

/** A decline needs a reason. */
export const declineSchema = z.object({ reason });

/** Who decides a return. */
export type Decider = { kind: 'vendor'; storeId: string } | { kind: 'operator' };

/**
 * Records a shopper's return request for shipped units of one vendor's part. Quantities may not exceed
 * what shipped minus what earlier requests (not declined) already cover.
 */
export async function requestReturn(
  env: Env,
  orderId: string,
  input: z.output<typeof returnSchema>,
): Promise<ReturnRow> {
  const db = getDb(env);
  const part = await partOf(db, orderId, input.storeId);
  if (!part) throw new NotFoundError('There is no such order part.');
  const earlier = await db
    .select()
    .from(rr)
    .where(and(eq(rr.orderId, orderId), eq(rr.storeId, input.storeId), ne(rr.status, 'declined')));
  const covered = (productId: string) =>
    sum(earlier.flatMap((r) => r.items.filter((i) => i.productId === productId).map((i) => i.quantity)));
  const seen = new Set<string>();
  let gross = 0;
  for (const item of input.items) {
    const line = part.lines.find((l) => l.productId === item.productId);
    if (!line) throw new ValidationError(`items: ${item.productId} is not in this part of the order.`);
    if (seen.has(item.productId)) throw new ValidationError(`items: ${item.productId} is listed twice.`);
    seen.add(item.productId);
    const left = line.shipped - covered(item.productId);
    if (item.quantity > left)
      throw new ValidationError(
        left <= 0
          ? `items: nothing of ${line.name} has shipped that is not already being returned.`
          : `items: at most ${left} of ${line.name} can be returned.`,
      );
    gross += item.quantity * line.unitAmount;
  }
  const row = {
    id: newId('ret'),
    orderId,
    storeId: input.storeId,
    status: 'requested' as const,
    reason: input.reason,
    items: input.items,
    amount: gross,
    vendorAmount: gross - feeOf(gross, storeConfig(env).platformFeeBps),
  };
  await runBatch(db, [
    db.insert(rr).values(row),
    queueVendorPartNotice(db, {
      key: `return:${row.id}`,
      orderId,
      storeId: input.storeId,
      event: 'return_requested',
      reason: input.reason,
    }),
  ]);
  await dispatchMessages(env);
  return (await rowById(db, schema.returnRequests, row.id))!;
}

/** A request the decider may act on: a vendor only their own (else 404). */
async function decidable(db: Db, id: string, who: Decider): Promise<ReturnRow> {
  const row = await rowById(db, schema.returnRequests, id);
  if (!row || (who.kind === 'vendor' && row.storeId !== who.storeId))
    throw new NotFoundError('There is no such return request.');
  if (row.status !== 'requested')
    throw new ConflictError(`This return request was already ${row.status}.`, { return_status: row.status });
  return row;
}

/**
 * Approves a request once (a second approval or a decline after it is 409): in one batch the request
 * moves to approved and, with `restock`, the units go back to stock; then Stripe refunds the lines.
 */
export async function approveReturn(
  env: Env,
  id: string,
  who: Decider,
  restock: boolean,
): Promise<ReturnRow> {
  const db = getDb(env);
  const row = await decidable(db, id, who);
  const order = await rowById(db, schema.orders, row.orderId);
  if (!order) throw new NotFoundError('There is no such order.');
  if (await chargebackHolds(db, order.id)) throw new ConflictError(CHARGEBACK_MESSAGE);
  // Refunds without a vendor already gave these lines (and the vendor's share of them) their part.
  const shared = await sharedRefundsOf(db, order.id);
  const left = (n: number) => unrefundedPartOf(n, collectedOf(order), shared);
  const amount = Math.min(left(row.amount), refundableOf(order));
  const token = newId('dec');
  const approved = sql`EXISTS (SELECT 1 FROM ${rr} WHERE ${rr.id} = ${id} AND ${rr.decisionToken} = ${token})`;
  const statements: Statement[] = [
    db
      .update(rr)
      .set({
        status: 'approved',
        restock,
        amount,
        vendorAmount: Math.min(left(row.vendorAmount), amount),
        decidedBy: deciderName(who),
        decidedAt: nowSeconds(),
        decisionToken: token,
      })
      .where(and(eq(rr.id, id), eq(rr.status, 'requested'))),
    ...(restock
      ? row.items.map(
          (i) => sql`UPDATE ${schema.products} SET stock = stock + ${i.quantity}, updated_at = unixepoch()
            WHERE id = ${i.productId} AND stock IS NOT NULL AND ${approved}`,
        )
      : []),
  ];
  const results = await runBatch(db, statements);
  if (changes(results[0]) === 0) throw new ConflictError('This return request was already decided.');
  await issueReturnRefund(env, db, id);
  return (await rowById(db, schema.returnRequests, id))!;
}

/** Declines a request with a reason, once. */
export async function declineReturn(env: Env, id: string, who: Decider, why: string): Promise<ReturnRow> {
  const db = getDb(env);
  await decidable(db, id, who);
  const res = await db
    .update(rr)
    .set({ status: 'declined', decisionReason: why, decidedBy: deciderName(who), decidedAt: nowSeconds() })
    .where(and(eq(rr.id, id), eq(rr.status, 'requested')));
  if (changes(res) === 0) throw new ConflictError('This return request was already decided.');
  return (await rowById(db, schema.returnRequests, id))!;
}

const deciderName = (who: Decider) => (who.kind === 'vendor' ? `vendor:${who.storeId}` : 'operator');

/** The Stripe refund of an approved request, once (idempotency key per request). */
async function issueReturnRefund(env: Env, db: Db, id: string): Promise<void> {
  const row = await rowById(db, schema.returnRequests, id);
  if (!row || row.status !== 'approved' || row.refundId || row.amount <= 0) return;
  const order = await rowById(db, schema.orders, row.orderId);
  if (!order?.chargeId && !order?.paymentIntentId) return;
  try {
    const refund = await getStripe(env).refunds.create(
      {
        ...(order.chargeId ? { charge: order.chargeId } : { payment_intent: order.paymentIntentId! }),
        amount: row.amount,
        reason: 'requested_by_customer',
        metadata: {
          order_id: row.orderId,
          store_id: row.storeId,
          vendor_amount: String(row.vendorAmount),
          cause: 'return',
          return_id: row.id,
        },
      },
      { idempotencyKey: `return_${row.id}` },
    );
    await db
      .update(rr)
      .set({ refundId: refund.id })
      .where(and(eq(rr.id, id), isNull(rr.refundId)));
  } catch (err) {
    const failure = classifyStripeError(err);
    if (!failure.fromStripe) throw err;
    throw new UpstreamError(
      `The return is approved, but Stripe did not take the refund yet (${failure.message}). We will retry.`,
    );
  }
}

/** The cron: refunds of approved returns Stripe has not taken yet. */
export async function retryReturnRefunds(env: Env): Promise<number> {
  const db = getDb(env);
  const due = await db
    .select({ id: rr.id })
    .from(rr)
    .where(and(eq(rr.status, 'approved'), isNull(rr.refundId)))
    .limit(50);
  let made = 0;
  for (const { id } of due) {
    try {
      await issueReturnRefund(env, db, id);
      made++;
    } catch (err) {
      console.warn(JSON.stringify({ msg: 'return refund retry failed', id, ...errorFields(err) }));
    }
  }
  return made;
}

/** An order's return requests (admin, shopper), oldest first. */
export async function returnsOfOrder(db: Db, orderId: string, storeIds?: string[]): Promise<ReturnRow[]> {
  return db
    .select()
    .from(rr)
    .where(and(eq(rr.orderId, orderId), storeIds ? inArray(rr.storeId, storeIds) : undefined))
    .orderBy(rr.createdAt);
}

/** The tabs of a vendor's returns: open requests, the decided ones by decision, or every one. */
export const RETURN_TABS = ['open', 'approved', 'declined', 'all'] as const;
export type ReturnTab = (typeof RETURN_TABS)[number];

/** Rows per page of a store's returns when the query names no `limit`. */
export const DEFAULT_RETURNS_PAGE = 20;

/** `GET /vendor/returns` query: which tab, where the page starts, how many rows. */
export const returnsQuery = z.object({
  status: z
    .enum(RETURN_TABS, { error: 'One of open, approved, declined, all.' })
    .optional()
    .transform((s) => s ?? 'open'),
  cursor: pageCursor,
  limit: pageLimit.transform((n) => n ?? DEFAULT_RETURNS_PAGE),
});

/** A page of a store's returns and the cursor of the next one (null on the last page). */
export interface ReturnsPage {
  rows: ReturnRow[];
  nextCursor: string | null;
}

// Open requests wait oldest first; decided ones (and "all") show the latest event first: the decision,
// or the request while it is open.
const eventAt = sql<number>`coalesce(${rr.decidedAt}, ${rr.createdAt})`;
const STATUS_OF: Record<ReturnTab, ReturnRow['status'] | null> = {
  open: 'requested',
  approved: 'approved',
  declined: 'declined',
  all: null,
};
const sortKeyOf = (tab: ReturnTab, row: ReturnRow) =>
  tab === 'open' ? row.createdAt : (row.decidedAt ?? row.createdAt);

/** The cursor after `row` in `tab` (lib/cursor.ts: the tab, the row's sort key and id). */
function encodeReturnsCursor(tab: ReturnTab, row: ReturnRow): string {
  return encodeCursor(tab, [sortKeyOf(tab, row), row.id]);
}

/** The sort key and id in a cursor made for `tab`; a 422 when it is not one (or is another tab's). */
function decodeReturnsCursor(tab: ReturnTab, cursor: string): [number, string] {
  const values = decodeCursor(tab, cursor, 2);
  const [key, id] = values ?? [];
  if (Number.isSafeInteger(key) && typeof id === 'string' && id.length <= 100) return [key as number, id];
  const message = 'Not a cursor of this listing (or of another tab).';
  throw new ValidationError(`cursor: ${message}`, { errors: [{ path: 'cursor', message }] });
}

/**
 * A store's return requests in `tab`, `limit` at a time, continuing after `before` (the previous page's
 * `nextCursor`): open ones oldest first, decided ones (and all) newest decision first. Only the store's
 * own rows, whatever the cursor says.
 */
export async function returnsOfStore(
  db: Db,
  storeId: string,
  options: { tab: ReturnTab; before?: string; limit: number },
): Promise<ReturnsPage> {
  const { tab, limit } = options;
  const after = options.before ? decodeReturnsCursor(tab, options.before) : null;
  const status = STATUS_OF[tab];
  const oldestFirst = tab === 'open';
  const key = oldestFirst ? rr.createdAt : eventAt;
  const results = await db
    .select()
    .from(rr)
    .where(
      and(
        eq(rr.storeId, storeId),
        status ? eq(rr.status, status) : undefined,
        after
          ? oldestFirst
            ? sql`(${key}, ${rr.id}) > (${after[0]}, ${after[1]})`
            : sql`(${key}, ${rr.id}) < (${after[0]}, ${after[1]})`
          : undefined,
      ),
    )
    .orderBy(...(oldestFirst ? [asc(key), asc(rr.id)] : [desc(key), desc(rr.id)]))
    .limit(limit + 1);
  const rows = results.slice(0, limit);
  const last = rows.at(-1);
  return { rows, nextCursor: results.length > limit && last ? encodeReturnsCursor(tab, last) : null };
}
