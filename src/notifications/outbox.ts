// The notifications outbox: a row written in the same D1 batch as the change that causes the message
// (one per idempotency key), handed to the NOTIFY queue after the commit, re-handed by the cron when a
// hand-off was lost, and resent on an operator's request.
import { and, desc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from '../db/client';
import { getDb, schema, rowById } from '../db/client';
import type { MessageStatus } from '../db/schema';
import { ConflictError, NotFoundError, ValidationError } from '../lib/errors';
import { newId } from '../lib/ids';
import { KINDS, SECRET_KINDS, type MessageData, type MessageKind } from './kinds';
import { isMailAddress, maskAddress } from './text';
import { nowSeconds } from '../lib/time';
import { errorFields } from '../lib/log';

/** The body of a NOTIFY queue message: the outbox row to send. */
export interface NotifyMessage {
  id: string;
}

/** A message to queue. `to` may be left out for kinds that find their recipient (order mail, vendor mail). */
export interface NewMessage<K extends MessageKind> {
  kind: K;
  /** One message per key, ever: the same key queued again writes nothing. At most 255 characters. */
  key: string;
  to?: string | null;
  data: MessageData<K>;
}

/**
 * The INSERT that queues a message, to run in the SAME batch as the change that causes it, so the
 * message exists exactly when the change does. `ON CONFLICT DO NOTHING` on the key. After the batch
 * commits, call `dispatchMessages(env)` (or let the cron do it within minutes).
 * Throws ValidationError for a recipient that is not a plain address or data its kind does not accept.
 */
export function enqueueMessage<K extends MessageKind>(db: Db, message: NewMessage<K>): BatchItem<'sqlite'> {
  if (!message.key || message.key.length > 255)
    throw new ValidationError('A message key is 1 to 255 characters.');
  if (message.to != null && !isMailAddress(message.to))
    throw new ValidationError('That is not an e-mail address we can send to.');
  const data = KINDS[message.kind].data.safeParse(message.data);
  if (!data.success) throw new ValidationError(`Bad data for a ${message.kind} message.`);
  return db
    .insert(schema.outbox)
    .values({
      id: newId('msg'),
      kind: message.kind,
      idempotencyKey: message.key,
      recipient: message.to ?? null,
      data: data.data as Record<string, unknown>,
      body: '',
      status: 'queued',
    })
    .onConflictDoNothing({ target: schema.outbox.idempotencyKey });
}

/**
 * Hands queued rows to NOTIFY: rows never handed off, or (for the cron) handed off before
 * `staleBefore` (unix seconds) and still queued. Each row is claimed by stamping `enqueued_at` in
 * one UPDATE, so two callers never hand the same row over twice. A failed hand-off is logged and
 * left to the next cron run: the request that queued the message never fails because of it.
 */
export async function dispatchMessages(
  env: Pick<Env, 'DB' | 'NOTIFY'>,
  opts: { staleBefore?: number; limit?: number } = {},
): Promise<number> {
  const db = getDb(env);
  const o = schema.outbox;
  const due =
    opts.staleBefore === undefined
      ? isNull(o.enqueuedAt)
      : or(isNull(o.enqueuedAt), lt(o.enqueuedAt, opts.staleBefore));
  const candidates = db
    .select({ id: o.id })
    .from(o)
    .where(and(eq(o.status, 'queued'), due))
    .orderBy(o.createdAt)
    .limit(opts.limit ?? 100);
  const claimed = await db
    .update(o)
    .set({ enqueuedAt: nowSeconds() })
    .where(and(inArray(o.id, candidates), eq(o.status, 'queued'), due))
    .returning({ id: o.id });
  if (claimed.length === 0) return 0;
  try {
    const queue = env.NOTIFY as Queue<NotifyMessage>;
    for (let i = 0; i < claimed.length; i += 100)
      await queue.sendBatch(claimed.slice(i, i + 100).map(({ id }) => ({ body: { id } })));
  } catch (err) {
    console.error(
      JSON.stringify({
        msg: 'notifications: hand-off to NOTIFY failed',
        count: claimed.length,
        ...errorFields(err),
      }),
    );
    // Unclaimed again, so the next cron run hands them over without waiting out the stale period.
    await db
      .update(o)
      .set({ enqueuedAt: null })
      .where(
        and(
          inArray(
            o.id,
            claimed.map((c) => c.id),
          ),
          eq(o.status, 'queued'),
        ),
      )
      .catch(() => undefined);
    return 0;
  }
  return claimed.length;
}

/** A row queued this long without being sent lost its queue message: the cron hands it over again. */
const STALE_QUEUED_SECONDS = 5 * 60;

/** The cron's step: re-hands rows left `queued` (never handed off, or handed off long ago). */
export function resendQueuedMessages(
  env: Pick<Env, 'DB' | 'NOTIFY'>,
  olderThanSeconds = STALE_QUEUED_SECONDS,
) {
  return dispatchMessages(env, { staleBefore: nowSeconds() - olderThanSeconds });
}

/**
 * An operator's "Resend": the message is queued again and handed off. A sent sign-in link is never
 * sent twice (its link was withheld, and a fresh one is one click away for its owner).
 */
export async function resendMessage(env: Pick<Env, 'DB' | 'NOTIFY'>, id: string): Promise<MessageListItem> {
  const db = getDb(env);
  const row = await rowById(db, schema.outbox, id);
  if (!row) throw new NotFoundError(`No message ${id}.`);
  if (row.status === 'queued')
    throw new ConflictError('This message is still queued; it is sent as soon as it can be.');
  if (row.status === 'sent' && SECRET_KINDS.has(row.kind))
    throw new ConflictError('A sign-in link is sent once; its owner can ask for a new one.');
  await db
    .update(schema.outbox)
    .set({
      status: 'queued',
      enqueuedAt: null,
      lastError: null,
      resends: sql`${schema.outbox.resends} + 1`,
      updatedAt: nowSeconds(),
    })
    .where(and(eq(schema.outbox.id, id), inArray(schema.outbox.status, ['sent', 'failed'])));
  await dispatchMessages(env);
  const after = await rowById(db, schema.outbox, id);
  return toListItem(after!);
}

/** What the admin sees of a message: its state, never its body (sign-in links) nor its data. */
export interface MessageListItem {
  id: string;
  kind: string;
  key: string | null;
  recipient: string | null;
  subject: string | null;
  status: MessageStatus;
  attempts: number;
  resends: number;
  lastError: string | null;
  transportId: string | null;
  createdAt: number;
  sentAt: number | null;
  /** False for a sent sign-in link (sent once) and for a message still queued. */
  canResend: boolean;
}

function toListItem(r: typeof schema.outbox.$inferSelect): MessageListItem {
  return {
    id: r.id,
    kind: r.kind,
    key: r.idempotencyKey,
    recipient: r.recipient,
    subject: r.subject,
    status: r.status,
    attempts: r.attempts,
    resends: r.resends,
    lastError: r.lastError,
    transportId: r.transportId,
    createdAt: r.createdAt,
    sentAt: r.sentAt,
    canResend: r.status !== 'queued' && !(r.status === 'sent' && SECRET_KINDS.has(r.kind)),
  };
}

/** Messages newest first, optionally by status (the admin's Messages page and JSON). */
export async function listMessages(
  db: Db,
  q: { limit: number; offset: number; status?: MessageStatus },
): Promise<MessageListItem[]> {
  const rows = await db
    .select()
    .from(schema.outbox)
    .where(q.status ? eq(schema.outbox.status, q.status) : undefined)
    .orderBy(desc(schema.outbox.createdAt), desc(schema.outbox.id))
    .limit(q.limit)
    .offset(q.offset);
  return rows.map(toListItem);
}

/** A log line's view of a message: kind, id and a masked recipient, never the body. */
export function logFields(row: { id: string; kind: string; recipient: string | null }) {
  return { id: row.id, kind: row.kind, to: maskAddress(row.recipient) };
}
