// Who may see an order: the cart cookie that placed it, the holder of a signed, expiring link
// (`?t=` in the receipt), or the signed-in shopper whose e-mail it was placed with. Everyone else is
// told the order does not exist.
import { and, eq } from 'drizzle-orm';
import { timingSafeEqual } from '../admin/auth';
import type { Db } from '../db/client';
import { schema } from '../db/client';
import { absoluteUrl } from '../lib/config';

/** How long a link in a receipt keeps working. */
export const ORDER_LINK_TTL_SECONDS = 90 * 24 * 60 * 60;

async function hmac(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(message)));
  return btoa(String.fromCharCode(...mac))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');
}

// A purpose prefix keeps these MACs distinct from anything else signed with COOKIE_SECRET.
const message = (orderId: string, expires: number) => `order-link:${orderId}:${expires}`;

/** The `t` token for an order link: `<expiry unix seconds>.<HMAC-SHA256 with COOKIE_SECRET>`. */
export async function orderLinkToken(
  env: Pick<Env, 'COOKIE_SECRET'>,
  orderId: string,
  ttlSeconds = ORDER_LINK_TTL_SECONDS,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<string> {
  const expires = nowSeconds + ttlSeconds;
  return `${expires}.${await hmac(env.COOKIE_SECRET, message(orderId, expires))}`;
}

/** The shareable path of an order page, e.g. for the receipt e-mail: `/orders/<id>?t=<token>`. */
export async function signedOrderPath(env: Pick<Env, 'COOKIE_SECRET'>, orderId: string): Promise<string> {
  return `/orders/${orderId}?t=${encodeURIComponent(await orderLinkToken(env, orderId))}`;
}

/**
 * The absolute, signed link to an order page (for receipts): opens the order from any device until it
 * expires. Built from PUBLIC_URL, never from a request.
 */
export async function orderLink(
  env: Pick<Env, 'COOKIE_SECRET' | 'PUBLIC_URL'>,
  orderId: string,
): Promise<string> {
  return absoluteUrl(env, await signedOrderPath(env, orderId));
}

/** True when `token` was signed for this order and has not expired. */
export async function verifyOrderLinkToken(
  env: Pick<Env, 'COOKIE_SECRET'>,
  orderId: string,
  token: string | undefined,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<boolean> {
  if (!token || !env.COOKIE_SECRET) return false;
  const match = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return false;
  const expires = Number(match[1]);
  if (expires < nowSeconds) return false;
  return timingSafeEqual(match[2]!, await hmac(env.COOKIE_SECRET, message(orderId, expires)));
}

/** True when the order was placed with this (normalised) e-mail, or by a customer of it. */
export async function ownedByShopper(
  db: Db,
  order: { email: string | null; customerId: string | null },
  email: string,
): Promise<boolean> {
  if (order.email === email) return true;
  if (!order.customerId) return false;
  const customer = await db
    .select({ id: schema.customers.id })
    .from(schema.customers)
    .where(and(eq(schema.customers.id, order.customerId), eq(schema.customers.emailNormalized, email)))
    .get();
  return Boolean(customer);
}

/**
 * May this request see the order? Its cart cookie placed it, it carries a valid signed link, or the
 * signed-in shopper's e-mail is the order's.
 */
export async function canViewOrder(
  env: Pick<Env, 'COOKIE_SECRET'>,
  order: { id: string; cartId: string; email?: string | null; customerId?: string | null },
  viewer: { cartId: string | null; token?: string; shopperEmail?: string | null },
  db?: Db,
): Promise<boolean> {
  if (viewer.cartId && viewer.cartId === order.cartId) return true;
  if (await verifyOrderLinkToken(env, order.id, viewer.token)) return true;
  if (!viewer.shopperEmail || !db) return false;
  return ownedByShopper(
    db,
    { email: order.email ?? null, customerId: order.customerId ?? null },
    viewer.shopperEmail,
  );
}
