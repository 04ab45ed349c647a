// Who may see an order: the cart cookie that placed it, the holder of a signed, expiring link
// (`?t=` in the receipt), or the signed-in shopper whose e-mail it was placed with. Everyone else is
// told the order does not exist.
import { and, eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { readCartId } from '../cart/session';
import type { Db } from '../db/client';
import { schema } from '../db/client';
import { absoluteUrl } from '../lib/config';
import { signedOrderPath, verifyOrderLinkToken } from '../lib/order-link';
import { NotFoundError } from '../lib/errors';
import { readShopperSession } from '../lib/shopper-session';
import { getDb } from '../db/client';
import { getOrderWithLines } from './model';

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

/** True when the order was placed with this (normalised) e-mail, or by a customer of it. */
async function ownedByShopper(
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
async function canViewOrder(
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

/** The shape of an order id: anything else is "no such order" before D1 is asked. */
const ORDER_ID = /^ord_[a-z2-7]{24}$/;

/** Same answer for "no such order" and "not yours": nobody learns which orders exist. */
const notFound = () => new NotFoundError('There is no such order.');

/**
 * The order and its lines if this request may see and act on it (its cart, a signed link `?t=`, or its
 * signed-in shopper); 404 otherwise. The one access check of the order page and the shopper's actions.
 */
export async function orderForShopper(c: Context<{ Bindings: Env }>, orderId: string) {
  if (!ORDER_ID.test(orderId)) throw notFound();
  const db = getDb(c.env);
  const found = await getOrderWithLines(db, orderId);
  if (!found) throw notFound();
  const allowed = await canViewOrder(
    c.env,
    found.order,
    { cartId: await readCartId(c), token: c.req.query('t'), shopperEmail: await readShopperSession(c) },
    db,
  );
  if (!allowed) throw notFound();
  return found;
}
