// Shopper sign-in links: a random token e-mailed once, only its SHA-256 stored, used at most once
// before it expires.
import { and, eq, gt, isNull, lte, or, isNotNull } from 'drizzle-orm';
import type { Db } from '../db/client';
import { schema, firstRow } from '../db/client';
import { sha256Hex } from '../lib/ids';
import { looksLikeToken, randomToken } from '../lib/tokens';
import { nowSeconds as now } from '../lib/time';

/** How long a sign-in link works. */
export const LOGIN_LINK_SECONDS = 20 * 60;

/** A new token for `email` (stored hashed); returns the token itself, to put in the link. */
export async function issueLoginToken(db: Db, email: string): Promise<string> {
  const token = randomToken();
  const at = now();
  await db.batch([
    // Spent and expired tokens are of no use to anyone: dropped as new ones are made.
    db
      .delete(schema.shopperLoginTokens)
      .where(or(lte(schema.shopperLoginTokens.expiresAt, at), isNotNull(schema.shopperLoginTokens.usedAt))),
    db.insert(schema.shopperLoginTokens).values({
      tokenHash: await sha256Hex(token),
      email,
      expiresAt: at + LOGIN_LINK_SECONDS,
    }),
  ]);
  return token;
}

const usable = async (token: string) =>
  and(
    eq(schema.shopperLoginTokens.tokenHash, await sha256Hex(token)),
    isNull(schema.shopperLoginTokens.usedAt),
    gt(schema.shopperLoginTokens.expiresAt, now()),
  );

/** True when the token is valid, unused and unexpired (the confirmation page; does not use it). */
export async function peekLoginToken(db: Db, token: string): Promise<boolean> {
  if (!looksLikeToken(token)) return false;
  const row = await firstRow(db, schema.shopperLoginTokens, await usable(token));
  return Boolean(row);
}

/** Uses a token, once (a conditional update: two clicks can't both sign in). Returns its e-mail. */
export async function consumeLoginToken(db: Db, token: string): Promise<string | null> {
  if (!looksLikeToken(token)) return null;
  const [row] = await db
    .update(schema.shopperLoginTokens)
    .set({ usedAt: now() })
    .where(await usable(token))
    .returning({ email: schema.shopperLoginTokens.email });
  return row?.email ?? null;
}
