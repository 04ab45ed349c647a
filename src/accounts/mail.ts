// The shopper's sign-in e-mail: one function, so the sign-in flow does not know how mail is sent.
import { getDb } from '../db/client';
import { dispatchMessages, queueShopperSignIn } from '../notifications';
import { LOGIN_LINK_SECONDS } from './tokens';

/** Queues (and hands to the mail queue) the e-mail carrying a shopper's one-time sign-in `token`. */
export async function queueShopperSignInLink(env: Env, email: string, token: string): Promise<void> {
  const db = getDb(env);
  await db.batch([
    queueShopperSignIn(db, { to: email, path: `/account/login/${token}`, minutes: LOGIN_LINK_SECONDS / 60 }),
  ]);
  await dispatchMessages(env);
}
