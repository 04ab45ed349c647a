// How much refunds take back from each vendor: a pure function of the SET of refunds recorded for an
// order (never of the order they arrived in), and of what was already taken back.
import { apportion, sum, vendorsShareOfRefunds } from '../lib/money';

/** The prefix of a reversal row that corrects an over-sent transfer rather than answering a refund. */
export const EXCESS_PREFIX = 'excess:';

/** One reversal to record: `amount` more from `transferId`, bringing it up to `target` in total. */
export interface ReversalPlan {
  transferId: string;
  /**
   * The row's key (transfer_reversals.refund_id): `refunded:<total>`, the refunded total this
   * reversal catches up with. The same set of refunds always gives the same key.
   */
  refundId: string;
  amount: number;
  /** What refunds take back from this transfer in all, once this reversal is recorded. */
  target: number;
}

/** The prefix of a reversal row that answers one vendor's part (a cancel or a return): `part:<re_id>`. */
export const PART_PREFIX = 'part:';

/** The prefix of the (negative) reversal row that gives back what a won dispute took: `returned:<du_id>`. */
export const DISPUTE_RETURN_PREFIX = 'returned:';

/** The key of the reversals that bring every transfer up to the share of `refunded`. */
function reversalKey(refunded: number): string {
  return `refunded:${refunded}`;
}

/** What a reversal row answers, read from its key. */
export type ReversalCause =
  | { kind: 'refunds'; refunded: number }
  | { kind: 'correction'; stripeTransferId: string }
  | { kind: 'refund'; refundId: string }
  | { kind: 'part'; refundId: string }
  | { kind: 'dispute_return'; disputeId: string };

/** Reads a reversal row's key: a refunded total, a correction of an over-sent transfer, or (older rows) one refund. */
export function reversalCause(key: string): ReversalCause {
  if (key.startsWith(EXCESS_PREFIX))
    return { kind: 'correction', stripeTransferId: key.slice(EXCESS_PREFIX.length) };
  if (key.startsWith(PART_PREFIX)) return { kind: 'part', refundId: key.slice(PART_PREFIX.length) };
  // Written by the ledger when a won dispute gives back what it had taken (a negative row).
  if (key.startsWith('returned:'))
    return { kind: 'dispute_return', disputeId: key.slice('returned:'.length) };
  const total = /^refunded:(\d+)$/.exec(key);
  if (total) return { kind: 'refunds', refunded: Number(total[1]) };
  return { kind: 'refund', refundId: key };
}

/** True for reversal rows that answer pro-rata refunds (counted against the targets), not corrections or parts. */
function answersRefunds(row: { refundId: string }): boolean {
  return !row.refundId.startsWith(EXCESS_PREFIX) && !row.refundId.startsWith(PART_PREFIX);
}

/**
 * What refunds totalling `refunded` take back from each transfer in all: the vendors' share of the
 * refunded total (see `vendorsShareOfRefunds`), split between the transfers in proportion to what each
 * was paid. The split is house monotone (`apportion`): a larger refunded total never asks less of any
 * transfer, so reversals recorded for part of the refunds never exceed what all of them ask. Equal to
 * every transfer in full once everything collected is refunded.
 */
function reversalTargets(collected: number, weights: readonly number[], refunded: number): number[] {
  const vendorsTotal = sum(weights);
  return apportion(vendorsShareOfRefunds(collected, vendorsTotal, refunded), weights);
}

/**
 * What reversal rows take back from a transfer towards the refund targets (corrections and parts
 * aside). A won dispute's give-back is a negative row here, so this sum alone may go below its parts.
 */
export function takenFrom(
  recorded: readonly { transferId: string; refundId: string; amount: number }[],
  transferId: string,
): number {
  return recorded
    .filter((r) => r.transferId === transferId && answersRefunds(r))
    .reduce((total, r) => total + r.amount, 0);
}

/**
 * What the recorded pro-rata refunds take back from each transfer in all (aligned with `transfers`):
 * the targets `planReversals` works towards.
 */
export function refundTargets(input: {
  collected: number;
  transfers: readonly { initialAmount: number }[];
  refunds: readonly { refundId: string; amount: number }[];
}): number[] {
  const refunded = sum([...new Map(input.refunds.map((r) => [r.refundId, r.amount])).values()]);
  if (refunded === 0) return input.transfers.map(() => 0);
  return reversalTargets(
    input.collected,
    input.transfers.map((t) => t.initialAmount),
    refunded,
  );
}

/**
 * The reversals still to record for an order: for each transfer, its target for the refunded total
 * minus what reversal rows already take back from it (corrections aside). Refunds are a set: the same
 * refund listed twice counts once, and any order of the same refunds gives the same plan. A transfer
 * already at (or past) its target gets nothing; nothing is ever planned twice for the same total.
 */
export function planReversals(input: {
  collected: number;
  transfers: readonly { id: string; initialAmount: number }[];
  refunds: readonly { refundId: string; amount: number }[];
  recorded: readonly { transferId: string; refundId: string; amount: number }[];
}): ReversalPlan[] {
  const { collected, transfers, recorded } = input;
  const refunds = new Map(input.refunds.map((r) => [r.refundId, r.amount]));
  const refunded = sum([...refunds.values()]);
  if (refunded === 0 || transfers.length === 0) return [];
  const targets = reversalTargets(
    collected,
    transfers.map((t) => t.initialAmount),
    refunded,
  );
  const plans: ReversalPlan[] = [];
  transfers.forEach((t, i) => {
    const taken = takenFrom(recorded, t.id);
    const target = targets[i]!;
    if (target > taken)
      plans.push({ transferId: t.id, refundId: reversalKey(refunded), amount: target - taken, target });
  });
  return plans;
}
