// The shopper's subscription page and actions: GET /subscriptions/:id (HTML or JSON), POST
// /subscriptions/:id/{cancel,resume,cancel-now,update-card}. 404 for anyone who may not see it.
import type { Context } from 'hono';
import { Hono } from 'hono';
import * as z from 'zod';
import { readCartId } from '../cart/session';
import { getDb } from '../db/client';
import { publicOrigin, storeConfig } from '../lib/config';
import { NotFoundError } from '../lib/errors';
import { isForm, wantsJson } from '../lib/http';
import { body } from '../lib/input';
import { readShopperSession } from '../lib/shopper-session';
import { renderPage } from '../pages/document';
import { canManageSubscription } from './access';
import { cancelNow, setCancelAtPeriodEnd } from './actions';
import { startCardUpdate } from './card';
import { SubscriptionPage } from './page';
import { getSubscriptionDetail, type SubscriptionRow } from './records';
import { toSubscriptionView } from './view';

type Ctx = Context<{ Bindings: Env }>;

const SUBSCRIPTION_ID = /^sub_[A-Za-z0-9]{1,250}$/;
const notFound = () => new NotFoundError('There is no such subscription.');

/** The row, if this request may manage it (cookie, signed link `t` from the query or the form, account). */
async function allowed(c: Ctx, token: string | undefined): Promise<SubscriptionRow> {
  const id = c.req.param('id') ?? '';
  if (!SUBSCRIPTION_ID.test(id)) throw notFound();
  const db = getDb(c.env);
  const detail = await getSubscriptionDetail(db, id);
  if (!detail) throw notFound();
  const ok = await canManageSubscription(c.env, db, detail.subscription, {
    cartId: await readCartId(c),
    token,
    shopperEmail: await readShopperSession(c),
  });
  if (!ok) throw notFound();
  return detail.subscription;
}

const actionBody = body(['form', 'json', 'empty'], z.object({ t: z.string().max(200).optional() }));

/** After an action: back to the page (forms) or the subscription as JSON. */
async function answer(c: Ctx, id: string, token: string | undefined) {
  if (isForm(c))
    return c.redirect(`/subscriptions/${id}${token ? `?t=${encodeURIComponent(token)}` : ''}`, 303);
  const detail = await getSubscriptionDetail(getDb(c.env), id);
  c.header('cache-control', 'no-store');
  return c.json({ subscription: toSubscriptionView(detail!) });
}

export const subscriptionRoutes = new Hono<{ Bindings: Env }>()
  .get('/subscriptions/:id', async (c) => {
    const token = c.req.query('t');
    const row = await allowed(c, token);
    const view = toSubscriptionView((await getSubscriptionDetail(getDb(c.env), row.id))!);
    c.header('cache-control', 'private, no-store');
    c.header('x-robots-tag', 'noindex');
    if (wantsJson(c)) return c.json({ subscription: view });
    return renderPage(
      c,
      SubscriptionPage({ storeName: storeConfig(c.env).storeName, sub: view, token: token ?? null }),
    );
  })
  .post('/subscriptions/:id/cancel', actionBody, async (c) => {
    const { t } = c.req.valid('json');
    const row = await allowed(c, t);
    await setCancelAtPeriodEnd(c.env, row, true);
    return answer(c, row.id, t);
  })
  .post('/subscriptions/:id/resume', actionBody, async (c) => {
    const { t } = c.req.valid('json');
    const row = await allowed(c, t);
    await setCancelAtPeriodEnd(c.env, row, false);
    return answer(c, row.id, t);
  })
  .post('/subscriptions/:id/cancel-now', actionBody, async (c) => {
    const { t } = c.req.valid('json');
    const row = await allowed(c, t);
    await cancelNow(c.env, row);
    return answer(c, row.id, t);
  })
  .post('/subscriptions/:id/update-card', actionBody, async (c) => {
    const { t } = c.req.valid('json');
    const row = await allowed(c, t);
    const back = `${publicOrigin(c.env)}/subscriptions/${row.id}${t ? `?t=${encodeURIComponent(t)}` : ''}`;
    const url = await startCardUpdate(c.env, row, back);
    if (isForm(c)) return c.redirect(url, 303);
    c.header('cache-control', 'no-store');
    return c.json({ url });
  });
