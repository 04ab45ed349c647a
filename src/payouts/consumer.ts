// The payouts queue consumer: transfers and reversals to connected accounts, and the dead-letter
// consumer that records on the row every message the main queue gave up on.
import { getDb } from '../db/client';
import { retryDelaySeconds } from './failures';
import { failRow } from './ledger';
import { sendReversal } from './reversals';
import { sendTransfer } from './transfers';
import type { PayoutMessage, SendOutcome } from './types';
import { errorFields } from '../lib/log';

export type { PayoutMessage };

/** True for the dead-letter queue's batches (`payouts-dlq`, or any `*-dlq` in another environment). */
function isDeadLetterQueue(queue: string): boolean {
  return queue.endsWith('-dlq');
}

/**
 * Handles a batch from `payouts` or its dead-letter queue. Each message is acked or retried on its
 * own: one vendor's failure never holds back or repeats another's payout.
 */
export async function handlePayoutBatch(batch: MessageBatch<PayoutMessage>, env: Env): Promise<void> {
  const deadLetter = isDeadLetterQueue(batch.queue);
  for (const message of batch.messages) {
    try {
      if (!isPayoutMessage(message.body)) {
        // Not ours to interpret and never will be: logged (without its body) and dropped.
        console.error(
          JSON.stringify({ msg: 'payouts: malformed message', queue: batch.queue, id: message.id }),
        );
        message.ack();
        continue;
      }
      if (deadLetter) {
        await recordDeadLetter(env, message.body, message.attempts);
        message.ack();
        continue;
      }
      const outcome: SendOutcome =
        message.body.kind === 'transfer'
          ? await sendTransfer(env, message.body.id)
          : await sendReversal(env, message.body.id);
      if (outcome.done) {
        message.ack();
      } else {
        console.warn(
          JSON.stringify({
            msg: 'payouts: retrying',
            kind: message.body.kind,
            id: message.body.id,
            attempts: message.attempts,
            reason: outcome.reason,
          }),
        );
        message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
      }
    } catch (err) {
      // D1 or code failure outside the Stripe call: retry this message only.
      console.error(
        JSON.stringify({
          msg: 'payouts: message failed',
          id: message.id,
          queue: batch.queue,
          ...errorFields(err),
        }),
      );
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }
  }
}

function isPayoutMessage(body: unknown): body is PayoutMessage {
  const b = body as Partial<PayoutMessage> | null;
  return !!b && (b.kind === 'transfer' || b.kind === 'reversal') && typeof b.id === 'string';
}

/**
 * A message the main queue gave up on: the row becomes `failed` with the reason, for an operator to
 * retry from the admin. A row that got through in the meantime is left alone.
 */
async function recordDeadLetter(env: Env, body: PayoutMessage, attempts: number): Promise<void> {
  const note = `Gave up after repeated failures (dead-letter delivery ${attempts}): `;
  await failRow(getDb(env), body.kind, body.id, note, { keepPrevious: true });
  console.warn(JSON.stringify({ msg: 'payouts: dead-lettered', kind: body.kind, id: body.id }));
}
