// The shop's contact form: the message is stored for the vendor and an e-mail queued in the same batch.
import * as z from 'zod';
import type { Db } from '../db/client';
import { schema } from '../db/client';
import { newId } from '../lib/ids';
import { queueContactMessage } from '../notifications';
import type { StoreRow } from '../catalog/stores';
import { fieldText } from '../lib/input';

export const contactSchema = z.object({
  name: z.preprocess(
    fieldText,
    z.string().trim().min(1, 'Tell the shop your name.').max(100, 'At most 100 characters.'),
  ),
  email: z.preprocess(
    fieldText,
    z
      .string()
      .trim()
      .max(200, 'At most 200 characters.')
      .pipe(z.email('Enter an e-mail address the shop can answer.')),
  ),
  message: z.preprocess(
    fieldText,
    z.string().trim().min(1, 'Write a message.').max(5000, 'At most 5000 characters.'),
  ),
});
export type ContactInput = z.infer<typeof contactSchema>;

/**
 * Stores a shopper's message for the store and queues it to the store's support (or account) address,
 * in one batch. The caller hands the queued mail to NOTIFY after (`dispatchMessages`).
 */
export async function submitContactMessage(db: Db, store: StoreRow, input: ContactInput): Promise<string> {
  const id = newId('msg');
  const to = store.supportEmail ?? store.email;
  await db.batch([
    db.insert(schema.contactMessages).values({ id, storeId: store.id, ...input }),
    ...(to
      ? [
          queueContactMessage(db, {
            contactId: id,
            to,
            storeName: store.name,
            fromName: input.name,
            fromEmail: input.email,
            message: input.message,
          }),
        ]
      : []),
  ]);
  return id;
}
