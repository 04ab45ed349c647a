// The webhook event log (`webhook_events`): every verified event stored once by its id, with what
// processing it did, for operators and for replay.
import { and, desc, eq, inArray, ne, notInArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { schema } from '../db/client';
import type { WEBHOOK_STATUSES } from '../db/schema';
import type { Stripe } from '../stripe/client';
import { nowSeconds as now } from '../lib/time';

export type WebhookStatus = (typeof WEBHOOK_STATUSES)[number];
export type WebhookEventRow = typeof schema.webhookEvents.$inferSelect;

/** Longest failure reason kept; enough for a message and the start of a stack. */
const MAX_ERROR_CHARS = 1000;
/**
 * Stores a verified event unless its id is already there (`ON CONFLICT DO NOTHING`: a duplicate or a
 * concurrent delivery stores nothing) and counts this delivery as an attempt to apply it unless it is
 * done already, in one D1 round trip. An event no handler takes (`handled` false) is stored as
 * `ignored` at once: its log entry is final in this one write. Returns the stored row's status after
 * the insert, and whether this delivery inserted it.
 */
export async function storeEvent(
  db: Db,
  event: Stripe.Event,
  rawBody: string,
  handled = true,
): Promise<{ status: WebhookStatus; inserted: boolean }> {
  const t = schema.webhookEvents;
  const [insert, , rows] = await db.batch([
    db
      .insert(t)
      .values({
        id: event.id,
        type: event.type,
        account: event.account ?? null,
        livemode: event.livemode,
        created: event.created,
        payload: rawBody,
        ...(handled ? { status: 'received' } : { status: 'ignored', attempts: 1, processedAt: now() }),
      })
      .onConflictDoNothing({ target: t.id }),
    db
      .update(t)
      .set({ attempts: sql`${t.attempts} + 1` })
      .where(and(eq(t.id, event.id), notInArray(t.status, ['processed', 'ignored']))),
    db.select({ status: t.status }).from(t).where(eq(t.id, event.id)),
  ]);
  return { status: rows[0]?.status ?? 'received', inserted: insert.meta.changes > 0 };
}

/** One stored event, or null. */
export async function getStoredEvent(db: Db, id: string): Promise<WebhookEventRow | null> {
  const row = await db.select().from(schema.webhookEvents).where(eq(schema.webhookEvents.id, id)).get();
  return row ?? null;
}

/** Counts an attempt to apply the event. */
export async function countAttempt(db: Db, id: string): Promise<void> {
  await db
    .update(schema.webhookEvents)
    .set({ attempts: sql`${schema.webhookEvents.attempts} + 1` })
    .where(eq(schema.webhookEvents.id, id));
}

/** Records a successful run: `processed` or `ignored`, error cleared. */
export async function markDone(db: Db, id: string, status: 'processed' | 'ignored'): Promise<void> {
  await db
    .update(schema.webhookEvents)
    .set({ status, lastError: null, processedAt: now() })
    .where(eq(schema.webhookEvents.id, id));
}

/**
 * Records a failed run with its reason. An event another run already processed stays processed
 * (its effect happened; the handlers are idempotent).
 */
export async function markFailed(db: Db, id: string, reason: string): Promise<void> {
  await db
    .update(schema.webhookEvents)
    .set({ status: 'failed', lastError: reason.slice(0, MAX_ERROR_CHARS) })
    .where(and(eq(schema.webhookEvents.id, id), ne(schema.webhookEvents.status, 'processed')));
}

export interface EventLogQuery {
  type?: string;
  status?: WebhookStatus[];
  limit: number;
}

/** What the log shows of an event: no payload (it holds buyers' details). */
export interface EventLogEntry {
  id: string;
  type: string;
  account: string | null;
  livemode: boolean;
  status: WebhookStatus;
  attempts: number;
  lastError: string | null;
  created: number;
  receivedAt: number;
  processedAt: number | null;
}

/** Recent events, newest first, optionally of one type and some statuses. */
export async function listEvents(db: Db, query: EventLogQuery): Promise<EventLogEntry[]> {
  const t = schema.webhookEvents;
  const where = and(
    query.type ? eq(t.type, query.type) : undefined,
    query.status?.length ? inArray(t.status, query.status) : undefined,
  );
  return db
    .select({
      id: t.id,
      type: t.type,
      account: t.account,
      livemode: t.livemode,
      status: t.status,
      attempts: t.attempts,
      lastError: t.lastError,
      created: t.created,
      receivedAt: t.receivedAt,
      processedAt: t.processedAt,
    })
    .from(t)
    .where(where)
    .orderBy(desc(t.receivedAt), desc(t.created), desc(t.id))
    .limit(query.limit);
}
