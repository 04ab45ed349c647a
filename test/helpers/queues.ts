// Test helpers for Queues: a queue that only records what is sent to it, and one consumer run on one
// batch as Queues would deliver it (with the retry delays the consumer asked for, which getQueueResult omits).
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';

/** A queue that records what is sent to it instead of delivering it. */
export function recordingQueue<Body>(): { queue: Queue<Body>; sent: Body[] } {
  const sent: Body[] = [];
  const queue = {
    async send(body: Body) {
      sent.push(body);
    },
    async sendBatch(messages: Iterable<MessageSendRequest<Body>>) {
      for (const m of messages) sent.push(m.body);
    },
  };
  return { queue: queue as unknown as Queue<Body>, sent };
}

/** Runs `consumer` on one batch of these messages; returns acks and retries, each retry with its delay. */
export async function runQueueBatch<Body>(
  consumer: (batch: MessageBatch<Body>) => Promise<void>,
  queueName: string,
  messages: { id: string; body: Body; attempts?: number }[],
) {
  const batch = createMessageBatch<Body>(
    queueName,
    messages.map((m) => ({ id: m.id, timestamp: new Date(), attempts: m.attempts ?? 1, body: m.body })),
  );
  const delays: Record<string, number | undefined> = {};
  for (const message of batch.messages) {
    const retry = message.retry.bind(message);
    Object.defineProperty(message, 'retry', {
      value: (options?: QueueRetryOptions) => {
        delays[message.id] = options?.delaySeconds;
        retry(options);
      },
    });
  }
  const ctx = createExecutionContext();
  await consumer(batch);
  const result = await getQueueResult(batch, ctx);
  return {
    ...result,
    retryMessages: result.retryMessages.map((m) => ({ ...m, delaySeconds: delays[m.msgId] })),
  };
}
