// The shopper's actions on an order's parts: cancel a part or the whole order, ask for a return, "I received
// it". Same access rule as the order page; forms get a 303 back to it with a flash, JSON callers JSON.
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AppError, NotFoundError } from '../lib/errors';
import { storeConfig } from '../lib/config';
import { renderPage } from '../pages/document';
import { ActionRefusedPage } from '../fulfilment/pages';
import { returnFormSchema } from '../fulfilment/views';
import { isForm } from '../lib/http';
import { markDelivered, optionalReason } from '../fulfilment/shipments';
import { cancelPart, cancelWholeOrder } from '../fulfilment/cancel';
import { body } from '../lib/input';
import { requestReturn, returnSchema } from '../fulfilment/returns';
import { orderForShopper } from './access';

const cancelInput = body(['form', 'json', 'empty'], optionalReason);

/** Where a form goes back to: the order page with a flash, keeping a signed link's token. */
function backToOrder(c: Context, orderId: string, notice: string): string {
  const t = c.req.query('t');
  return `/orders/${orderId}?notice=${notice}${t ? `&t=${encodeURIComponent(t)}` : ''}`;
}

/**
 * A form the shopper posted and we refused (409 already shipped, 422 bad quantities): the reason on a
 * page with the way back to the order, same status. Not found stays the plain 404.
 */
const refusedFormAsPage: MiddlewareHandler<{ Bindings: Env }> = async (c, next) => {
  await next();
  const err = c.error;
  if (!isForm(c) || !(err instanceof AppError) || err instanceof NotFoundError) return;
  const orderId = c.req.param('id') ?? '';
  const t = c.req.query('t');
  c.status(err.status as ContentfulStatusCode);
  c.res = await renderPage(
    c,
    ActionRefusedPage({
      storeName: storeConfig(c.env).storeName,
      title:
        err.status === 409
          ? 'That can no longer be done'
          : err.status < 500
            ? 'Please check what you entered'
            : 'That did not go through yet',
      detail: err.message,
      back: `/orders/${orderId}${t ? `?t=${encodeURIComponent(t)}` : ''}`,
      backLabel: 'Back to your order',
    }),
  );
};

export const orderPartRoutes = new Hono<{ Bindings: Env }>();
orderPartRoutes.use('/orders/:id/*', refusedFormAsPage);

orderPartRoutes.post('/orders/:id/parts/:storeId/cancel', cancelInput, async (c) => {
  const { order } = await orderForShopper(c, c.req.param('id'));
  const part = await cancelPart(c.env, order.id, c.req.param('storeId'), {
    reason: c.req.valid('json').reason || 'Cancelled by the shopper.',
    by: 'shopper',
  });
  c.header('cache-control', 'private, no-store');
  if (isForm(c)) return c.redirect(backToOrder(c, order.id, 'part-cancelled'), 303);
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
  if (isForm(c)) return c.redirect(backToOrder(c, order.id, 'order-cancelled'), 303);
  return c.json({ parts });
});

orderPartRoutes.post(
  '/orders/:id/returns',
  body(['json', 'form'], returnSchema, { form: returnFormSchema }),
  async (c) => {
    const { order } = await orderForShopper(c, c.req.param('id'));
    const request = await requestReturn(c.env, order.id, c.req.valid('json'));
    c.header('cache-control', 'private, no-store');
    if (isForm(c)) return c.redirect(backToOrder(c, order.id, 'return-requested'), 303);
    return c.json({ return: request }, 201);
  },
);

orderPartRoutes.post('/orders/:id/parts/:storeId/received', async (c) => {
  const { order } = await orderForShopper(c, c.req.param('id'));
  const part = await markDelivered(c.env, order.id, c.req.param('storeId'), 'shopper');
  c.header('cache-control', 'private, no-store');
  if (isForm(c)) return c.redirect(backToOrder(c, order.id, 'received'), 303);
  return c.json({ part });
});
