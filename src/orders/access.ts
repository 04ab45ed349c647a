// Who may see an order: the cart cookie that placed it, or the holder of a signed, expiring link
// (`?t=` in the receipt). Everyone else is told the order does not exist.
import { hmacSha256, timingSafeEqual, toBase64Url } from '../lib/crypto';
import { nowSeconds } from '../lib/time';

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
async function verifyOrderLinkToken(
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

/** May this request see the order? Its cart cookie placed it, or it carries a valid signed link. */
export async function canViewOrder(
  env: Pick<Env, 'COOKIE_SECRET'>,
  order: { id: string; cartId: string },
  viewer: { cartId: string | null; token?: string },
): Promise<boolean> {
  if (viewer.cartId && viewer.cartId === order.cartId) return true;
  return verifyOrderLinkToken(env, order.id, viewer.token);
}
