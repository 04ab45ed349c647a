// The payouts queue consumer: transfers and reversals to connected accounts.

export interface PayoutMessage {
  kind: 'transfer' | 'reversal';
  /** transfers.id or transfer_reversals.id */
  id: string;
}

/** Handles a batch from `payouts` or its dead-letter queue. */
export async function handlePayoutBatch(batch: MessageBatch<PayoutMessage>, _env: Env): Promise<void> {
  for (const message of batch.messages) message.retry();
}
