// The order page: GET /orders/:id, HTML or JSON, for the buyer's cart cookie or a signed link only.
import { Hono } from 'hono';
import { eq, inArray, or } from 'drizzle-orm';
import type { Db } from '../db/client';
import { getDb, schema } from '../db/client';
import { signedSubscriptionPath } from '../lib/subscription-link';
import { storeConfig } from '../lib/config';
import { wantsJson } from '../lib/http';
import { orderForShopper } from './access';
import { confirmFromStripe } from './confirm';
import { getOrderWithLines } from './model';
import { OrderPage } from './order-page';
import { partsOfOrder } from '../fulfilment/parts';
import { returnsOfOrder } from '../fulfilment/returns';
import { disputesOfOrder } from '../disputes/view';
import { toOrderView } from './view';
import { renderPage } from '../pages/document';

// Stripe's placeholders and ids: only these shapes are ever passed on to a retrieve.
const SESSION_ID = /^cs_[A-Za-z0-9_]{1,250}$/;
const INTENT_ID = /^pi_[A-Za-z0-9_]{1,250}$/;

/**
 * "My subscription" for an order a subscription placed (its first or a renewal): a signed link, since
 * whoever may see the order may manage the subscription that placed it.
 */
async function subscriptionPathOf(env: Env, db: Db, orderId: string): Promise<string | null> {
  const row = await db
    .select({ id: schema.subscriptions.id })
    .from(schema.subscriptions)
    .where(
      or(
        eq(schema.subscriptions.orderId, orderId),
        inArray(
          schema.subscriptions.id,
          db
            .select({ id: schema.subscriptionInvoices.subscriptionId })
            .from(schema.subscriptionInvoices)
            .where(eq(schema.subscriptionInvoices.orderId, orderId)),
        ),
      ),
    )
    .get();
  return row ? signedSubscriptionPath(env, row.id) : null;
}

/** The flash after a shopper's form on the order page (orders/part-routes.ts). */
const ORDER_NOTICES: Record<string, string> = {
  'part-cancelled': 'Those items are cancelled; your refund is on its way.',
  'order-cancelled': 'Your order is cancelled; your refund is on its way.',
  'return-requested': 'Your return request was sent to the seller.',
  received: 'Thank you: marked as received.',
};

export const orderRoutes = new Hono<{ Bindings: Env }>().get('/orders/:id', async (c) => {
  const id = c.req.param('id');
  const db = getDb(c.env);
  let found = await orderForShopper(c, id);

  const sessionId = c.req.query('session_id');
  const paymentIntentId = c.req.query('payment_intent');
  const returned = Boolean(sessionId || paymentIntentId);
  if (found.order.status === 'pending' && returned) {
    await confirmFromStripe(c.env, found.order, {
      sessionId: sessionId && SESSION_ID.test(sessionId) ? sessionId : undefined,
      paymentIntentId: paymentIntentId && INTENT_ID.test(paymentIntentId) ? paymentIntentId : undefined,
    });
    found = (await getOrderWithLines(db, id)) ?? found;
  }

  const view = toOrderView(found);
  const parts = await partsOfOrder(db, id);
  const returns = await returnsOfOrder(db, id);
  const disputes = await disputesOfOrder(db, id);
  c.header('cache-control', 'private, no-store');
  // The order page is not for search engines, and its link may carry a token.
  c.header('x-robots-tag', 'noindex');
  if (wantsJson(c)) return c.json({ order: { ...view, parts, returns, disputes } });

  const { order } = found;
  const waiting =
    order.status === 'pending' &&
    (order.paymentStatus === 'processing' || (returned && order.paymentStatus === 'awaiting'));
  // Reload while the payment is being confirmed (no script needed; the CSP allows none inline).
  if (waiting) c.header('refresh', '3');
  const retryPath =
    order.status === 'pending' && order.paymentStatus === 'failed'
      ? order.checkoutSessionId
        ? '/cart'
        : '/pay'
      : null;
  const subscriptionPath = await subscriptionPathOf(c.env, db, id);
  // The shopper left Stripe's page (or a card was declined): a fresh session for the same order.
  const resumable =
    order.status === 'pending' &&
    !waiting &&
    Boolean(order.checkoutSessionId) &&
    (order.paymentStatus === 'awaiting' || order.paymentStatus === 'failed');
  return renderPage(
    c,
    OrderPage({
      storeName: storeConfig(c.env).storeName,
      order: view,
      retryPath,
      subscriptionPath,
      parts,
      disputes,
      resumable,
      returns,
      notice: ORDER_NOTICES[c.req.query('notice') ?? ''],
      query: c.req.query('t') ? `?t=${encodeURIComponent(c.req.query('t') ?? '')}` : '',
    }),
  );
});
