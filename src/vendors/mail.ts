// E-mail through the outbox table: written in the batch that makes the reason for it, "sent" by the
// cron. There is no e-mail provider: sending logs the message (never its body: links in it sign people
// in) and marks it sent. In development the body stays readable in the admin's outbox page.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from '../db/client';
import { getDb, schema } from '../db/client';
import { storeConfig } from '../lib/config';
import { newId } from '../lib/ids';
import { nowSeconds } from '../lib/time';

type EmailKind = 'vendor_login' | 'contact_message' | (string & {});

export interface Email {
  kind: EmailKind;
  to: string;
  subject: string;
  body: string;
}

/** Kinds whose body is a credential (a sign-in link): withheld from logs and, in production, from the admin. */
export const SECRET_KINDS: ReadonlySet<string> = new Set(['vendor_login']);

/** The INSERT that queues an e-mail, to put in the batch that has a reason to send it. */
export function emailInsert(db: Db, email: Email): BatchItem<'sqlite'> {
  return db.insert(schema.outbox).values({
    id: newId('mail'),
    kind: email.kind,
    recipient: email.to,
    subject: email.subject,
    body: email.body,
    status: 'pending',
  });
}

/** "v•••@example.com": enough for an operator to recognise, not a mailing list. */
function maskAddress(address: string | null): string {
  if (!address) return '';
  const at = address.indexOf('@');
  if (at < 1) return '•••';
  return `${address[0]}•••${address.slice(at)}`;
}

/**
 * Sends (logs) up to `limit` pending e-mails, oldest first, and marks them sent. In production a
 * credential's body is replaced once sent: the outbox never keeps a usable sign-in link.
 */
export async function sendPendingEmails(env: Env, limit = 50): Promise<number> {
  const db = getDb(env);
  const production = storeConfig(env).production;
  const rows = await db
    .select()
    .from(schema.outbox)
    .where(eq(schema.outbox.status, 'pending'))
    .orderBy(asc(schema.outbox.createdAt))
    .limit(limit);
  if (rows.length === 0) return 0;
  for (const row of rows) {
    console.log(
      JSON.stringify({
        msg: 'email sent (log only: no e-mail provider configured)',
        id: row.id,
        kind: row.kind,
        to: maskAddress(row.recipient),
        subject: row.subject,
      }),
    );
  }
  const ids = rows.map((r) => r.id);
  const sentAt = nowSeconds();
  await db
    .update(schema.outbox)
    .set({
      status: 'sent',
      sentAt,
      attempts: sql`${schema.outbox.attempts} + 1`,
      ...(production
        ? {
            body: sql`CASE WHEN ${schema.outbox.kind} IN (${sql.join(
              [...SECRET_KINDS].map((k) => sql`${k}`),
              sql`, `,
            )}) THEN '[sign-in link withheld after sending]' ELSE ${schema.outbox.body} END`,
          }
        : {}),
    })
    .where(and(inArray(schema.outbox.id, ids), eq(schema.outbox.status, 'pending')));
  return rows.length;
}
