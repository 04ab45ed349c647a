// The one owner of payout state: every write to transfers, transfer_reversals and payout_refunds goes
// through here, each status change along the flows below and conditional on the status it leaves.
import { and, eq, exists, inArray, isNull, notLike, or, sql, type SQL } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { changes, runBatch } from '../db/batch';
import type { Db } from '../db/client';
import { schema } from '../db/client';
import { newId } from '../lib/ids';
import { DISPUTE_RETURN_PREFIX, EXCESS_PREFIX, PART_PREFIX, type ReversalPlan } from './plan';
import type {
  OrderRefund,
  PayoutKind,
  ReversalRow,
  ReversalStatus,
  TransferRow,
  TransferStatus,
} from './types';
import { nowSeconds as now } from '../lib/time';

const t = schema.transfers;
const r = schema.transferReversals;
type Items = BatchItem<'sqlite'>[];

/**
 * Where a transfer may go from each status. Money only moves forward (pending → sending → sent →
 * partially_reversed → reversed); two moves look back and are deliberate: an operator's retry
 * (failed → pending, with a fresh idempotency key), and Stripe reporting a transfer we had given up on
 * or cancelled (→ sent: Stripe holds the money, so the row follows it, and any excess is reversed).
 */
const TRANSFER_FLOW: { readonly [S in TransferStatus]: readonly TransferStatus[] } = {
  // Waiting for the vendor's part to ship or be delivered: released to pending, or refunded to nothing.
  held: ['pending', 'canceled'],
  pending: ['sending', 'sent', 'failed', 'canceled'],
  sending: ['sent', 'failed'],
  sent: ['partially_reversed', 'reversed'],
  partially_reversed: ['reversed'],
  reversed: [],
  failed: ['pending', 'sent', 'canceled'],
  canceled: ['sent'],
};

/** Where a reversal may go from each status (failed → pending is an operator's retry). */
const REVERSAL_FLOW: { readonly [S in ReversalStatus]: readonly ReversalStatus[] } = {
  pending: ['reducing', 'sent', 'failed'],
  reducing: ['applied'],
  applied: [],
  sent: [],
  failed: ['pending', 'sent'],
};

/** The statuses a row may leave for `to`: the WHERE of every status write. */
function sourcesOf<S extends string>(flow: { readonly [K in S]: readonly S[] }, to: S): S[] {
  return (Object.keys(flow) as S[]).filter((s) => flow[s].includes(to));
}
const transferFrom = (to: TransferStatus) => inArray(t.status, sourcesOf(TRANSFER_FLOW, to));
const reversalFrom = (to: ReversalStatus) => inArray(r.status, sourcesOf(REVERSAL_FLOW, to));

/** A transfer never handed to Stripe: a refund shrinks it instead of reversing it. */
const REDUCIBLE: TransferStatus[] = ['held', 'pending', 'failed', 'canceled'];
const isUnsent = and(isNull(t.stripeTransferId), inArray(t.status, REDUCIBLE))!;

// ------------------------------------------------------------------ transfers

/**
 * The INSERTs of one pending transfer per vendor share, for the D1 batch that marks the order paid.
 * `ON CONFLICT DO NOTHING` on (order, store): a second fulfilment of the same order writes nothing.
 */
export function newTransfers(
  db: Db,
  order: { id: string; currency: string },
  shares: readonly { storeId: string; amount: number; fee: number }[],
  hold: PayoutHold | null = null,
): Items {
  return shares.map((share) =>
    db
      .insert(t)
      .values({
        id: newId('xfer'),
        orderId: order.id,
        storeId: share.storeId,
        amount: share.amount,
        initialAmount: share.amount,
        fee: share.fee,
        currency: order.currency,
        status: hold ? 'held' : 'pending',
        heldFor: hold?.until ?? null,
        holdDays: hold?.days ?? 0,
      })
      .onConflictDoNothing(),
  );
}

/** What keeps a new transfer `held`: its vendor's part shipping, or delivered plus `days`. */
export interface PayoutHold {
  until: 'shipment' | 'delivery';
  days: number;
}

/**
 * held → pending for these rows (their release condition was met), ready for the queue. Only rows
 * still held move, so a second release (cron and request racing) changes nothing. Returns the ids moved.
 */
export async function releaseHeldTransfers(db: Db, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .update(t)
    .set({ status: 'pending', enqueuedAt: null, updatedAt: now() })
    .where(and(inArray(t.id, [...ids]), transferFrom('pending'), eq(t.status, 'held')))
    .returning({ id: t.id });
  return rows.map((row) => row.id);
}

/** Deletes an order's transfer rows never handed to the queue: the order turned out not to be paid. */
export async function discardUnsentTransfers(db: Db, orderId: string): Promise<void> {
  await db
    .delete(t)
    .where(and(eq(t.orderId, orderId), inArray(t.status, ['pending', 'held']), isNull(t.enqueuedAt)));
}

/** Stamps rows as handed to the queue now (the sweep re-sends rows whose stamp grew old). */
export async function markEnqueued(db: Db, kind: PayoutKind, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  if (kind === 'transfer')
    await db
      .update(t)
      .set({ enqueuedAt: now() })
      .where(inArray(t.id, [...ids]));
  else
    await db
      .update(r)
      .set({ enqueuedAt: now() })
      .where(inArray(r.id, [...ids]));
}

/**
 * pending/sending → sending, one more attempt: the row is claimed before Stripe is called, so a refund
 * arriving meanwhile reverses it instead of shrinking an amount already on its way. Null when the row
 * is in no state to be sent.
 */
export async function claimTransfer(db: Db, id: string): Promise<TransferRow | null> {
  const [row] = await db
    .update(t)
    .set({ status: 'sending', attempts: sql`${t.attempts} + 1`, updatedAt: now() })
    .where(and(eq(t.id, id), inArray(t.status, ['pending', 'sending'] satisfies TransferStatus[])))
    .returning();
  return row ?? null;
}

/**
 * What Stripe holds for a transfer row (from the consumer or a `transfer.*` event; first writer
 * wins). If a refund shrank the row while Stripe was sending the full amount, the difference becomes
 * a pending correction reversal, so the vendor keeps exactly what the refunds left.
 */
export async function recordTransferSent(
  db: Db,
  rowId: string,
  transfer: { id: string; amount: number; amountReversed: number; destination: string | null },
): Promise<void> {
  await runBatch(db, [
    insertReversal(db, {
      transferId: rowId,
      key: `${EXCESS_PREFIX}${transfer.id}`,
      amount: sql`${transfer.amount} - ${t.amount}`,
      status: sql`${'pending' satisfies ReversalStatus}`,
      when: and(isNull(t.stripeTransferId), sql`${transfer.amount} > ${t.amount}`)!,
    }),
    db
      .update(t)
      .set({
        status: 'sent',
        stripeTransferId: transfer.id,
        amount: transfer.amount,
        destination: sql`COALESCE(${transfer.destination}, ${t.destination})`,
        lastError: null,
        amountReversed: sql`MAX(${t.amountReversed}, ${transfer.amountReversed})`,
        updatedAt: now(),
      })
      .where(and(eq(t.id, rowId), isNull(t.stripeTransferId), transferFrom('sent'))),
    reversedStatus(db, rowId),
  ]);
}

/** Stripe reports `amountReversed` of a transfer: it only grows here, and the status follows. */
export async function recordAmountReversed(db: Db, transferId: string, amountReversed: number) {
  await runBatch(db, [
    db
      .update(t)
      .set({ amountReversed: sql`MAX(${t.amountReversed}, ${amountReversed})`, updatedAt: now() })
      .where(eq(t.id, transferId)),
    reversedStatus(db, transferId),
  ]);
}

/**
 * sent → partially_reversed → reversed, from what was reversed at Stripe: `reversed` once nothing of
 * the transfer is left with the vendor. Never back: amount_reversed only grows.
 */
function reversedStatus(db: Db, transferId: string) {
  const full = sql`${t.amountReversed} >= ${t.amount}`;
  return db
    .update(t)
    .set({
      status: sql`CASE WHEN ${full} THEN ${'reversed' satisfies TransferStatus} ELSE ${'partially_reversed' satisfies TransferStatus} END`,
      updatedAt: now(),
    })
    .where(
      and(
        eq(t.id, transferId),
        sql`${t.amountReversed} > 0`,
        or(and(transferFrom('partially_reversed'), sql`NOT (${full})`), and(transferFrom('reversed'), full)),
      ),
    );
}

// ------------------------------------------------------------------ both kinds: failures and retries

/** Records why a try failed, leaving the status as it is (the queue retries the row). */
export async function noteError(db: Db, kind: PayoutKind, id: string, message: string): Promise<void> {
  if (kind === 'transfer')
    await db.update(t).set({ lastError: message, updatedAt: now() }).where(eq(t.id, id));
  else await db.update(r).set({ lastError: message, updatedAt: now() }).where(eq(r.id, id));
}

/**
 * → failed, for an operator, with the reason. `prefix` keeps the previous error after it (the
 * dead-letter note). False when the row had moved on (sent meanwhile): it is left alone.
 */
export async function failRow(
  db: Db,
  kind: PayoutKind,
  id: string,
  message: string,
  opts: { keepPrevious?: boolean } = {},
): Promise<boolean> {
  const table = kind === 'transfer' ? t : r;
  const lastError = opts.keepPrevious
    ? sql`${message} || COALESCE(${table.lastError}, 'no error recorded')`
    : message;
  const res =
    kind === 'transfer'
      ? await db
          .update(t)
          .set({ status: 'failed', lastError, updatedAt: now() })
          .where(and(eq(t.id, id), transferFrom('failed')))
      : await db
          .update(r)
          .set({ status: 'failed', lastError, updatedAt: now() })
          .where(and(eq(r.id, id), reversalFrom('failed')));
  return changes(res) > 0;
}

/** failed → pending with a fresh generation (so a fresh idempotency key): an operator's retry. */
export async function reopenTransfer(db: Db, id: string): Promise<TransferRow | null> {
  const [row] = await db
    .update(t)
    .set({ status: 'pending', generation: sql`${t.generation} + 1`, ...reopened() })
    .where(and(eq(t.id, id), eq(t.status, 'failed')))
    .returning();
  return row ?? null;
}

/** failed → pending with a fresh generation: an operator's retry of a reversal. */
export async function reopenReversal(db: Db, id: string): Promise<ReversalRow | null> {
  const [row] = await db
    .update(r)
    .set({ status: 'pending', generation: sql`${r.generation} + 1`, ...reopened() })
    .where(and(eq(r.id, id), eq(r.status, 'failed')))
    .returning();
  return row ?? null;
}
const reopened = () => ({ lastError: null, enqueuedAt: null, updatedAt: now() });

// ------------------------------------------------------------------ refunds and reversals

/** Records a refund for payouts, once by its id. */
export async function recordPayoutRefund(db: Db, refund: OrderRefund): Promise<void> {
  await db
    .insert(schema.payoutRefunds)
    .values({ refundId: refund.refundId, orderId: refund.orderId, amount: refund.amount })
    .onConflictDoNothing();
}

/**
 * One reversal row per plan, written so that concurrent or repeated runs never take more than the
 * target: the amount is `target − what reversal rows of the transfer already take`, computed inside
 * the INSERT (one statement, so atomic in D1), and nothing is written when that is not positive. A
 * transfer not yet handed to Stripe is reduced instead (`reducing`, capped at what is left, applied
 * by the statements after it in the same batch); otherwise the row waits to be sent (`pending`).
 */
export function reversalInserts(db: Db, plans: readonly ReversalPlan[]): Items {
  const items: Items = plans.map((p) => {
    const taken = db
      .select({ n: sql`COALESCE(SUM(${r.amount}), 0)` })
      .from(r)
      .where(
        and(
          eq(r.transferId, p.transferId),
          notLike(r.refundId, `${EXCESS_PREFIX}%`),
          notLike(r.refundId, `${PART_PREFIX}%`),
        ),
      );
    const due = sql`(${p.target} - (${taken}))`;
    return insertReversal(db, {
      transferId: p.transferId,
      key: p.refundId,
      amount: sql`CASE WHEN ${isUnsent} THEN MIN(${due}, ${t.amount}) ELSE ${due} END`,
      status: sql`CASE WHEN ${isUnsent} THEN ${'reducing' satisfies ReversalStatus} ELSE ${'pending' satisfies ReversalStatus} END`,
      when: sql`CASE WHEN ${isUnsent} THEN MIN(${due}, ${t.amount}) ELSE ${due} END > 0`,
    });
  });
  for (const id of new Set(plans.map((p) => p.transferId))) items.push(...reduceUnsent(db, id));
  return items;
}

/**
 * One reversal row per refund of a vendor's part (key `part:<refund id>`, so once per refund): the vendor
 * gives back `amount`, never more than what is left of their transfer after everything already taken
 * (corrections aside). Reduced at once while the transfer is unsent, else queued as a reversal.
 */
export function partReversalInserts(
  db: Db,
  parts: readonly { transferId: string; refundId: string; amount: number }[],
): Items {
  const items: Items = parts.map((p) => {
    const taken = db
      .select({ n: sql`COALESCE(SUM(${r.amount}), 0)` })
      .from(r)
      .where(and(eq(r.transferId, p.transferId), notLike(r.refundId, `${EXCESS_PREFIX}%`)));
    const left = sql`(CASE WHEN ${t.initialAmount} > 0 THEN ${t.initialAmount} ELSE ${t.amount} END - (${taken}))`;
    const due = sql`MIN(${p.amount}, ${left})`;
    return insertReversal(db, {
      transferId: p.transferId,
      key: `${PART_PREFIX}${p.refundId}`,
      amount: sql`CASE WHEN ${isUnsent} THEN MIN(${due}, ${t.amount}) ELSE ${due} END`,
      status: sql`CASE WHEN ${isUnsent} THEN ${'reducing' satisfies ReversalStatus} ELSE ${'pending' satisfies ReversalStatus} END`,
      when: sql`CASE WHEN ${isUnsent} THEN MIN(${due}, ${t.amount}) ELSE ${due} END > 0`,
    });
  });
  for (const id of new Set(parts.map((p) => p.transferId))) items.push(...reduceUnsent(db, id));
  return items;
}

/** INSERT … SELECT of one reversal row from its transfer's row, only `when` holds; once per key. */
function insertReversal(
  db: Db,
  row: { transferId: string; key: string; amount: SQL; status: SQL; when: SQL },
) {
  return db
    .insert(r)
    .select(
      db
        .select({
          id: sql<string>`${newId('trev')}`.as('id'),
          transferId: t.id,
          refundId: sql<string>`${row.key}`.as('refund_id'),
          amount: row.amount.as('amount'),
          status: row.status.as('status'),
          stripeReversalId: sql`NULL`.as('stripe_reversal_id'),
          attempts: sql`0`.as('attempts'),
          generation: sql`0`.as('generation'),
          lastError: sql`NULL`.as('last_error'),
          enqueuedAt: sql`NULL`.as('enqueued_at'),
          createdAt: sql`unixepoch()`.as('created_at'),
          updatedAt: sql`unixepoch()`.as('updated_at'),
        })
        .from(t)
        .where(and(eq(t.id, row.transferId), row.when)),
    )
    .onConflictDoNothing();
}

/**
 * The statements that turn a transfer's `reducing` reversals into a smaller transfer (canceled at
 * zero) and mark them `applied`. Run in the batch that set them `reducing`: all or nothing, and a
 * second run finds nothing `reducing`, so it never takes the money twice.
 */
function reduceUnsent(db: Db, transferId: string): Items {
  const reducing = and(eq(r.transferId, transferId), eq(r.status, 'reducing'));
  const total = db
    .select({ n: sql`COALESCE(SUM(${r.amount}), 0)` })
    .from(r)
    .where(reducing);
  const any = db
    .select({ one: sql`1` })
    .from(r)
    .where(reducing);
  return [
    db
      .update(t)
      .set({ amount: sql`${t.amount} - (${total})`, updatedAt: now() })
      .where(and(eq(t.id, transferId), exists(any))),
    db
      .update(t)
      .set({ status: 'canceled', updatedAt: now() })
      .where(
        and(
          eq(t.id, transferId),
          eq(t.amount, 0),
          isNull(t.stripeTransferId),
          inArray(t.status, ['held', 'pending', 'failed'] satisfies TransferStatus[]),
        ),
      ),
    db
      .update(r)
      .set({ status: 'applied', updatedAt: now() })
      .where(and(reducing, reversalFrom('applied'))),
  ];
}

/**
 * A reversal of a transfer that never reached Stripe is applied by shrinking the transfer: pending →
 * reducing → applied in one batch, capped at what is left of it. True when the row ended `applied`.
 */
export async function applyByReduction(db: Db, reversal: ReversalRow): Promise<boolean> {
  const left = db.select({ amount: t.amount }).from(t).where(eq(t.id, reversal.transferId));
  const unsent = db
    .select({ one: sql`1` })
    .from(t)
    .where(and(eq(t.id, reversal.transferId), isUnsent));
  await runBatch(db, [
    db
      .update(r)
      .set({ status: 'reducing', amount: sql`MIN(${r.amount}, (${left}))`, updatedAt: now() })
      .where(and(eq(r.id, reversal.id), reversalFrom('reducing'), exists(unsent))),
    ...reduceUnsent(db, reversal.transferId),
  ]);
  const after = await db.select({ status: r.status }).from(r).where(eq(r.id, reversal.id)).get();
  return after?.status === 'applied';
}

/** One more try of a reversal at Stripe (its idempotency key stays the same). */
export async function countReversalAttempt(db: Db, id: string): Promise<void> {
  await db
    .update(r)
    .set({ attempts: sql`${r.attempts} + 1`, updatedAt: now() })
    .where(eq(r.id, id));
}

/**
 * pending/failed → sent with Stripe's reversal id; the transfer's `amount_reversed` becomes at least
 * the sum of its sent reversals, and its status follows. Idempotent.
 */
export async function recordReversalSent(
  db: Db,
  reversalRowId: string,
  stripeReversalId: string,
  transferId: string,
): Promise<void> {
  const sent = db
    .select({ n: sql`COALESCE(SUM(${r.amount}), 0)` })
    .from(r)
    .where(and(eq(r.transferId, transferId), eq(r.status, 'sent')));
  await runBatch(db, [
    db
      .update(r)
      .set({ status: 'sent', stripeReversalId, lastError: null, updatedAt: now() })
      .where(and(eq(r.id, reversalRowId), reversalFrom('sent'))),
    db
      .update(t)
      .set({ amountReversed: sql`MAX(${t.amountReversed}, (${sent}))`, updatedAt: now() })
      .where(eq(t.id, transferId)),
    reversedStatus(db, transferId),
  ]);
}

// ------------------------------------------------------------------ disputes

/** The payout_refunds key of a dispute's recovery: it counts as an un-attributed refund of the order. */
export const disputeRecoveryKey = (disputeId: string) => `dispute:${disputeId}`;

/** The reversal-row key that gives back what a won dispute had taken from a transfer (a negative amount). */
const disputeReturnKey = (disputeId: string) => `${DISPUTE_RETURN_PREFIX}${disputeId}`;

/**
 * Records a dispute's amount as recovered from the vendors (an un-attributed refund of the order),
 * once, and never for a dispute already won: the check and the insert are one statement, so a late
 * `created` racing the `closed (won)` handler cannot bring the recovery back after it was dropped.
 */
export async function recordDisputeRecovery(
  db: Db,
  d: { orderId: string; disputeId: string; amount: number },
): Promise<void> {
  await db.run(sql`INSERT INTO ${schema.payoutRefunds} (refund_id, order_id, amount)
    SELECT ${disputeRecoveryKey(d.disputeId)}, ${d.orderId}, ${d.amount}
    WHERE NOT EXISTS (SELECT 1 FROM ${schema.disputes} WHERE id = ${d.disputeId} AND status = 'won')
    ON CONFLICT DO NOTHING`);
}

/** A won dispute no longer counts as a refund: the plan's targets fall back to the refunds alone. */
export async function dropDisputeRecovery(db: Db, disputeId: string): Promise<void> {
  await db
    .delete(schema.payoutRefunds)
    .where(eq(schema.payoutRefunds.refundId, disputeRecoveryKey(disputeId)));
}

/**
 * What a won dispute gives back, in one batch per call: for each vendor, a credit on their sale
 * transfer (an `applied` reversal row of minus the amount, so later refunds are planned as if the
 * dispute had never taken it) and a new transfer of the amount (purpose `dispute:<du_id>`), both once
 * per dispute and transfer whatever the redeliveries. The new transfer waits (`held`) under the sale
 * transfer's hold when that one was never released; otherwise it is pending, for the queue.
 */
export function disputeReturnInserts(
  db: Db,
  order: { id: string; currency: string },
  disputeId: string,
  returns: readonly { transferId: string; storeId: string; amount: number; hold: PayoutHold | null }[],
): Items {
  return returns
    .filter((x) => x.amount > 0)
    .flatMap((x) => [
      db
        .insert(r)
        .values({
          id: newId('trev'),
          transferId: x.transferId,
          refundId: disputeReturnKey(disputeId),
          amount: -x.amount,
          status: 'applied',
        })
        .onConflictDoNothing(),
      db
        .insert(t)
        .values({
          id: newId('xfer'),
          orderId: order.id,
          storeId: x.storeId,
          amount: x.amount,
          initialAmount: x.amount,
          fee: 0,
          currency: order.currency,
          status: x.hold ? 'held' : 'pending',
          heldFor: x.hold?.until ?? null,
          holdDays: x.hold?.days ?? 0,
          purpose: `dispute:${disputeId}`,
        })
        .onConflictDoNothing(),
    ]);
}
