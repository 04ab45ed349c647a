// The shopper's actions on an order's parts: "I received it". Same access rule as the order page.
import { Hono, type Context } from 'hono';
import { readCartId } from '../cart/session';
import { getDb } from '../db/client';
import { NotFoundError } from '../lib/errors';
import { isForm } from '../lib/http';
import { readShopperSession } from '../lib/shopper-session';
import { markDelivered, optionalReason } from '../fulfilment/shipments';
import { cancelPart, cancelWholeOrder } from '../fulfilment/cancel';
import { body } from '../lib/input';
import { requestReturn, returnSchema } from '../fulfilment/returns';
import { canViewOrder } from './access';
import { getOrderWithLines } from './model';

const notFound = () => new NotFoundError('There is no such order.');

/** The order if this request may act on it (its cart, a signed link `?t=`, or its signed-in shopper). */
export async function orderForShopper(c: Context<{ Bindings: Env }>, orderId: string) {
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

const cancelInput = body(['form', 'json', 'empty'], optionalReason);

export const orderPartRoutes = new Hono<{ Bindings: Env }>();

orderPartRoutes.post('/orders/:id/parts/:storeId/cancel', cancelInput, async (c) => {
  const { order } = await orderForShopper(c, c.req.param('id'));
  const part = await cancelPart(c.env, order.id, c.req.param('storeId'), {
    reason: c.req.valid('json').reason || 'Cancelled by the shopper.',
    by: 'shopper',
  });
  c.header('cache-control', 'private, no-store');
  if (isForm(c)) return c.redirect(`/orders/${order.id}`, 303);
  return c.json({ part });
});

orderPartRoutes.post('/orders/:id/cancel', cancelInput, async (c) => {
  const { order } = await orderForShopper(c, c.req.param('id'));
  const parts = await cancelWholeOrder(
    c.env,
    order.id,
    c.req.valid('json').reason || 'Cancelled by the shopper.',
  );
  c.header('cache-control', 'private, no-store');
  if (isForm(c)) return c.redirect(`/orders/${order.id}`, 303);
  return c.json({ parts });
});

orderPartRoutes.post('/orders/:id/returns', body(['json'], returnSchema), async (c) => {
  const { order } = await orderForShopper(c, c.req.param('id'));
  const request = await requestReturn(c.env, order.id, c.req.valid('json'));
  c.header('cache-control', 'private, no-store');
  return c.json({ return: request }, 201);
});

orderPartRoutes.post('/orders/:id/parts/:storeId/received', async (c) => {
  const { order } = await orderForShopper(c, c.req.param('id'));
  const part = await markDelivered(c.env, order.id, c.req.param('storeId'), 'shopper');
  c.header('cache-control', 'private, no-store');
  if (isForm(c)) return c.redirect(`/orders/${order.id}`, 303);
  return c.json({ part });
});
