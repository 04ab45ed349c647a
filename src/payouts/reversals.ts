// Taking money back from a vendor: a Stripe transfer reversal for a sent transfer, or a smaller
// transfer when the refund came before the money left. Operators retry failed reversals.
import { getDb, schema, rowById } from '../db/client';
import { getStripe, type Stripe } from '../stripe/client';
import { applyByReduction, countReversalAttempt, recordReversalSent } from './ledger';
import { EXCESS_PREFIX } from './plan';
import { attempt, giveUp, idempotencyKeyOf, retryPayout } from './send';
import type { ReversalRow, SendOutcome } from './types';

/** The idempotency key of a reversal row: fixed per row, fresh only after an operator's retry. */
function reversalIdempotencyKey(row: Pick<ReversalRow, 'id' | 'generation'>): string {
  return idempotencyKeyOf('reversal', row);
}

/** Delivers one reversal row. */
export async function sendReversal(env: Env, reversalId: string): Promise<SendOutcome> {
  const db = getDb(env);
  const row = await rowById(db, schema.transferReversals, reversalId);
  if (!row) return { done: true, status: 'missing' };
  if (row.status !== 'pending') return { done: true, status: row.status };
  const transfer = await rowById(db, schema.transfers, row.transferId);
  if (!transfer) return giveUp(db, 'reversal', row.id, `Transfer ${row.transferId} does not exist.`);

  if (!transfer.stripeTransferId) {
    // Still on its way: recordTransferSent re-queues this row once Stripe holds the transfer, and the
    // cron sweep re-sends it if the transfer fails instead; nothing to do until then.
    if (transfer.status === 'sending') return { done: true, status: 'waiting' };
    // Never sent (pending, failed or canceled): shrink it instead of reversing.
    return (await applyByReduction(db, row))
      ? { done: true, status: 'applied' }
      : { done: false, reason: 'The transfer changed while the refund was applied; trying again.' };
  }

  await countReversalAttempt(db, row.id);
  const stripeTransferId = transfer.stripeTransferId;
  return attempt(db, 'reversal', row.id, async () => {
    const stripe = getStripe(env);
    let reversal: Stripe.TransferReversal | null = null;
    if (row.attempts > 0 || row.generation > 0)
      reversal = await findStripeReversal(stripe, stripeTransferId, row.id);
    reversal ??= await stripe.transfers.createReversal(
      stripeTransferId,
      {
        amount: row.amount,
        description: row.refundId.startsWith(EXCESS_PREFIX) ? 'Correction' : 'Refund',
        metadata: { reversal_id: row.id, refund_id: row.refundId, order_id: transfer.orderId },
      },
      // The queue owns retries (with backoff and a record on the row): no silent SDK retries.
      { idempotencyKey: reversalIdempotencyKey(row), maxNetworkRetries: 0 },
    );
    await recordReversalSent(db, row.id, reversal.id, transfer.id);
    return { done: true, status: 'sent' };
  });
}

async function findStripeReversal(
  stripe: Stripe,
  stripeTransferId: string,
  reversalId: string,
): Promise<Stripe.TransferReversal | null> {
  const list = await stripe.transfers.listReversals(stripeTransferId, { limit: 100 });
  return list.data.find((r) => r.metadata?.reversal_id === reversalId) ?? null;
}

/** Operator action: puts a failed reversal back in the queue with a fresh idempotency key. */
export function retryReversal(env: Env, reversalId: string): Promise<ReversalRow> {
  return retryPayout(env, 'reversal', reversalId);
}
