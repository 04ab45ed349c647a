// What refunds do to vendor payouts: every vendor gives back its share of the refunded total, from an
// unsent transfer by reducing it, from a sent one by a reversal sent through the queue.
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { runBatch } from '../db/batch';
import type { Db } from '../db/client';
import { getDb, schema, rowById } from '../db/client';
import { assertMinorUnits, collectedOf, sum } from '../lib/money';
import { partReversalInserts, recordPayoutRefund, reversalInserts } from './ledger';
import { enqueueReversals } from './outbox';
import { planReversals, takenFrom, type ReversalPlan } from './plan';
import type { OrderRefund, ReversalRow, TransferRow } from './types';
import type { RefundInfo } from '../stripe/reshape';

/**
 * Applies a refund to the order's vendor transfers. Idempotent per refund id: a second call for
 * the same refund changes nothing. The refund is recorded first, so a refund that arrives before the
 * order's transfers exist is applied when they are about to be sent.
 */
export async function onOrderRefunded(env: Env, refund: OrderRefund): Promise<void> {
  assertMinorUnits(refund.amount, 'refund amount');
  await recordPayoutRefund(getDb(env), refund);
  await reconcileOrderRefunds(env, refund.orderId);
}

/**
 * What an order's reversal plan is computed from; null while there is nothing to plan (no refunds,
 * unless `always`, or no transfers yet).
 */
export async function refundPlanInputs(db: Db, orderId: string, always = false) {
  const refunds = await db
    .select()
    .from(schema.payoutRefunds)
    .where(eq(schema.payoutRefunds.orderId, orderId));
  if (refunds.length === 0 && !always) return null;
  const [order, all] = await Promise.all([
    rowById(db, schema.orders, orderId),
    db
      .select()
      .from(schema.transfers)
      .where(eq(schema.transfers.orderId, orderId))
      .orderBy(asc(schema.transfers.id)),
  ]);
  // The plan weighs the vendors' shares of the sale; a won dispute's give-back transfer only adds to
  // what its vendor holds (what later refunds may reverse from it).
  const transfers = all.filter((t) => t.purpose === 'sale');
  const giveBacks = all.filter((t) => t.purpose !== 'sale');
  // No transfers yet: the consumer runs this again before it sends the first one.
  if (!order || transfers.length === 0) return null;
  const raw = await db
    .select()
    .from(schema.transferReversals)
    .where(
      inArray(
        schema.transferReversals.transferId,
        all.map((t) => t.id),
      ),
    );
  // For the plan, what a give-back gave up counts against its vendor's sale transfer.
  const saleOf = new Map(
    giveBacks.map((g) => [g.id, transfers.find((t) => t.storeId === g.storeId)?.id ?? g.id]),
  );
  const recorded = raw.map((r) =>
    saleOf.has(r.transferId) ? { ...r, transferId: saleOf.get(r.transferId)! } : r,
  );
  const applied = (id: string) =>
    // Reductions only: a won dispute's give-back is a negative `applied` row, not a reduction.
    sum(
      recorded
        .filter((r) => r.transferId === id && r.status === 'applied' && r.amount > 0)
        .map((r) => r.amount),
    );
  // Refunds of one vendor's part (cancels, returns) come from that vendor alone; the others are split
  // pro rata over what the order collected and each vendor was paid apart from them.
  const attributions = await db
    .select()
    .from(schema.refundAttributions)
    .where(eq(schema.refundAttributions.orderId, orderId));
  const attributed = new Map(attributions.map((a) => [a.refundId, a]));
  const partRefunds = refunds.filter((r) => attributed.has(r.refundId));
  const owedByStore = (storeId: string) =>
    sum(
      partRefunds
        .map((r) => attributed.get(r.refundId)!)
        .filter((a) => a.storeId === storeId)
        .map((a) => a.vendorAmount),
    );
  return {
    transfers,
    giveBacks,
    raw,
    partRefunds,
    attributed,
    plan: {
      collected: Math.max(0, collectedOf(order) - sum(partRefunds.map((r) => r.amount))),
      // Rows written before initial_amount existed: what is left plus what refunds already took.
      transfers: transfers.map((t) => ({
        id: t.id,
        initialAmount: Math.max(0, (t.initialAmount || t.amount + applied(t.id)) - owedByStore(t.storeId)),
      })),
      refunds: refunds.filter((r) => !attributed.has(r.refundId)),
      recorded,
    },
  };
}

/** What is still left with the vendor on a transfer row: at Stripe once sent, else its (reduced) amount. */
function leftOn(t: TransferRow, raw: readonly ReversalRow[]): number {
  const taking = raw
    .filter((r) => r.transferId === t.id && r.amount > 0 && r.status !== 'applied')
    .reduce((n, r) => n + r.amount, 0);
  return Math.max(0, t.amount - taking);
}

/**
 * Spreads each sale transfer's planned reversal over what its vendor holds: the sale transfer first,
 * up to what is left on it, then the vendor's give-back transfers (a won dispute's), so a refund after
 * a won dispute never asks Stripe to reverse more than a transfer holds. Each row's target is what
 * rows of that transfer take in all once it is written, as the ledger expects.
 */
function overGiveBacks(
  plans: ReversalPlan[],
  inputs: { transfers: TransferRow[]; giveBacks: TransferRow[]; raw: ReversalRow[] },
): ReversalPlan[] {
  if (inputs.giveBacks.length === 0) return plans;
  return plans.flatMap((p) => {
    const sale = inputs.transfers.find((t) => t.id === p.transferId)!;
    const own = inputs.giveBacks.filter((g) => g.storeId === sale.storeId);
    if (own.length === 0) return [p];
    const out: ReversalPlan[] = [];
    let rest = p.amount;
    for (const t of [sale, ...own]) {
      const share = t === own[own.length - 1] ? rest : Math.min(rest, leftOn(t, inputs.raw));
      if (share <= 0) continue;
      out.push({
        transferId: t.id,
        refundId: p.refundId,
        amount: share,
        target: takenFrom(inputs.raw, t.id) + share,
      });
      rest -= share;
    }
    return out;
  });
}

/**
 * Brings the order's reversals up to date with the set of refunds recorded for it: each transfer is
 * brought up to its share of the refunded total (a sent transfer gets a pending reversal, queued; an
 * unsent one is reduced in the same D1 batch). Which refunds arrived first makes no difference. Safe
 * to run any number of times and concurrently: the ledger never writes past a transfer's target.
 */
export async function reconcileOrderRefunds(env: Env, orderId: string): Promise<void> {
  const db = getDb(env);
  const inputs = await refundPlanInputs(db, orderId);
  if (!inputs) return;
  const { transfers, partRefunds, attributed } = inputs;
  const plans = overGiveBacks(planReversals(inputs.plan), inputs);
  const parts = partRefunds.flatMap((r) => {
    const a = attributed.get(r.refundId)!;
    const transfer = transfers.find((t) => t.storeId === a.storeId);
    return transfer ? [{ transferId: transfer.id, refundId: r.refundId, amount: a.vendorAmount }] : [];
  });
  if (parts.length > 0) await runBatch(db, partReversalInserts(db, parts));
  if (plans.length > 0) await runBatch(db, reversalInserts(db, plans));
  // Queue every reversal of this order that is due and not yet handed to the queue (also those a
  // previous run wrote but could not send).
  const due = await db
    .select({ id: schema.transferReversals.id })
    .from(schema.transferReversals)
    .innerJoin(schema.transfers, eq(schema.transfers.id, schema.transferReversals.transferId))
    .where(
      and(
        eq(schema.transfers.orderId, orderId),
        eq(schema.transferReversals.status, 'pending'),
        isNull(schema.transferReversals.enqueuedAt),
      ),
    );
  await enqueueReversals(
    env,
    db,
    due.map((r) => r.id),
  );
}

/**
 * The INSERTs that record which refunds answer one vendor's part (from the refunds' metadata), for the
 * batch that records the refunds themselves: the payouts plan sees both together or neither.
 */
export function refundAttributionInserts(
  db: ReturnType<typeof getDb>,
  orderId: string,
  refunds: readonly RefundInfo[],
) {
  return refunds.flatMap((r) =>
    r.attribution
      ? [
          db
            .insert(schema.refundAttributions)
            .values({
              refundId: r.id,
              orderId,
              storeId: r.attribution.storeId,
              vendorAmount: r.attribution.vendorAmount,
            })
            .onConflictDoNothing(),
        ]
      : [],
  );
}

/**
 * What refunds without a vendor (not a cancel's or a return's) have given back on this order so far, as
 * recorded from Stripe's refunds: a later cancel or return refunds only what they left of its lines.
 */
export async function sharedRefundsOf(db: Db, orderId: string): Promise<number> {
  const [refunds, attributions] = await Promise.all([
    db.select().from(schema.payoutRefunds).where(eq(schema.payoutRefunds.orderId, orderId)),
    db
      .select({ refundId: schema.refundAttributions.refundId })
      .from(schema.refundAttributions)
      .where(eq(schema.refundAttributions.orderId, orderId)),
  ]);
  const attributed = new Set(attributions.map((a) => a.refundId));
  return sum(refunds.filter((r) => !attributed.has(r.refundId)).map((r) => r.amount));
}
