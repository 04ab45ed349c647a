// Shopper accounts without passwords: GET/POST /account/login, the e-mailed link
// (/account/login/:token), POST /account/logout and GET /account. Thin: parse, call, render.
import { Hono, type Context } from 'hono';
import * as z from 'zod';
import { getDb } from '../db/client';
import { storeConfig } from '../lib/config';
import { emailSchema } from '../lib/email';
import { NotFoundError, TooManyRequestsError, UnauthorizedError } from '../lib/errors';
import { isForm, wantsHtml } from '../lib/http';
import { body, fieldText } from '../lib/input';
import { endShopperSession, readShopperSession, startShopperSession } from '../lib/shopper-session';
import { renderPage } from '../pages/document';
import { accountOrders, addressesOnFile } from './account';
import { AccountLoginConfirmPage, AccountLoginPage, AccountPage } from './pages';
import { requestSignInLink } from './sign-in';
import { consumeLoginToken, peekLoginToken } from './tokens';
import { subscriptionsOfEmail } from '../subscriptions/records';

type Ctx = Context<{ Bindings: Env }>;

const loginSchema = z.object({ email: z.preprocess(fieldText, emailSchema) });

const loginInput = body(['form', 'json'], loginSchema, {
  invalidForm: (c, _errors, values) =>
    renderPage(
      c,
      <AccountLoginPage
        storeName={storeName(c)}
        error="Enter a valid e-mail address."
        email={(values.email ?? '').slice(0, 254)}
      />,
      422,
    ),
});

const storeName = (c: Ctx) => storeConfig(c.env).storeName;

const linkGone = () =>
  new NotFoundError('This sign-in link has expired or was already used. Ask for a new one.');

export const accountRoutes = new Hono<{ Bindings: Env }>();

// Personal pages and one-time links: never cached, never sent on as a Referer.
for (const path of ['/account', '/account/*'])
  accountRoutes.use(path, async (c, next) => {
    await next();
    c.res.headers.set('cache-control', 'private, no-store');
    c.res.headers.set('referrer-policy', 'no-referrer');
  });

accountRoutes.get('/account/login', (c) =>
  renderPage(c, <AccountLoginPage storeName={storeName(c)} sent={c.req.query('sent') === '1'} />),
);

accountRoutes.post('/account/login', loginInput, async (c) => {
  const { email } = c.req.valid('json');
  const form = isForm(c);
  try {
    await requestSignInLink(c.env, email, c.req.header('cf-connecting-ip') ?? 'unknown');
  } catch (err) {
    if (!(err instanceof TooManyRequestsError) || !form) throw err;
    c.header('retry-after', String(err.retryAfter));
    return renderPage(
      c,
      <AccountLoginPage storeName={storeName(c)} error={err.message} email={email} />,
      429,
    );
  }
  // The same answer whether or not the address has orders: no list of shoppers to probe.
  if (!form) return c.json({ sent: true }, 202);
  return c.redirect('/account/login?sent=1', 303);
});

accountRoutes.get('/account/login/:token', async (c) => {
  const token = c.req.param('token');
  if (!(await peekLoginToken(getDb(c.env), token))) throw linkGone();
  return renderPage(c, <AccountLoginConfirmPage storeName={storeName(c)} token={token} />);
});

accountRoutes.post('/account/login/:token', async (c) => {
  const email = await consumeLoginToken(getDb(c.env), c.req.param('token'));
  if (!email) throw linkGone();
  await startShopperSession(c, email);
  return c.redirect('/account', 303);
});

accountRoutes.post('/account/logout', (c) => {
  endShopperSession(c);
  return c.redirect('/', 303);
});

accountRoutes.get('/account', async (c) => {
  const email = await readShopperSession(c);
  if (!email) {
    if (wantsHtml(c)) return c.redirect('/account/login', 303);
    throw new UnauthorizedError('Sign in to see your orders.');
  }
  const db = getDb(c.env);
  const [orders, addresses, subscriptions] = await Promise.all([
    accountOrders(db, email),
    addressesOnFile(db, email),
    subscriptionsOfEmail(db, email),
  ]);
  if (!wantsHtml(c)) return c.json({ email, orders, addresses, subscriptions });
  return renderPage(
    c,
    <AccountPage
      storeName={storeName(c)}
      email={email}
      orders={orders}
      addresses={addresses}
      subscriptions={subscriptions}
    />,
  );
});
