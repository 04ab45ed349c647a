// Signed, expiring links to an order page (`/orders/<id>?t=<token>`): what a receipt carries so the buyer can
// open the order from any device. Here, below every feature, so the mail that puts the link in and the order
// page that checks it share one rule.
import { linkToken, verifyLinkToken } from './signed-link';
import { nowSeconds } from './time';

/** How long a link in a receipt keeps working. */
const ORDER_LINK_TTL_SECONDS = 90 * 24 * 60 * 60;
const PURPOSE = 'order-link';

/** The `t` token for an order link. */
export function orderLinkToken(
  env: Pick<Env, 'COOKIE_SECRET'>,
  orderId: string,
  ttlSeconds = ORDER_LINK_TTL_SECONDS,
  now = nowSeconds(),
): Promise<string> {
  return linkToken(env.COOKIE_SECRET, PURPOSE, orderId, ttlSeconds, now);
}

/** The shareable path of an order page, e.g. for the receipt e-mail: `/orders/<id>?t=<token>`. */
export async function signedOrderPath(env: Pick<Env, 'COOKIE_SECRET'>, orderId: string): Promise<string> {
  return `/orders/${orderId}?t=${encodeURIComponent(await orderLinkToken(env, orderId))}`;
}

/** True when `token` was signed for this order and has not expired. */
export function verifyOrderLinkToken(
  env: Pick<Env, 'COOKIE_SECRET'>,
  orderId: string,
  token: string | undefined,
  now = nowSeconds(),
): Promise<boolean> {
  return verifyLinkToken(env.COOKIE_SECRET, PURPOSE, orderId, token, now);
}
