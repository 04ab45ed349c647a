// The NOTIFY queue consumer (and its dead-letter consumer): at least once, each message acked or
// retried on its own, transient failures retried with growing delays, then recorded as failed.
import { getDb, schema, rowById } from '../db/client';
import type { MailEnv } from './config';
import { deliverMessage, markFailed, recordRetry } from './deliver';
import type { NotifyMessage } from './outbox';
import { errorFields } from '../lib/log';

/** Deliveries of one queue message before it is recorded as failed (wrangler.toml max_retries is 5: 6 deliveries). */
const MAX_ATTEMPTS = 5;

/** True for the notifications queues (`notifications`, `notifications-dlq`). */
export function isNotificationQueue(queue: string): boolean {
  return queue === 'notifications' || queue.startsWith('notifications-');
}

/** Seconds before the next try: 30, 60, 120, 240, ... capped at an hour. */
function retryDelaySeconds(attempts: number): number {
  const n = Math.max(1, Math.floor(attempts));
  return Math.min(30 * 2 ** (n - 1), 3600);
}

function isNotifyMessage(body: unknown): body is NotifyMessage {
  return !!body && typeof (body as NotifyMessage).id === 'string';
}

/** Handles a batch from `notifications` or `notifications-dlq`. */
export async function handleNotificationBatch(
  batch: MessageBatch<NotifyMessage>,
  env: MailEnv,
): Promise<void> {
  const deadLetter = batch.queue.endsWith('-dlq');
  for (const message of batch.messages) {
    if (!isNotifyMessage(message.body)) {
      // Not ours and never will be: logged (without its body) and dropped.
      console.error(JSON.stringify({ msg: 'notifications: malformed queue message', id: message.id }));
      message.ack();
      continue;
    }
    const { id } = message.body;
    try {
      if (deadLetter) {
        await recordDeadLetter(env, id, message.attempts);
        message.ack();
        continue;
      }
      await deliverMessage(env, id);
      message.ack();
    } catch (err) {
      // Transport said "later", or D1 or code failed: this message only.
      const reason = err instanceof Error ? err.message : String(err);
      const db = getDb(env);
      try {
        if (message.attempts >= MAX_ATTEMPTS) {
          await markFailed(
            db,
            await rowOrStub(env, id),
            `Gave up after ${message.attempts} attempts: ${reason}`,
          );
          message.ack();
        } else {
          const delaySeconds = retryDelaySeconds(message.attempts);
          await recordRetry(db, id, reason, delaySeconds);
          console.warn(
            JSON.stringify({
              msg: 'notifications: retrying',
              id,
              attempts: message.attempts,
              delaySeconds,
              reason,
            }),
          );
          message.retry({ delaySeconds });
        }
      } catch (recordErr) {
        // D1 itself is failing: retry; the dead-letter consumer records it if this never clears.
        console.error(
          JSON.stringify({ msg: 'notifications: could not record a failure', id, ...errorFields(recordErr) }),
        );
        message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
      }
    }
  }
}

async function rowOrStub(env: MailEnv, id: string) {
  const row = await rowById(getDb(env), schema.outbox, id);
  return row ?? { id, kind: 'unknown', recipient: null };
}

/** A message the main queue gave up on: recorded as failed with its last error (a sent one is left alone). */
async function recordDeadLetter(env: MailEnv, id: string, attempts: number): Promise<void> {
  const row = await rowById(getDb(env), schema.outbox, id);
  if (!row) return;
  await markFailed(
    getDb(env),
    row,
    `Gave up after repeated failures (dead-letter delivery ${attempts}): ${row.lastError ?? 'no error recorded'}`,
  );
}
