// What disputes do to vendor payouts: an open or lost dispute is recovered from the vendors exactly
// like an un-attributed refund (the same plan, reductions and reversals); a won one gives back to each
// vendor what it had taken, as a new transfer through the same queue.
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { getDb, schema } from '../db/client';
import { runBatch } from '../db/batch';
import { assertMinorUnits } from '../lib/money';
import {
  disputeRecoveryKey,
  disputeReturnInserts,
  dropDisputeRecovery,
  recordDisputeRecovery,
} from './ledger';
import { enqueueOrderTransfers } from './outbox';
import { refundTargets, takenFrom } from './plan';
import { reconcileOrderRefunds, refundPlanInputs } from './refunds';

/**
 * Takes a dispute's amount back from the order's vendors in proportion to their shares (idempotent;
 * a no-op for a dispute already won).
 */
export async function recoverDisputedAmount(
  env: Env,
  d: { orderId: string; disputeId: string; amount: number },
): Promise<void> {
  assertMinorUnits(d.amount, 'disputed amount');
  await recordDisputeRecovery(getDb(env), d);
  await reconcileOrderRefunds(env, d.orderId);
}

/**
 * A won dispute: it stops counting as a refund, and whatever the vendors gave back beyond what the
 * remaining refunds ask of them is returned, one transfer per vendor, sent through the queue. A
 * function of the recorded state only: run again (or after a `created` that came late) it finds
 * nothing more to return. Returns the amounts given back, by store.
 */
export async function returnDisputedAmount(
  env: Env,
  d: { orderId: string; disputeId: string },
): Promise<Map<string, number>> {
  const db = getDb(env);
  await dropDisputeRecovery(db, d.disputeId);
  const inputs = await refundPlanInputs(db, d.orderId, true);
  const given = new Map<string, number>();
  if (!inputs) return given;
  const targets = refundTargets(inputs.plan);
  const returns = inputs.transfers.map((t, i) => {
    const taken = takenFrom(inputs.plan.recorded, t.id);
    // A sale transfer never released keeps its hold over what is given back (the part has not shipped).
    const unreleased = !t.stripeTransferId && (t.status === 'held' || t.status === 'canceled');
    const hold = unreleased && t.heldFor ? { until: t.heldFor, days: t.holdDays } : null;
    return { transferId: t.id, storeId: t.storeId, amount: Math.max(0, taken - targets[i]!), hold };
  });
  const order = { id: d.orderId, currency: inputs.transfers[0]!.currency };
  const items = disputeReturnInserts(db, order, d.disputeId, returns);
  if (items.length > 0) await runBatch(db, items);
  await enqueueOrderTransfers(env, db, d.orderId);
  for (const x of returns) if (x.amount > 0) given.set(x.storeId, x.amount);
  return given;
}

/**
 * What a dispute of `amount` asks of each vendor (by store): their share of it under the refund plan,
 * i.e. the plan's targets with the dispute counted minus without it. Empty before the order's
 * transfers exist.
 */
export async function disputeShares(
  env: Env,
  d: { orderId: string; disputeId: string; amount: number },
): Promise<Map<string, number>> {
  const inputs = await refundPlanInputs(getDb(env), d.orderId, true);
  const shares = new Map<string, number>();
  if (!inputs) return shares;
  const key = disputeRecoveryKey(d.disputeId);
  const others = inputs.plan.refunds.filter((r) => r.refundId !== key);
  const without = refundTargets({ ...inputs.plan, refunds: others });
  const withIt = refundTargets({
    ...inputs.plan,
    refunds: [...others, { refundId: key, amount: d.amount }],
  });
  inputs.transfers.forEach((t, i) => shares.set(t.storeId, withIt[i]! - without[i]!));
  return shares;
}

/** What refunds answer while a chargeback holds the order's payment. */
export const CHARGEBACK_MESSAGE =
  "The payment for this order is disputed with the card holder's bank (a chargeback), so nothing can be refunded until the dispute is won.";

/**
 * True while a chargeback holds the order's payment (open, under review, or lost): Stripe refuses
 * refunds of a charged-back charge, so cancels, returns and refunds are refused before anything changes.
 */
export async function chargebackHolds(db: Db, orderId: string): Promise<boolean> {
  const row = await db
    .select({ id: schema.disputes.id })
    .from(schema.disputes)
    .where(
      and(
        eq(schema.disputes.orderId, orderId),
        inArray(schema.disputes.status, ['needs_response', 'under_review', 'lost']),
      ),
    )
    .get();
  return Boolean(row);
}
