// A sliding-window rate limit in D1: one row per attempt, counted and added in ONE conditional
// statement (D1 runs statements one at a time, so two concurrent attempts can't both take the last slot).
import { sql } from 'drizzle-orm';
import { TooManyRequestsError } from '../lib/errors';
import { changes } from './batch';
import type { Db } from './client';
import { sha256Hex } from '../lib/ids';
import { nowSeconds } from '../lib/time';

export interface RateLimit {
  /** What is limited and by whom, e.g. `shopper-login:email`; hashed with the key before storing. */
  scope: string;
  limit: number;
  windowSeconds: number;
}

/**
 * Takes one slot of each `[rule, key]` (e.g. per IP, then per address), after dropping attempts older than
 * the longest window; throws a 429 (with Retry-After) naming `what` at the first full window.
 */
export async function enforceLimits(
  db: Db,
  limits: readonly (readonly [RateLimit, string])[],
  what: string,
): Promise<void> {
  await pruneSlots(db, Math.max(...limits.map(([rule]) => rule.windowSeconds)));
  for (const [rule, key] of limits) {
    const slot = await takeSlot(db, rule, key);
    if (!slot.ok)
      throw new TooManyRequestsError(
        `Too many ${what}. Please wait a while before trying again.`,
        slot.retryAfter,
      );
  }
}

/** Records one attempt if the window has room. `retryAfter` (seconds) when it has none. */
async function takeSlot(
  db: Db,
  rule: RateLimit,
  key: string,
  now = nowSeconds(),
): Promise<{ ok: true } | { ok: false; retryAfter: number }> {
  // Only a hash: the table never holds an address or an IP.
  const bucket = `${rule.scope}:${await sha256Hex(`${rule.scope}:${key}`)}`;
  const since = now - rule.windowSeconds;
  const inserted = await db.run(sql`INSERT INTO rate_limit_hits (bucket, at)
    SELECT ${bucket}, ${now}
    WHERE (SELECT COUNT(*) FROM rate_limit_hits WHERE bucket = ${bucket} AND at > ${since}) < ${rule.limit}`);
  if (changes(inserted) > 0) return { ok: true };
  const oldest = await db.get<{ at: number | null }>(
    sql`SELECT MIN(at) AS at FROM rate_limit_hits WHERE bucket = ${bucket} AND at > ${since}`,
  );
  return { ok: false, retryAfter: Math.max(1, (oldest?.at ?? now) + rule.windowSeconds - now) };
}

/** Drops attempts older than `maxWindowSeconds` (the table only ever holds the recent past). */
async function pruneSlots(db: Db, maxWindowSeconds: number, now = nowSeconds()): Promise<void> {
  await db.run(sql`DELETE FROM rate_limit_hits WHERE at <= ${now - maxWindowSeconds}`);
}
