// The operator's admin: sign-in, pages under /admin, the JSON API under /admin/api, and the JSON paths
// of the original webhook service (GET /stores, /stores/:id, /orders, /customers) for the admin token.
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { createFactory } from 'hono/factory';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import * as z from 'zod';
import { getDb } from '../db/client';
import { storeConfig } from '../lib/config';
import { AppError, NotFoundError, UnauthorizedError } from '../lib/errors';
import { wantsHtml } from '../lib/http';
import { body, validate } from '../lib/input';
import { newId } from '../lib/ids';
import { listMessages, resendMessage } from '../notifications/outbox';
import { retryReversal } from '../payouts/reversals';
import { retryTransfer } from '../payouts/transfers';
import { processStoredEvent } from '../webhooks/dispatch';
import { listEvents } from '../webhooks/log';
import { adminCredential, checkAdminToken, endAdminSession, requireAdmin, startAdminSession } from './auth';
import { markDelivered, reasonSchema } from '../fulfilment/shipments';
import { cancelPartAsOperator } from './fulfilment';
import { approveReturn, approveSchema, declineReturn, declineSchema } from '../fulfilment/returns';
import { connectDemoVendors } from './demo';
import {
  AdminHome,
  AdminLoginPage,
  EventPage,
  EventsPage,
  OrderPage,
  OrdersPage,
  MessagesPage,
  StorePage,
  StoresPage,
  TransfersPage,
} from './pages';
import {
  eventLogQuery,
  eventQuery,
  getOrderDetail,
  getStoreDetail,
  getWebhookEvent,
  listOrders,
  listStores,
  listTransfers,
  listWebhookEvents,
  messageQuery,
  orderQuery,
  overview,
  pageQuery,
  transferQuery,
} from './queries';
import { refundOrder, refundSchema } from './refunds';
import { CustomerPage, CustomersPage } from './customer-pages';
import { customerQuery, getCustomerDetail, listCustomers } from './customers';
import { renderPage } from '../pages/document';
import { adminSubscriptionRoutes } from './subscriptions';
import { adminDiscountRoutes } from './discount-routes';
import { adminFulfilmentRoutes } from './fulfilment-routes';

type Ctx = Context<{ Bindings: Env }>;

const NO_STORE = 'no-store';

const NOTICES: Record<string, string> = {
  'refund-requested':
    'Refund requested from Stripe. The order and the vendors’ payouts update when Stripe confirms it.',
  'transfer-retried': 'Transfer queued again.',
  'reversal-retried': 'Reversal queued again.',
  'replayed-processed': 'Event replayed: processed.',
  'replayed-ignored': 'Event replayed: nothing to do (ignored).',
  'replayed-failed': 'Event replayed: it failed again; see the error.',
  'message-resent': 'Message queued again.',
  'part-delivered': 'Part marked delivered.',
  'part-cancelled': 'Part cancelled: its lines are being refunded and the vendor’s payout reduced.',
  'return-approved': 'Return approved: the refund is on its way.',
  'return-declined': 'Return declined.',
};

const storeName = (c: Ctx) => storeConfig(c.env).storeName;
const notice = (c: Ctx) => NOTICES[c.req.query('notice') ?? ''];

/**
 * Operators only: Bearer token or the admin cookie. A browser without either gets the sign-in form
 * (401); an API client a 401 problem+json.
 */
const guard: MiddlewareHandler<{ Bindings: Env }> = async (c, next) => {
  if (await adminCredential(c)) {
    c.header('cache-control', NO_STORE);
    return next();
  }
  const path = new URL(c.req.url).pathname;
  if (wantsHtml(c) && !path.startsWith('/admin/api')) {
    c.header('cache-control', NO_STORE);
    return renderPage(c, <AdminLoginPage storeName={storeName(c)} />, 401);
  }
  throw new UnauthorizedError('An operator token is required.');
};

export const adminRoutes = new Hono<{ Bindings: Env }>();

// ------------------------------------------------------------------ sign-in (before the guard)

adminRoutes.get('/admin/login', (c) => {
  c.header('cache-control', NO_STORE);
  return renderPage(c, <AdminLoginPage storeName={storeName(c)} />);
});

const loginForm = z.object({ token: z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string()) });

adminRoutes.post('/admin/login', body(['form', 'json', 'empty'], loginForm), async (c) => {
  c.header('cache-control', NO_STORE);
  if (!(await checkAdminToken(c.env, c.req.valid('json').token))) {
    return renderPage(
      c,
      <AdminLoginPage storeName={storeName(c)} error="That is not the admin token." />,
      401,
    );
  }
  await startAdminSession(c);
  return c.redirect('/admin', 303);
});

adminRoutes.post('/admin/logout', (c) => {
  endAdminSession(c);
  return c.redirect('/admin/login', 303);
});

adminRoutes.use('/admin', guard);
adminRoutes.use('/admin/*', guard);
adminRoutes.route('/', adminSubscriptionRoutes);
adminRoutes.route('/', adminFulfilmentRoutes);

// ------------------------------------------------------------------ pages

adminRoutes.route('/', adminDiscountRoutes);

adminRoutes.get('/admin', async (c) =>
  renderPage(c, <AdminHome storeName={storeName(c)} data={await overview(getDb(c.env))} />),
);

adminRoutes.get('/admin/stores', validate('query', pageQuery), async (c) => {
  const stores = await listStores(getDb(c.env), c.req.valid('query'));
  return renderPage(c, <StoresPage storeName={storeName(c)} stores={stores} />);
});

adminRoutes.get('/admin/stores/:id', async (c) => {
  const detail = await getStoreDetail(getDb(c.env), c.req.param('id'));
  return renderPage(c, <StorePage storeName={storeName(c)} detail={detail} />);
});

adminRoutes.get('/admin/orders', validate('query', orderQuery), async (c) => {
  const q = c.req.valid('query');
  const orders = await listOrders(getDb(c.env), q);
  return renderPage(c, <OrdersPage storeName={storeName(c)} orders={orders} status={q.status} />);
});

adminRoutes.get('/admin/orders/:id', async (c) => {
  const detail = await getOrderDetail(getDb(c.env), c.req.param('id'));
  return renderPage(
    c,
    <OrderPage storeName={storeName(c)} detail={detail} requestId={newId('rr')} notice={notice(c)} />,
  );
});

/** The order page again with the reason a refund was not made, and the form ready for another try. */
async function refundRefused(c: Ctx, message: string, status: ContentfulStatusCode) {
  const detail = await getOrderDetail(getDb(c.env), c.req.param('id') ?? '');
  return renderPage(
    c,
    <OrderPage storeName={storeName(c)} detail={detail} requestId={newId('rr')} error={message} />,
    status,
  );
}

const refundForm = body(['form', 'json'], refundSchema, {
  invalidForm: (c, errors) => refundRefused(c, errors.map((e) => e.message).join(' '), 422),
});

adminRoutes.post('/admin/orders/:id/refund', refundForm, async (c) => {
  const id = c.req.param('id');
  try {
    await refundOrder(c.env, id, c.req.valid('json'));
  } catch (err) {
    if (!(err instanceof AppError) || err instanceof NotFoundError) throw err;
    return refundRefused(c, err.message, err.status as ContentfulStatusCode);
  }
  return c.redirect(`/admin/orders/${encodeURIComponent(id)}?notice=refund-requested`, 303);
});

adminRoutes.get('/admin/customers', validate('query', customerQuery), async (c) => {
  const q = c.req.valid('query');
  const customers = await listCustomers(getDb(c.env), q);
  const { currency } = storeConfig(c.env);
  return renderPage(
    c,
    <CustomersPage storeName={storeName(c)} currency={currency} customers={customers} q={q.q} />,
  );
});

adminRoutes.get('/admin/customers/:id', async (c) => {
  const detail = await getCustomerDetail(getDb(c.env), c.req.param('id'));
  const { currency } = storeConfig(c.env);
  return renderPage(c, <CustomerPage storeName={storeName(c)} currency={currency} detail={detail} />);
});

adminRoutes.get('/admin/transfers', validate('query', transferQuery), async (c) => {
  const q = c.req.valid('query');
  const data = await listTransfers(getDb(c.env), q);
  return renderPage(
    c,
    <TransfersPage storeName={storeName(c)} data={data} status={q.status} notice={notice(c)} />,
  );
});

adminRoutes.post('/admin/transfers/:id/retry', async (c) => {
  await retryTransfer(c.env, c.req.param('id'));
  return c.redirect('/admin/transfers?notice=transfer-retried', 303);
});

adminRoutes.post('/admin/reversals/:id/retry', async (c) => {
  await retryReversal(c.env, c.req.param('id'));
  return c.redirect('/admin/transfers?notice=reversal-retried', 303);
});

adminRoutes.get('/admin/events', validate('query', eventQuery), async (c) => {
  const q = c.req.valid('query');
  const events = await listWebhookEvents(getDb(c.env), q);
  return renderPage(
    c,
    <EventsPage storeName={storeName(c)} events={events} type={q.type} status={q.status} />,
  );
});

adminRoutes.get('/admin/events/:id', async (c) => {
  const event = await getWebhookEvent(getDb(c.env), c.req.param('id'));
  return renderPage(c, <EventPage storeName={storeName(c)} event={event} notice={notice(c)} />);
});

adminRoutes.post('/admin/events/:id/replay', async (c) => {
  const id = c.req.param('id');
  const result = await processStoredEvent(c.env, id);
  if (result.status === 'not_found') throw new NotFoundError(`No event ${id}.`);
  return c.redirect(`/admin/events/${encodeURIComponent(id)}?notice=replayed-${result.status}`, 303);
});

adminRoutes.get('/admin/messages', validate('query', messageQuery), async (c) => {
  const q = c.req.valid('query');
  const rows = await listMessages(getDb(c.env), q);
  return renderPage(
    c,
    <MessagesPage storeName={storeName(c)} rows={rows} status={q.status} notice={notice(c)} />,
  );
});

adminRoutes.post('/admin/messages/:id/resend', async (c) => {
  await resendMessage(c.env, c.req.param('id'));
  return c.redirect('/admin/messages?notice=message-resent', 303);
});

// The page's old name.
adminRoutes.get('/admin/outbox', (c) => c.redirect('/admin/messages', 301));

// ------------------------------------------------------------------ JSON API

adminRoutes.get('/admin/api/overview', async (c) => c.json(await overview(getDb(c.env))));

const factory = createFactory<{ Bindings: Env }>();
// Shared by the JSON API and the original service's paths (GET /stores, /stores/:id, /orders, /customers).
const storesJson = factory.createHandlers(validate('query', pageQuery), async (c) =>
  c.json({ stores: await listStores(getDb(c.env), c.req.valid('query')) }),
);
const storeJson = factory.createHandlers(async (c) =>
  c.json(await getStoreDetail(getDb(c.env), c.req.param('id') ?? '')),
);
const ordersJson = factory.createHandlers(validate('query', orderQuery), async (c) =>
  c.json({ orders: await listOrders(getDb(c.env), c.req.valid('query')) }),
);
const customersJson = factory.createHandlers(validate('query', customerQuery), async (c) =>
  c.json({ customers: await listCustomers(getDb(c.env), c.req.valid('query')) }),
);
const customerJson = factory.createHandlers(async (c) =>
  c.json(await getCustomerDetail(getDb(c.env), c.req.param('id') ?? '')),
);

adminRoutes.get('/admin/api/stores', ...storesJson);
adminRoutes.get('/admin/api/stores/:id', ...storeJson);
adminRoutes.get('/admin/api/orders', ...ordersJson);
adminRoutes.get('/admin/api/orders/:id', async (c) =>
  c.json(await getOrderDetail(getDb(c.env), c.req.param('id'))),
);
adminRoutes.get('/admin/api/customers', ...customersJson);
adminRoutes.get('/admin/api/customers/:id', ...customerJson);
adminRoutes.get('/admin/api/transfers', validate('query', transferQuery), async (c) =>
  c.json(await listTransfers(getDb(c.env), c.req.valid('query'))),
);
adminRoutes.get('/admin/api/events', validate('query', eventQuery), async (c) =>
  c.json({ events: await listWebhookEvents(getDb(c.env), c.req.valid('query')) }),
);
adminRoutes.get('/admin/api/events/:id', async (c) =>
  c.json(await getWebhookEvent(getDb(c.env), c.req.param('id'))),
);
adminRoutes.get('/admin/api/messages', validate('query', messageQuery), async (c) =>
  c.json({ messages: await listMessages(getDb(c.env), c.req.valid('query')) }),
);
adminRoutes.post('/admin/api/messages/:id/resend', async (c) =>
  c.json({ message: await resendMessage(c.env, c.req.param('id')) }, 202),
);

/** An API client's `Idempotency-Key` stands for the form's `request_id` (same rules). */
const idempotencyHeader = z.object({ 'idempotency-key': refundSchema.shape.request_id.optional() });

adminRoutes.post(
  '/admin/api/orders/:id/refunds',
  validate('header', idempotencyHeader),
  body(['form', 'json', 'empty'], refundSchema),
  async (c) => {
    const req = c.req.valid('json');
    const headerKey = c.req.valid('header')['idempotency-key'];
    const result = await refundOrder(c.env, c.req.param('id'), {
      ...req,
      request_id: req.request_id || headerKey || '',
    });
    return c.json(result, result.replayed ? 200 : 201);
  },
);

// Fulfilment: an operator marks a vendor's part delivered, or cancels it with a reason.
adminRoutes.post('/admin/api/orders/:id/parts/:storeId/delivered', async (c) =>
  c.json({ part: await markDelivered(c.env, c.req.param('id'), c.req.param('storeId'), 'operator') }),
);
adminRoutes.post(
  '/admin/api/orders/:id/parts/:storeId/cancel',
  body(['form', 'json'], reasonSchema),
  async (c) =>
    c.json(
      await cancelPartAsOperator(
        c.env,
        c.req.param('id'),
        c.req.param('storeId'),
        c.req.valid('json').reason,
      ),
    ),
);

adminRoutes.post('/admin/api/returns/:id/approve', body(['json', 'empty'], approveSchema), async (c) =>
  c.json({
    return: await approveReturn(c.env, c.req.param('id'), { kind: 'operator' }, c.req.valid('json').restock),
  }),
);
adminRoutes.post('/admin/api/returns/:id/decline', body(['json'], declineSchema), async (c) =>
  c.json({
    return: await declineReturn(c.env, c.req.param('id'), { kind: 'operator' }, c.req.valid('json').reason),
  }),
);

adminRoutes.post('/admin/api/transfers/:id/retry', async (c) =>
  c.json({ transfer: await retryTransfer(c.env, c.req.param('id')) }, 202),
);
adminRoutes.post('/admin/api/reversals/:id/retry', async (c) =>
  c.json({ reversal: await retryReversal(c.env, c.req.param('id')) }, 202),
);

adminRoutes.post('/admin/api/events/:id/replay', async (c) => {
  const id = c.req.param('id');
  const result = await processStoredEvent(c.env, id);
  if (result.status === 'not_found') throw new NotFoundError(`No event ${id}.`);
  return c.json({ id, ...result });
});

/** Dev only (`npm run dev` calls it): demo stores get onboarded emulator accounts. 403 in production. */
adminRoutes.post('/admin/api/demo/vendors', async (c) =>
  c.json({ vendors: await connectDemoVendors(c.env) }),
);

// ------------------------------------------------------------------ the original service's JSON paths

const noStore: MiddlewareHandler<{ Bindings: Env }> = async (c, next) => {
  await next();
  c.header('cache-control', NO_STORE);
};
adminRoutes.get('/stores', requireAdmin, noStore, ...storesJson);
adminRoutes.get('/stores/:id', requireAdmin, noStore, ...storeJson);
adminRoutes.get('/orders', requireAdmin, noStore, ...ordersJson);
adminRoutes.get('/customers', requireAdmin, noStore, ...customersJson);
adminRoutes.get('/customers/:id', requireAdmin, noStore, ...customerJson);
adminRoutes.get('/webhooks/stripe/logs', requireAdmin, noStore, validate('query', eventLogQuery), async (c) =>
  c.json({ events: await listEvents(getDb(c.env), c.req.valid('query')) }),
);
