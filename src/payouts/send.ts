// The one send path of payouts: every delivery of a transfer or a reversal, and every operator retry,
// runs through here, so both kinds fail, retry and record their outcome the same way.
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { getDb, schema } from '../db/client';
import { ConflictError, NotFoundError } from '../lib/errors';
import { classifyFailure } from './failures';
import { failRow, noteError, reopenReversal, reopenTransfer } from './ledger';
import { enqueue } from './outbox';
import type { PayoutKind, ReversalRow, SendOutcome, TransferRow } from './types';

const LABEL: Record<PayoutKind, string> = { transfer: 'Transfer', reversal: 'Reversal' };

/** The idempotency key of a row: fixed per row, fresh only after an operator's retry. */
export function idempotencyKeyOf(kind: PayoutKind, row: { id: string; generation: number }): string {
  return row.generation > 0 ? `${kind}_${row.id}_g${row.generation}` : `${kind}_${row.id}`;
}

/** Marks a row failed for an operator, with the reason; the message is done (acked). */
export async function giveUp(db: Db, kind: PayoutKind, id: string, message: string): Promise<SendOutcome> {
  await failRow(db, kind, id, message);
  return { done: true, status: 'failed' };
}

/**
 * Runs one Stripe step of a delivery. A permanent refusal marks the row failed (the message is done);
 * anything retryable is noted on the row and the queue tries again later.
 */
export async function attempt(
  db: Db,
  kind: PayoutKind,
  id: string,
  step: () => Promise<SendOutcome>,
): Promise<SendOutcome> {
  try {
    return await step();
  } catch (err) {
    const failure = classifyFailure(err);
    if (!failure.retryable) return giveUp(db, kind, id, failure.message);
    await noteError(db, kind, id, failure.message);
    return { done: false, reason: failure.message };
  }
}

/**
 * Operator action: puts a failed row back in the queue with a fresh idempotency key (Stripe replays
 * a stored failure for the old one). Delivery first looks for what Stripe already made, so a retry
 * never pays or takes back twice.
 */
export async function retryPayout(env: Env, kind: 'transfer', id: string): Promise<TransferRow>;
export async function retryPayout(env: Env, kind: 'reversal', id: string): Promise<ReversalRow>;
export async function retryPayout(
  env: Env,
  kind: PayoutKind,
  id: string,
): Promise<TransferRow | ReversalRow> {
  const db = getDb(env);
  const row = kind === 'transfer' ? await reopenTransfer(db, id) : await reopenReversal(db, id);
  if (!row) {
    const table = kind === 'transfer' ? schema.transfers : schema.transferReversals;
    const current = await db.select({ status: table.status }).from(table).where(eq(table.id, id)).get();
    if (!current) throw new NotFoundError(`No ${kind} ${id}.`);
    throw new ConflictError(
      `${LABEL[kind]} ${id} is ${current.status}; only a failed ${kind} can be retried.`,
      { [`${kind}_status`]: current.status },
    );
  }
  await enqueue(env, db, kind, [row.id]);
  return row;
}
