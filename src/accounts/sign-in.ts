// Shopper sign-in by e-mail: rate-limited per address and per IP, a link only for addresses the shop
// knows (an order or a customer), and the same answer either way so nobody learns who shops here.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { getDb } from '../db/client';
import { queueShopperSignInLink } from './mail';
import { enforceLimits, type RateLimit } from '../db/rate-limit';
import { issueLoginToken } from './tokens';

/** At most 5 links per address and 20 requests per IP an hour. */
const LOGIN_LIMITS = {
  perIp: { scope: 'shopper-login:ip', limit: 20, windowSeconds: 3600 },
  perAddress: { scope: 'shopper-login:email', limit: 5, windowSeconds: 3600 },
} as const satisfies Record<string, RateLimit>;

/** True when the address has an order or a customer record (only those can have anything to see). */
async function isKnownShopper(db: Db, email: string): Promise<boolean> {
  const row = await db.get<{ known: number }>(sql`SELECT
      EXISTS (SELECT 1 FROM orders WHERE email = ${email})
      OR EXISTS (SELECT 1 FROM customers WHERE email_normalized = ${email} AND deleted_at IS NULL) AS known`);
  return Boolean(row?.known);
}

/**
 * Handles a sign-in request for a normalised e-mail from `ip`. Throws 429 past a limit (known and
 * unknown addresses alike); otherwise queues a link if the address is known, and says nothing either way.
 */
export async function requestSignInLink(env: Env, email: string, ip: string): Promise<void> {
  const db = getDb(env);
  await enforceLimits(
    db,
    [
      [LOGIN_LIMITS.perIp, ip],
      [LOGIN_LIMITS.perAddress, email],
    ],
    'sign-in requests',
  );
  if (!(await isKnownShopper(db, email))) return;
  const token = await issueLoginToken(db, email);
  await queueShopperSignInLink(env, email, token);
}
