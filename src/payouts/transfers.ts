// Sending one vendor transfer to Stripe: claim the row, find the charge, create (or adopt) the
// transfer with a key fixed by the row, and record the outcome. Operators retry failed rows.
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/client';
import { getDb, schema, rowById } from '../db/client';
import { getStripe, type Stripe } from '../stripe/client';
import { RetryLater } from './failures';
import { claimTransfer, recordTransferSent as recordSent } from './ledger';
import { enqueueReversals } from './outbox';
import { reconcileOrderRefunds } from './refunds';
import { attempt, giveUp, idempotencyKeyOf, retryPayout } from './send';
import type { SendOutcome, TransferRow } from './types';

/** The idempotency key of a transfer row: fixed per row, fresh only after an operator's retry. */
function transferIdempotencyKey(row: Pick<TransferRow, 'id' | 'generation'>): string {
  return idempotencyKeyOf('transfer', row);
}

/**
 * Delivers one transfer row. A row is claimed (`sending`) before Stripe is called, so a refund
 * arriving meanwhile reverses it instead of shrinking an amount already on its way.
 */
export async function sendTransfer(env: Env, transferId: string): Promise<SendOutcome> {
  const db = getDb(env);
  const before = await rowById(db, schema.transfers, transferId);
  if (!before) return { done: true, status: 'missing' };
  if (before.status !== 'pending' && before.status !== 'sending')
    return { done: true, status: before.status };

  // A refund recorded before this order's transfers existed is applied now, before money moves.
  if (before.status === 'pending') await reconcileOrderRefunds(env, before.orderId);

  const row = await claimTransfer(db, transferId);
  if (!row) {
    const current = await rowById(db, schema.transfers, transferId);
    return { done: true, status: current?.status ?? 'missing' };
  }

  return attempt(db, 'transfer', row.id, async () => {
    const store = await rowById(db, schema.stores, row.storeId);
    const destination = store?.stripeAccountId ?? row.destination;
    if (!store || !destination) {
      return giveUp(db, 'transfer', row.id, `Store ${row.storeId} has no connected Stripe account.`);
    }
    if (store.deauthorizedAt) {
      return giveUp(db, 'transfer', row.id, `Store ${store.name} disconnected its Stripe account.`);
    }
    const order = await rowById(db, schema.orders, row.orderId);
    if (!order) return giveUp(db, 'transfer', row.id, `Order ${row.orderId} does not exist.`);

    const stripe = getStripe(env);
    // After an attempt whose outcome we never saw (or an operator's retry with a fresh key), Stripe may
    // already hold this transfer: adopt it rather than pay twice.
    if (row.attempts > 1 || row.generation > 0) {
      const existing = await findStripeTransfer(stripe, row);
      if (existing) {
        await recordTransferSent(env, existing);
        return { done: true, status: 'sent' };
      }
    }
    const chargeId = await chargeOf(stripe, order);
    const transfer = await stripe.transfers.create(
      {
        amount: row.amount,
        currency: row.currency,
        destination,
        transfer_group: row.orderId,
        source_transaction: chargeId,
        description: `Order ${row.orderId}`,
        metadata: { transfer_id: row.id, order_id: row.orderId, store_id: row.storeId },
      },
      // The queue owns retries (with backoff and a record on the row): no silent SDK retries.
      { idempotencyKey: transferIdempotencyKey(row), maxNetworkRetries: 0 },
    );
    await recordTransferSent(env, transfer);
    return { done: true, status: 'sent' };
  });
}

/** The charge behind an order: its recorded id, else the PaymentIntent's (or Checkout Session's) latest charge. */
async function chargeOf(
  stripe: Stripe,
  order: Pick<typeof schema.orders.$inferSelect, 'chargeId' | 'paymentIntentId' | 'checkoutSessionId'>,
): Promise<string> {
  if (order.chargeId) return order.chargeId;
  let paymentIntentId = order.paymentIntentId;
  if (!paymentIntentId && order.checkoutSessionId) {
    const session = await stripe.checkout.sessions.retrieve(order.checkoutSessionId);
    paymentIntentId =
      typeof session.payment_intent === 'string'
        ? session.payment_intent
        : (session.payment_intent?.id ?? null);
  }
  if (paymentIntentId) {
    const intent = await stripe.paymentIntents.retrieve(paymentIntentId);
    const charge = intent.latest_charge;
    const id = typeof charge === 'string' ? charge : charge?.id;
    if (id) return id;
  }
  throw new RetryLater('The order has no charge yet (waiting for Stripe to confirm the payment).');
}

/** A transfer Stripe already made for this row (same transfer group, tagged with the row id). */
async function findStripeTransfer(stripe: Stripe, row: TransferRow): Promise<Stripe.Transfer | null> {
  const list = await stripe.transfers.list({ transfer_group: row.orderId, limit: 100 });
  return list.data.find((t) => t.metadata?.transfer_id === row.id) ?? null;
}

/**
 * Records that Stripe holds `transfer` for its row (from the consumer or a `transfer.*` event;
 * idempotent, first writer wins), then queues the reversals that waited for it to exist (a refund
 * while it was being sent, or the excess of a row a refund shrank meanwhile). Returns the row id, or
 * null when no row names this transfer.
 */
export async function recordTransferSent(env: Env, transfer: Stripe.Transfer): Promise<string | null> {
  const db = getDb(env);
  const rowId = await rowIdFor(db, transfer);
  if (!rowId) return null;
  const destination =
    typeof transfer.destination === 'string' ? transfer.destination : (transfer.destination?.id ?? null);
  await recordSent(db, rowId, {
    id: transfer.id,
    amount: transfer.amount,
    amountReversed: transfer.amount_reversed ?? 0,
    destination,
  });
  const waiting = await db
    .select({ id: schema.transferReversals.id })
    .from(schema.transferReversals)
    .where(
      and(
        eq(schema.transferReversals.transferId, rowId),
        eq(schema.transferReversals.status, 'pending'),
        isNull(schema.transferReversals.stripeReversalId),
      ),
    );
  await enqueueReversals(
    env,
    db,
    waiting.map((r) => r.id),
  );
  return rowId;
}

async function rowIdFor(db: Db, transfer: Stripe.Transfer): Promise<string | null> {
  const byStripe = await db.query.transfers.findFirst({
    where: eq(schema.transfers.stripeTransferId, transfer.id),
    columns: { id: true },
  });
  if (byStripe) return byStripe.id;
  const tagged = transfer.metadata?.transfer_id;
  if (!tagged) return null;
  const row = await db.query.transfers.findFirst({
    where: eq(schema.transfers.id, tagged),
    columns: { id: true },
  });
  return row?.id ?? null;
}

/**
 * Operator action: puts a failed transfer back in the queue with a fresh idempotency key. The
 * consumer first looks for a transfer Stripe already made, so a retry never pays twice.
 */
export function retryTransfer(env: Env, transferId: string): Promise<TransferRow> {
  return retryPayout(env, 'transfer', transferId);
}
