// Signed, expiring links to a subscription's page (`/subscriptions/<id>?t=<expiry>.<mac>`): what every
// subscription e-mail carries so the shopper can manage it from any device.
import { hmacSha256, timingSafeEqual, toBase64Url } from './crypto';
import { nowSeconds } from './time';

/** How long a link in a subscription e-mail keeps working (a year: renewals mail a fresh one). */
const LINK_TTL_SECONDS = 366 * 24 * 60 * 60;

// A purpose prefix keeps these MACs distinct from order links and cookies signed with COOKIE_SECRET.
const message = (id: string, expires: number) => `subscription-link:${id}:${expires}`;

async function mac(secret: string, text: string): Promise<string> {
  return toBase64Url(await hmacSha256(secret, text));
}

/** The path of a subscription's page with a signed token: `/subscriptions/<id>?t=<token>`. */
export async function signedSubscriptionPath(
  env: Pick<Env, 'COOKIE_SECRET'>,
  id: string,
  now = nowSeconds(),
): Promise<string> {
  const expires = now + LINK_TTL_SECONDS;
  const token = `${expires}.${await mac(env.COOKIE_SECRET, message(id, expires))}`;
  return `/subscriptions/${id}?t=${encodeURIComponent(token)}`;
}

/** True when `token` was signed for this subscription and has not expired. */
export async function verifySubscriptionLinkToken(
  env: Pick<Env, 'COOKIE_SECRET'>,
  id: string,
  token: string | undefined,
  now = nowSeconds(),
): Promise<boolean> {
  if (!token || !env.COOKIE_SECRET) return false;
  const match = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return false;
  const expires = Number(match[1]);
  if (expires < now) return false;
  return timingSafeEqual(match[2]!, await mac(env.COOKIE_SECRET, message(id, expires)));
}
