// What a refund does to vendor payouts: reduce or cancel unsent transfers, reverse sent ones in proportion.
import { and, asc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { runBatch } from '../db/batch';
import { getDb, schema } from '../db/client';
import { newId } from '../lib/ids';
import { allocate, assertMinorUnits, sum } from '../lib/money';
import { enqueueReversals } from './outbox';
import { reduceUnsentTransfer } from './reversals';

export interface OrderRefund {
  orderId: string;
  /** Stripe refund id (re_...). */
  refundId: string;
  /** Amount of this refund, minor units. */
  amount: number;
}

/**
 * Applies a refund to the order's vendor transfers. Idempotent per refund id: a second call for
 * the same refund changes nothing. The refund is recorded first, so a refund that arrives before the
 * order's transfers exist is applied when they are about to be sent.
 */
export async function onOrderRefunded(env: Env, refund: OrderRefund): Promise<void> {
  assertMinorUnits(refund.amount, 'refund amount');
  const db = getDb(env);
  await db
    .insert(schema.payoutRefunds)
    .values({ refundId: refund.refundId, orderId: refund.orderId, amount: refund.amount })
    .onConflictDoNothing();
  await reconcileOrderRefunds(env, refund.orderId);
}

/** One vendor's share of one refund. */
export interface ReversalPlan {
  transferId: string;
  refundId: string;
  amount: number;
}

/**
 * How much each refund takes back from each transfer. Vendors give back their share of the refund in
 * proportion to what they were paid: refunds are counted cumulatively, so when the refunds reach what
 * was collected every vendor has given back exactly its transfer (no cent lost to rounding), and a
 * vendor never gives back more than it got. Only (transfer, refund) pairs not yet recorded are planned.
 */
export function planReversals(input: {
  collected: number;
  transfers: readonly { id: string; initialAmount: number }[];
  refunds: readonly { refundId: string; amount: number }[];
  recorded: readonly { transferId: string; refundId: string; amount: number }[];
}): ReversalPlan[] {
  const { collected, transfers, refunds, recorded } = input;
  const weights = transfers.map((t) => t.initialAmount);
  const vendorsTotal = sum(weights);
  const isRefundRow = (r: { refundId: string }) => !r.refundId.startsWith('excess:');
  const taken = transfers.map((t) =>
    sum(recorded.filter((r) => r.transferId === t.id && isRefundRow(r)).map((r) => r.amount)),
  );
  const done = new Set(recorded.map((r) => `${r.transferId} ${r.refundId}`));
  const plans: ReversalPlan[] = [];
  let refunded = 0;
  for (const refund of refunds) {
    refunded += refund.amount;
    const vendorsShare =
      refunded >= collected || collected <= 0
        ? vendorsTotal
        : allocate(refunded, [Math.min(vendorsTotal, collected), Math.max(0, collected - vendorsTotal)])[0]!;
    const targets = allocate(Math.min(vendorsShare, vendorsTotal), weights);
    transfers.forEach((t, i) => {
      if (done.has(`${t.id} ${refund.refundId}`)) return;
      const amount = Math.max(0, Math.min(targets[i]! - taken[i]!, weights[i]! - taken[i]!));
      if (amount === 0) return;
      taken[i]! += amount;
      plans.push({ transferId: t.id, refundId: refund.refundId, amount });
    });
  }
  return plans;
}

/**
 * Brings the order's reversals up to date with every refund recorded for it: a sent transfer gets a
 * pending reversal (queued), an unsent one is reduced in the same D1 batch. Safe to run any number of
 * times and concurrently: each (transfer, refund) pair is written once.
 */
export async function reconcileOrderRefunds(env: Env, orderId: string): Promise<void> {
  const db = getDb(env);
  const refunds = await db
    .select()
    .from(schema.payoutRefunds)
    .where(eq(schema.payoutRefunds.orderId, orderId))
    .orderBy(asc(schema.payoutRefunds.createdAt), asc(schema.payoutRefunds.refundId));
  if (refunds.length === 0) return;
  const [order, transfers] = await Promise.all([
    db.query.orders.findFirst({ where: eq(schema.orders.id, orderId) }),
    db
      .select()
      .from(schema.transfers)
      .where(eq(schema.transfers.orderId, orderId))
      .orderBy(asc(schema.transfers.id)),
  ]);
  // No transfers yet: the consumer runs this again before it sends the first one.
  if (!order || transfers.length === 0) return;
  const ids = transfers.map((t) => t.id);
  const recorded = await db
    .select()
    .from(schema.transferReversals)
    .where(inArray(schema.transferReversals.transferId, ids));
  const applied = (id: string) =>
    sum(recorded.filter((r) => r.transferId === id && r.status === 'applied').map((r) => r.amount));
  const plans = planReversals({
    collected: order.amountReceived > 0 ? order.amountReceived : order.total,
    // Rows written before initial_amount existed: what is left plus what refunds already took.
    transfers: transfers.map((t) => ({
      id: t.id,
      initialAmount: t.initialAmount || t.amount + applied(t.id),
    })),
    refunds,
    recorded,
  });
  if (plans.length > 0) {
    const statements: SQL[] = plans.map(
      (p) =>
        // The transfer's state decides, inside the transaction: not yet handed to Stripe → reduce it
        // (`reducing`, capped at what is left); otherwise → a reversal to send.
        sql`INSERT INTO transfer_reversals (id, transfer_id, refund_id, amount, status)
        SELECT ${newId('trev')}, t.id, ${p.refundId},
          CASE WHEN t.stripe_transfer_id IS NULL AND t.status IN ('pending', 'failed', 'canceled')
               THEN MIN(${p.amount}, t.amount) ELSE ${p.amount} END,
          CASE WHEN t.stripe_transfer_id IS NULL AND t.status IN ('pending', 'failed', 'canceled')
               THEN 'reducing' ELSE 'pending' END
        FROM transfers t WHERE t.id = ${p.transferId}
        ON CONFLICT (transfer_id, refund_id) DO NOTHING`,
    );
    for (const id of new Set(plans.map((p) => p.transferId))) statements.push(...reduceUnsentTransfer(id));
    await runBatch(db, statements);
  }
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
