// Sends one outbox row: render it from its data (reading the order when it is order mail), hand it to
// the configured transport, and record the outcome on the row.
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { getDb, schema, rowById } from '../db/client';
import { mailConfig, MailConfigError, type MailConfig, type MailEnv } from './config';
import { PermanentError, TransientError } from './errors';
import { isMessageKind, KINDS, SECRET_KINDS, type Prepared } from './kinds';
import { logFields } from './outbox';
import { oneLine, isMailAddress } from './text';
import { chooseTransport, type OutgoingMail } from './transports';
import { nowSeconds } from '../lib/time';

type Row = typeof schema.outbox.$inferSelect;

export type DeliveryOutcome =
  | { status: 'sent'; transportId: string }
  | { status: 'failed'; reason: string }
  /** Nothing to do: the row is gone, or already sent or failed (a redelivered queue message). */
  | { status: 'skipped' };

const WITHHELD = '[sign-in link withheld after sending]';

/** Renders a row into the parts of its message. Throws PermanentError when it can never be rendered. */
async function prepareMessage(
  env: Pick<Env, 'COOKIE_SECRET'>,
  db: Db,
  config: MailConfig,
  row: Row,
): Promise<Prepared> {
  const tc = { marketplace: config.marketplace, publicUrl: config.publicUrl };
  if (!isMessageKind(row.kind) || row.data == null) {
    // Rows written before templates existed carry their text already.
    if (row.subject && row.body) return { subject: oneLine(row.subject), text: row.body, html: '', to: null };
    throw new PermanentError(`Unknown message kind "${row.kind}".`);
  }
  const spec = KINDS[row.kind];
  const data = spec.data.safeParse(row.data);
  if (!data.success) throw new PermanentError(`Malformed data for a ${row.kind} message.`);
  // Each kind's prepare takes its own data type; the parse above checked it against that kind.
  const prepare = spec.prepare.bind(spec) as (d: unknown, lc: unknown, t: typeof tc) => Promise<Prepared>;
  return prepare(data.data, { db, config, env }, tc);
}

/** The outbox row `id` sent once: the outcome, or a thrown TransientError to retry later. */
export async function deliverMessage(env: MailEnv, id: string): Promise<DeliveryOutcome> {
  const db = getDb(env);
  const row = await rowById(db, schema.outbox, id);
  if (!row || row.status !== 'queued') return { status: 'skipped' };
  let config: MailConfig;
  try {
    config = mailConfig(env);
  } catch (err) {
    // An operator fixes the configuration; meanwhile the message waits and retries.
    if (err instanceof MailConfigError) throw new TransientError(err.message);
    throw err;
  }
  let mail: OutgoingMail;
  try {
    const prepared = await prepareMessage(env, db, config, row);
    const to = row.recipient ?? prepared.to;
    if (!isMailAddress(to))
      throw new PermanentError(to ? 'The recipient is not a valid address.' : 'No recipient.');
    if (prepared.replyTo !== undefined && !isMailAddress(prepared.replyTo))
      throw new PermanentError('The reply-to is not a valid address.');
    mail = {
      from: config.from,
      to,
      ...(prepared.replyTo ? { replyTo: prepared.replyTo } : {}),
      subject: oneLine(prepared.subject),
      text: prepared.text,
      html: prepared.html,
      idempotencyKey: transportKey(row),
      messageId: row.id,
      kind: row.kind,
    };
  } catch (err) {
    if (err instanceof PermanentError) return markFailed(db, row, err.message);
    throw err;
  }
  let result: { id: string };
  try {
    result = await chooseTransport(config, env, db).send(mail);
  } catch (err) {
    if (err instanceof PermanentError) return markFailed(db, row, err.message);
    if (err instanceof MailConfigError) throw new TransientError(err.message);
    throw err;
  }
  const secret = config.production && SECRET_KINDS.has(row.kind);
  await db
    .update(schema.outbox)
    .set({
      status: 'sent',
      sentAt: nowSeconds(),
      updatedAt: nowSeconds(),
      attempts: sql`${schema.outbox.attempts} + 1`,
      transportId: result.id,
      recipient: mail.to,
      subject: mail.subject,
      lastError: null,
      // In production the outbox never keeps a usable sign-in link once it went out.
      body: secret ? WITHHELD : mail.text,
      html: secret ? null : mail.html,
      ...(secret ? { data: { withheld: true } } : {}),
    })
    .where(and(eq(schema.outbox.id, row.id), eq(schema.outbox.status, 'queued')));
  console.log(
    JSON.stringify({
      msg: 'notifications: sent',
      ...logFields({ ...row, recipient: mail.to }),
      transport: config.transport,
    }),
  );
  return { status: 'sent', transportId: result.id };
}

/** The provider's idempotency key: the row's own, plus the resend count so an operator's resend does go out. */
function transportKey(row: Row): string {
  const key = row.idempotencyKey ?? row.id;
  return row.resends > 0 ? `${key}#resend-${row.resends}` : key;
}

/** Records a message as failed with `reason` (if still queued). */
export async function markFailed(
  db: Db,
  row: Pick<Row, 'id' | 'kind' | 'recipient'>,
  reason: string,
): Promise<DeliveryOutcome> {
  const clipped = reason.slice(0, 1000);
  await db
    .update(schema.outbox)
    .set({
      status: 'failed',
      lastError: clipped,
      attempts: sql`${schema.outbox.attempts} + 1`,
      updatedAt: nowSeconds(),
    })
    .where(and(eq(schema.outbox.id, row.id), eq(schema.outbox.status, 'queued')));
  console.warn(JSON.stringify({ msg: 'notifications: failed', ...logFields(row), reason: clipped }));
  return { status: 'failed', reason: clipped };
}

/** Records a transient failure and when the next try is due (the cron leaves the row alone until then). */
export async function recordRetry(db: Db, id: string, reason: string, delaySeconds: number): Promise<void> {
  await db
    .update(schema.outbox)
    .set({
      lastError: reason.slice(0, 1000),
      attempts: sql`${schema.outbox.attempts} + 1`,
      enqueuedAt: nowSeconds() + delaySeconds,
      updatedAt: nowSeconds(),
    })
    .where(and(eq(schema.outbox.id, id), eq(schema.outbox.status, 'queued')));
}
