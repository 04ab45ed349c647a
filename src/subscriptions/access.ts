// Who may see and manage a subscription: the cart cookie that bought it, the holder of a signed link
// (every subscription e-mail carries one), or the signed-in shopper whose e-mail it was bought with.
// Everyone else is told it does not exist.
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { schema } from '../db/client';
import { verifySubscriptionLinkToken } from '../lib/subscription-link';
import type { SubscriptionRow } from './records';

export interface Viewer {
  cartId: string | null;
  token?: string | undefined;
  shopperEmail?: string | null;
}

/** True when this viewer may see and change the subscription. */
export async function canManageSubscription(
  env: Pick<Env, 'COOKIE_SECRET'>,
  db: Db,
  row: SubscriptionRow,
  viewer: Viewer,
): Promise<boolean> {
  if (await verifySubscriptionLinkToken(env, row.id, viewer.token)) return true;
  if (viewer.shopperEmail && row.email === viewer.shopperEmail) return true;
  if (viewer.shopperEmail && row.customerId) {
    const customer = await db
      .select({ email: schema.customers.emailNormalized })
      .from(schema.customers)
      .where(eq(schema.customers.id, row.customerId))
      .get();
    if (customer?.email === viewer.shopperEmail) return true;
  }
  if (!viewer.cartId || !row.orderId) return false;
  const order = await db
    .select({ cartId: schema.orders.cartId })
    .from(schema.orders)
    .where(eq(schema.orders.id, row.orderId))
    .get();
  return order?.cartId === viewer.cartId;
}
