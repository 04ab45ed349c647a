// The shopper's sign-in e-mail, written through ONE function so the sending mechanism can change
// (today the outbox the vendor sign-in uses) without touching the sign-in flow.
import { getDb } from '../db/client';
import { storeConfig } from '../lib/config';
import { emailInsert } from '../vendors/mail';
import { LOGIN_LINK_SECONDS } from './tokens';

/** Queues the e-mail that carries a shopper's one-time sign-in link. */
export async function queueShopperSignInLink(env: Env, email: string, link: string): Promise<void> {
  const db = getDb(env);
  const { storeName } = storeConfig(env);
  await db.batch([
    emailInsert(db, {
      kind: 'shopper_login',
      to: email,
      subject: `Sign in to ${storeName}`,
      body: `Open this link to sign in and see your orders (it works once, for ${LOGIN_LINK_SECONDS / 60} minutes):\n\n${link}\n\nIf you did not ask for it, ignore this e-mail.`,
    }),
  ]);
}
