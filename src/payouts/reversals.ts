// Taking money back from a vendor: a Stripe transfer reversal for a sent transfer, or a smaller
// transfer when the refund came before the money left. Operators retry failed reversals.
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { runBatch } from '../db/batch';
import type { Db } from '../db/client';
import { getDb, schema } from '../db/client';
import { ConflictError, NotFoundError } from '../lib/errors';
import { getStripe, type Stripe } from '../stripe/client';
import { classifyFailure } from './failures';
import { enqueueReversals } from './outbox';
import type { SendOutcome } from './transfers';

export type ReversalRow = typeof schema.transferReversals.$inferSelect;

const now = () => Math.floor(Date.now() / 1000);

/** The idempotency key of a reversal row: fixed per row, fresh only after an operator's retry. */
function reversalIdempotencyKey(row: Pick<ReversalRow, 'id' | 'generation'>): string {
  return row.generation > 0 ? `reversal_${row.id}_g${row.generation}` : `reversal_${row.id}`;
}

/**
 * The statements that turn a transfer's `reducing` reversals into a smaller transfer (cancelled at
 * zero) and mark them `applied`. Run in the batch that set them `reducing`: all or nothing, and a
 * second run finds nothing `reducing`, so it never takes the money twice.
 */
export function reduceUnsentTransfer(transferId: string): SQL[] {
  return [
    sql`UPDATE transfers
      SET amount = amount - COALESCE((SELECT SUM(r.amount) FROM transfer_reversals r
                                      WHERE r.transfer_id = transfers.id AND r.status = 'reducing'), 0),
          updated_at = unixepoch()
      WHERE id = ${transferId}
        AND EXISTS (SELECT 1 FROM transfer_reversals r WHERE r.transfer_id = transfers.id AND r.status = 'reducing')`,
    sql`UPDATE transfers SET status = 'canceled', updated_at = unixepoch()
      WHERE id = ${transferId} AND amount = 0 AND stripe_transfer_id IS NULL AND status IN ('pending', 'failed')`,
    sql`UPDATE transfer_reversals SET status = 'applied', updated_at = unixepoch()
      WHERE transfer_id = ${transferId} AND status = 'reducing'`,
  ];
}

/** Delivers one reversal row. */
export async function sendReversal(env: Env, reversalId: string): Promise<SendOutcome> {
  const db = getDb(env);
  const row = await db.query.transferReversals.findFirst({
    where: eq(schema.transferReversals.id, reversalId),
  });
  if (!row) return { done: true, status: 'missing' };
  if (row.status !== 'pending') return { done: true, status: row.status };
  const transfer = await db.query.transfers.findFirst({ where: eq(schema.transfers.id, row.transferId) });
  if (!transfer) return markFailed(db, row.id, `Transfer ${row.transferId} does not exist.`);

  if (!transfer.stripeTransferId) {
    // Still on its way: recordTransferSent re-queues this row once Stripe holds the transfer, and the
    // cron sweep re-sends it if the transfer fails instead; nothing to do until then.
    if (transfer.status === 'sending') return { done: true, status: 'waiting' };
    // Never sent (pending, failed or canceled): shrink it instead of reversing.
    await runBatch(db, [
      sql`UPDATE transfer_reversals
        SET status = 'reducing',
            amount = MIN(amount, (SELECT t.amount FROM transfers t WHERE t.id = transfer_reversals.transfer_id))
        WHERE id = ${row.id} AND status = 'pending'
          AND EXISTS (SELECT 1 FROM transfers t WHERE t.id = transfer_reversals.transfer_id
                      AND t.stripe_transfer_id IS NULL AND t.status IN ('pending', 'failed', 'canceled'))`,
      ...reduceUnsentTransfer(transfer.id),
    ]);
    const after = await db.query.transferReversals.findFirst({
      where: eq(schema.transferReversals.id, row.id),
    });
    return after?.status === 'applied'
      ? { done: true, status: 'applied' }
      : { done: false, reason: 'The transfer changed while the refund was applied; trying again.' };
  }

  await db
    .update(schema.transferReversals)
    .set({ attempts: sql`${schema.transferReversals.attempts} + 1`, updatedAt: now() })
    .where(eq(schema.transferReversals.id, row.id));
  try {
    const stripe = getStripe(env);
    let reversal: Stripe.TransferReversal | null = null;
    if (row.attempts > 0 || row.generation > 0)
      reversal = await findStripeReversal(stripe, transfer.stripeTransferId, row.id);
    reversal ??= await stripe.transfers.createReversal(
      transfer.stripeTransferId,
      {
        amount: row.amount,
        description: row.refundId.startsWith('excess:') ? 'Correction' : `Refund ${row.refundId}`,
        metadata: { reversal_id: row.id, refund_id: row.refundId, order_id: transfer.orderId },
      },
      { idempotencyKey: reversalIdempotencyKey(row), maxNetworkRetries: 0 },
    );
    await recordReversalSent(env, row.id, reversal.id, transfer.id);
    return { done: true, status: 'sent' };
  } catch (err) {
    const failure = classifyFailure(err);
    if (!failure.retryable) return markFailed(db, row.id, failure.message);
    await db
      .update(schema.transferReversals)
      .set({ lastError: failure.message, updatedAt: now() })
      .where(eq(schema.transferReversals.id, row.id));
    return { done: false, reason: failure.message };
  }
}

async function markFailed(db: Db, id: string, message: string): Promise<SendOutcome> {
  await db
    .update(schema.transferReversals)
    .set({ status: 'failed', lastError: message, updatedAt: now() })
    .where(and(eq(schema.transferReversals.id, id), eq(schema.transferReversals.status, 'pending')));
  return { done: true, status: 'failed' };
}

async function findStripeReversal(
  stripe: Stripe,
  stripeTransferId: string,
  reversalId: string,
): Promise<Stripe.TransferReversal | null> {
  const list = await stripe.transfers.listReversals(stripeTransferId, { limit: 100 });
  return list.data.find((r) => r.metadata?.reversal_id === reversalId) ?? null;
}

/**
 * Marks a reversal row sent and refreshes the transfer's `amount_reversed` (never below what Stripe
 * already reported). Idempotent.
 */
export async function recordReversalSent(
  env: Pick<Env, 'DB'>,
  reversalRowId: string,
  stripeReversalId: string,
  transferId: string,
): Promise<void> {
  await runBatch(getDb(env), [
    sql`UPDATE transfer_reversals
      SET status = 'sent', stripe_reversal_id = ${stripeReversalId}, last_error = NULL, updated_at = unixepoch()
      WHERE id = ${reversalRowId} AND status IN ('pending', 'failed')`,
    sql`UPDATE transfers
      SET amount_reversed = MAX(amount_reversed, COALESCE((SELECT SUM(r.amount) FROM transfer_reversals r
                                                           WHERE r.transfer_id = transfers.id AND r.status = 'sent'), 0)),
          updated_at = unixepoch()
      WHERE id = ${transferId}`,
  ]);
}

/** Operator action: puts a failed reversal back in the queue with a fresh idempotency key. */
export async function retryReversal(env: Env, reversalId: string): Promise<ReversalRow> {
  const db = getDb(env);
  const [row] = await db
    .update(schema.transferReversals)
    .set({
      status: 'pending',
      generation: sql`${schema.transferReversals.generation} + 1`,
      lastError: null,
      enqueuedAt: null,
      updatedAt: now(),
    })
    .where(and(eq(schema.transferReversals.id, reversalId), eq(schema.transferReversals.status, 'failed')))
    .returning();
  if (!row) {
    const current = await db.query.transferReversals.findFirst({
      where: eq(schema.transferReversals.id, reversalId),
    });
    if (!current) throw new NotFoundError(`No reversal ${reversalId}.`);
    throw new ConflictError(
      `Reversal ${reversalId} is ${current.status}; only a failed reversal can be retried.`,
      {
        reversal_status: current.status,
      },
    );
  }
  await enqueueReversals(env, db, [row.id]);
  return row;
}
