// The dev and test transport: every message is stored in D1 (`caught_mail`) and shown at /__mail.
import type { Db } from '../../db/client';
import { schema } from '../../db/client';
import { headersOf, type Transport } from './types';

/** A transport that keeps each message in `caught_mail` instead of sending it. */
export function catcherTransport(db: Db): Transport {
  return {
    name: 'catcher',
    async send(mail) {
      const [row] = await db
        .insert(schema.caughtMail)
        .values({
          messageId: mail.messageId,
          kind: mail.kind,
          from: mail.from,
          to: mail.to,
          replyTo: mail.replyTo ?? null,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          headers: headersOf(mail),
        })
        .returning({ id: schema.caughtMail.id });
      return { id: `caught_${row!.id}` };
    },
  };
}
