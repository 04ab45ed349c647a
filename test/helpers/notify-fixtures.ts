// Test helpers for notifications: a recording NOTIFY queue, the consumer run on one batch, rows by key.
import { env } from 'cloudflare:workers';
import type { BatchItem } from 'drizzle-orm/batch';
import { getDb } from '../../src/db/client';
import { handleNotificationBatch } from '../../src/notifications/consumer';
import type { NotifyMessage } from '../../src/notifications/outbox';
import { recordingQueue, runQueueBatch } from './queues';

/** The test env with a recording NOTIFY queue (nothing reaches the real consumer) and mail overrides. */
export function envWithNotify(overrides: Record<string, unknown> = {}): { env: Env; sent: NotifyMessage[] } {
  const { queue, sent } = recordingQueue<NotifyMessage>();
  return { env: { ...env, NOTIFY: queue, ...overrides }, sent };
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
  return runQueueBatch<NotifyMessage>(
    (batch) => handleNotificationBatch(batch, e),
    queueName,
    messages.map((m, i) => ({ id: `qm-${i}-${m.id}`, attempts: m.attempts, body: { id: m.id } })),
  );
}
