// Signed, expiring link tokens (`<expiry unix seconds>.<HMAC-SHA256>`) for pages a link in an e-mail opens
// without a cookie: order pages and subscription pages. The purpose is part of the MAC, so a token made for
// one kind of page (or anything else signed with COOKIE_SECRET) never opens another.
import { hmacSha256, timingSafeEqual, toBase64Url } from './crypto';
import { nowSeconds } from './time';

async function mac(secret: string, purpose: string, id: string, expires: number): Promise<string> {
  return toBase64Url(await hmacSha256(secret, `${purpose}:${id}:${expires}`));
}

/** A token for `id` under `purpose`, valid for `ttlSeconds` from `now`. */
export async function linkToken(
  secret: string,
  purpose: string,
  id: string,
  ttlSeconds: number,
  now = nowSeconds(),
): Promise<string> {
  const expires = now + ttlSeconds;
  return `${expires}.${await mac(secret, purpose, id, expires)}`;
}

/** True when `token` was signed for `id` under `purpose` and has not expired. */
export async function verifyLinkToken(
  secret: string,
  purpose: string,
  id: string,
  token: string | undefined,
  now = nowSeconds(),
): Promise<boolean> {
  if (!token || !secret) return false;
  const match = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return false;
  const expires = Number(match[1]);
  if (expires < now) return false;
  return timingSafeEqual(match[2]!, await mac(secret, purpose, id, expires));
}
