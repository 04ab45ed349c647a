// The operator's fulfilment forms on the admin order page: mark a part delivered, cancel it with a
// reason, approve or decline a return. Each calls the same domain function as the JSON API and answers
// a 303 back to the order with a flash, or the order page again with the reason it was refused.
import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { getDb, schema, rowById } from '../db/client';
import { storeConfig } from '../lib/config';
import { AppError, NotFoundError } from '../lib/errors';
import { body, type FieldError } from '../lib/input';
import { newId } from '../lib/ids';
import { markDelivered, reasonSchema } from '../fulfilment/shipments';
import { approveReturn, approveSchema, declineReturn, declineSchema } from '../fulfilment/returns';
import { renderPage } from '../pages/document';
import { cancelPartAsOperator } from './fulfilment';
import { OrderPage } from './pages';
import { getOrderDetail } from './queries';

type Ctx = Context<{ Bindings: Env }>;

/** The admin order page again with why the action was refused. */
async function refused(c: Ctx, message: string, status: ContentfulStatusCode) {
  const detail = await getOrderDetail(getDb(c.env), c.req.param('id') ?? '');
  return renderPage(
    c,
    <OrderPage
      storeName={storeConfig(c.env).storeName}
      detail={detail}
      requestId={newId('rr')}
      error={message}
    />,
    status,
  );
}

const invalidForm = (c: Ctx, errors: FieldError[]) => refused(c, errors.map((e) => e.message).join(' '), 422);

/** Runs the action, then back to the order with `notice`; a 409/422 shows the order with the reason. */
async function act(c: Ctx, notice: string, action: () => Promise<unknown>): Promise<Response> {
  try {
    await action();
  } catch (err) {
    if (!(err instanceof AppError) || err instanceof NotFoundError) throw err;
    return refused(c, err.message, err.status as ContentfulStatusCode);
  }
  return c.redirect(`/admin/orders/${encodeURIComponent(c.req.param('id') ?? '')}?notice=${notice}`, 303);
}

/** A return request of this order (the URL names both), else 404. */
async function returnOfOrder(c: Ctx): Promise<string> {
  const row = await rowById(getDb(c.env), schema.returnRequests, c.req.param('returnId') ?? '');
  if (!row || row.orderId !== c.req.param('id')) throw new NotFoundError('There is no such return request.');
  return row.id;
}

export const adminFulfilmentRoutes = new Hono<{ Bindings: Env }>();

adminFulfilmentRoutes.post('/admin/orders/:id/parts/:storeId/delivered', (c) =>
  act(c, 'part-delivered', () => markDelivered(c.env, c.req.param('id'), c.req.param('storeId'), 'operator')),
);

adminFulfilmentRoutes.post(
  '/admin/orders/:id/parts/:storeId/cancel',
  body(['form'], reasonSchema, { invalidForm }),
  (c) =>
    act(c, 'part-cancelled', () =>
      cancelPartAsOperator(c.env, c.req.param('id'), c.req.param('storeId'), c.req.valid('json').reason),
    ),
);

adminFulfilmentRoutes.post(
  '/admin/orders/:id/returns/:returnId/approve',
  body(['form', 'empty'], approveSchema),
  async (c) => {
    const id = await returnOfOrder(c);
    return act(c, 'return-approved', () =>
      approveReturn(c.env, id, { kind: 'operator' }, c.req.valid('json').restock),
    );
  },
);

adminFulfilmentRoutes.post(
  '/admin/orders/:id/returns/:returnId/decline',
  body(['form'], declineSchema, { invalidForm }),
  async (c) => {
    const id = await returnOfOrder(c);
    return act(c, 'return-declined', () =>
      declineReturn(c.env, id, { kind: 'operator' }, c.req.valid('json').reason),
    );
  },
);
