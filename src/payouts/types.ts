// The payouts domain's types, at the bottom of the folder: every other payouts module may import them.
import type { ReversalStatus, TransferStatus } from '../db/schema';
import type { schema } from '../db/client';

export type { ReversalStatus, TransferStatus };

/** A transfer row: one payout to one vendor for one order. */
export type TransferRow = typeof schema.transfers.$inferSelect;

/** A reversal row: what refunds take back from one transfer (reversed at Stripe, or reduced before sending). */
export type ReversalRow = typeof schema.transferReversals.$inferSelect;

/** The two kinds of payout row the queue carries. */
export type PayoutKind = 'transfer' | 'reversal';

/** A message of the `payouts` queue: which row to deliver. */
export interface PayoutMessage {
  kind: PayoutKind;
  /** transfers.id or transfer_reversals.id */
  id: string;
}

/** What became of one delivery: finished (ack) or to be retried (retry with a delay). */
export type SendOutcome = { done: true; status: string } | { done: false; reason: string };

/** One refund of an order as payouts sees it. */
export interface OrderRefund {
  orderId: string;
  /** Stripe refund id (re_...). */
  refundId: string;
  /** Amount of this refund, minor units. */
  amount: number;
}
