// Signed, expiring links to an order page (`/orders/<id>?t=<expiry>.<mac>`): what a receipt carries so
// the buyer can open the order from any device. Signing lives here, below every feature, so that the
// notifications that put the link in a mail and the order page that checks it share one rule.
import { hmacSha256, timingSafeEqual, toBase64Url } from './crypto';
import { nowSeconds } from './time';

/** How long a link in a receipt keeps working. */
const ORDER_LINK_TTL_SECONDS = 90 * 24 * 60 * 60;

async function hmac(secret: string, message: string): Promise<string> {
  return toBase64Url(await hmacSha256(secret, message));
}

// A purpose prefix keeps these MACs distinct from anything else signed with COOKIE_SECRET.
const message = (orderId: string, expires: number) => `order-link:${orderId}:${expires}`;

/** The `t` token for an order link: `<expiry unix seconds>.<HMAC-SHA256 with COOKIE_SECRET>`. */
export async function orderLinkToken(
  env: Pick<Env, 'COOKIE_SECRET'>,
  orderId: string,
  ttlSeconds = ORDER_LINK_TTL_SECONDS,
  now = nowSeconds(),
): Promise<string> {
  const expires = now + ttlSeconds;
  return `${expires}.${await hmac(env.COOKIE_SECRET, message(orderId, expires))}`;
}

/** The shareable path of an order page, e.g. for the receipt e-mail: `/orders/<id>?t=<token>`. */
export async function signedOrderPath(env: Pick<Env, 'COOKIE_SECRET'>, orderId: string): Promise<string> {
  return `/orders/${orderId}?t=${encodeURIComponent(await orderLinkToken(env, orderId))}`;
}

/** True when `token` was signed for this order and has not expired. */
export async function verifyOrderLinkToken(
  env: Pick<Env, 'COOKIE_SECRET'>,
  orderId: string,
  token: string | undefined,
  now = nowSeconds(),
): Promise<boolean> {
  if (!token || !env.COOKIE_SECRET) return false;
  const match = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return false;
  const expires = Number(match[1]);
  if (expires < now) return false;
  return timingSafeEqual(match[2]!, await hmac(env.COOKIE_SECRET, message(orderId, expires)));
}
