// Test helpers for notifications: a recording NOTIFY queue, the consumer run on one batch, rows by key.
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import type { BatchItem } from 'drizzle-orm/batch';
import { getDb } from '../../src/db/client';
import { handleNotificationBatch } from '../../src/notifications/consumer';
import type { NotifyMessage } from '../../src/notifications/outbox';

/** The test env with a recording NOTIFY queue (nothing reaches the real consumer) and mail overrides. */
export function envWithNotify(overrides: Record<string, unknown> = {}): { env: Env; sent: NotifyMessage[] } {
  const sent: NotifyMessage[] = [];
  const queue = {
    async send(body: NotifyMessage) {
      sent.push(body);
    },
    async sendBatch(messages: Iterable<MessageSendRequest<NotifyMessage>>) {
      for (const m of messages) sent.push(m.body);
    },
  };
  return { env: { ...env, NOTIFY: queue, ...overrides } as unknown as Env, sent };
}

/** Runs statements as one batch (as the code that queues a message does). */
export async function commit(...statements: BatchItem<'sqlite'>[]): Promise<void> {
  const db = getDb(env);
  await db.batch(statements as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]);
}

export interface OutboxRow {
  id: string;
  kind: string;
  idempotency_key: string;
  recipient: string | null;
  subject: string | null;
  body: string;
  html: string | null;
  data: string | null;
  status: string;
  attempts: number;
  resends: number;
  last_error: string | null;
  transport_id: string | null;
  enqueued_at: number | null;
}

/** The outbox rows with this idempotency key (0 or 1). */
export async function rowsByKey(key: string): Promise<OutboxRow[]> {
  const { results } = await env.DB.prepare('SELECT * FROM outbox WHERE idempotency_key = ?')
    .bind(key)
    .all<OutboxRow>();
  return results;
}

/** The outbox row with this key (throws when there is none). */
export async function rowByKey(key: string): Promise<OutboxRow> {
  const [row] = await rowsByKey(key);
  if (!row) throw new Error(`no outbox row ${key}`);
  return row;
}

/** Runs the notifications consumer on one batch; returns acks and retries (with the delays asked for). */
export async function runNotifyBatch(
  e: Env,
  messages: { id: string; attempts?: number }[],
  queueName = 'notifications',
) {
  const batch = createMessageBatch<NotifyMessage>(
    queueName,
    messages.map((m, i) => ({
      id: `qm-${i}-${m.id}`,
      timestamp: new Date(),
      attempts: m.attempts ?? 1,
      body: { id: m.id },
    })),
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
  await handleNotificationBatch(batch, e);
  const result = await getQueueResult(batch, ctx);
  return {
    ...result,
    retryMessages: result.retryMessages.map((m) => ({ ...m, delaySeconds: delays[m.msgId] })),
  };
}
