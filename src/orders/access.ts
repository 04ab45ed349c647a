// Who may see an order: the cart cookie that placed it, the holder of a signed, expiring link
// (`?t=` in the receipt), or the signed-in shopper whose e-mail it was placed with. Everyone else is
// told the order does not exist.
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { schema } from '../db/client';
import { absoluteUrl } from '../lib/config';
import { signedOrderPath, verifyOrderLinkToken } from '../lib/order-link';

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
