// Stripe events that reconcile payouts (transfer.created, transfer.updated, transfer.reversed).
import { and, eq, inArray } from 'drizzle-orm';
import { getDb, schema } from '../db/client';
import type { Stripe } from '../stripe/client';
import type { HandlerMap, WebhookHandler } from '../stripe/handlers';
import { recordAmountReversed, recordReversalSent } from './ledger';
import { recordTransferSent } from './transfers';

/**
 * `transfer.created`: the transfer exists at Stripe. Usually the consumer recorded it already; if its
 * answer was lost, this records it (and any refund that shrank the row meanwhile becomes a reversal).
 */
const onTransferCreated: WebhookHandler = async (event, env) => {
  const transfer = event.data.object as Stripe.Transfer;
  const rowId = await recordTransferSent(env, transfer);
  if (!rowId) return 'ignored';
  await applyReversals(env, rowId, transfer);
  return 'processed';
};

/**
 * `transfer.reversed` / `transfer.updated`: reversals Stripe reports for the transfer. Rows tagged
 * with a reversal id become `sent`; `amount_reversed` only grows, so an older event changes nothing.
 */
const onTransferChanged: WebhookHandler = async (event, env) => {
  const transfer = event.data.object as Stripe.Transfer;
  const db = getDb(env);
  const row = await db.query.transfers.findFirst({
    where: eq(schema.transfers.stripeTransferId, transfer.id),
    columns: { id: true },
  });
  const rowId = row?.id ?? (await recordTransferSent(env, transfer));
  if (!rowId) return 'ignored';
  await applyReversals(env, rowId, transfer);
  return 'processed';
};

async function applyReversals(env: Env, rowId: string, transfer: Stripe.Transfer): Promise<void> {
  const db = getDb(env);
  const tagged = (transfer.reversals?.data ?? []).filter((r) => typeof r.metadata?.reversal_id === 'string');
  if (tagged.length > 0) {
    const ids = tagged.map((r) => r.metadata!.reversal_id!);
    const rows = await db
      .select({ id: schema.transferReversals.id })
      .from(schema.transferReversals)
      .where(and(inArray(schema.transferReversals.id, ids), eq(schema.transferReversals.transferId, rowId)));
    for (const r of rows) {
      const stripeReversal = tagged.find((t) => t.metadata!.reversal_id === r.id)!;
      await recordReversalSent(db, r.id, stripeReversal.id, rowId);
    }
  }
  await recordAmountReversed(db, rowId, transfer.amount_reversed ?? 0);
}

export const payoutEventHandlers: HandlerMap = {
  'transfer.created': onTransferCreated,
  'transfer.updated': onTransferChanged,
  'transfer.reversed': onTransferChanged,
};
