// Vendor onboarding, shop About/Contact pages, vendor sign-in and dashboard. Thin: parse, call, render.
import { listDiscounts } from '../discounts/store';
import { vendorDiscountRoutes } from './discount-routes';
import { VendorDiscounts } from './discount-section';
import { Hono, type Context } from 'hono';
import * as z from 'zod';
import { getDb } from '../db/client';
import { readDb } from '../db/replica';
import { dispatchMessages } from '../notifications';
import { storeConfig } from '../lib/config';
import { NotFoundError } from '../lib/errors';
import { isForm, wantsJson } from '../lib/http';
import { body, echo, invalidInput, type FieldError } from '../lib/input';
import {
  connectSchema,
  connectVendor,
  expressDashboardLink,
  onboardingLink,
  refreshStoreFromStripe,
} from './connect';
import { contactSchema, submitContactMessage } from './contact';
import { vendorOrders, vendorTransfers } from './dashboard';
import { vendorSubscriptionFigures } from '../subscriptions/admin-queries';
import {
  AboutPage,
  ContactPage,
  ProductFormPage,
  SellPage,
  VendorDashboard,
  VendorLoginConfirmPage,
  VendorLoginPage,
} from './pages';
import {
  createProduct,
  getStoreProduct,
  listStoreProducts,
  productFormSchema,
  productInput,
  setProductActive,
  updateProduct,
} from './products';
import {
  consumeLoginToken,
  endVendorSession,
  peekLoginToken,
  requestLoginLinks,
  requireVendor,
  startVendorSession,
  type VendorEnv,
} from './session';
import { storeBySlug, storeStatus } from '../catalog/stores';
import { renderPage } from '../pages/document';
import { categoriesOf, categoryExists, listCategories } from '../catalog/categories';

type Ctx = Context<VendorEnv>;

const PRIVATE = 'private, no-store';

const NOTICES: Record<string, string> = {
  'onboarding-done': 'Thanks! Stripe is checking your details: your shop opens as soon as they are verified.',
  'product-added': 'Product added.',
  'product-saved': 'Changes saved.',
  'product-hidden': 'Product hidden: shoppers no longer see it.',
  'product-shown': 'Product shown again.',
  'signed-in': 'You are signed in.',
  'discount-created': 'Discount code created.',
  'discount-deactivated': 'Discount code deactivated.',
};

export const vendorRoutes = new Hono<VendorEnv>();

/** `body()` for the vendor routes (their context carries the signed-in store). */
const vendorBody = <T extends z.ZodType>(
  accept: Parameters<typeof body>[0],
  schema: T,
  options?: Parameters<typeof body<T, VendorEnv>>[2],
) => body<T, VendorEnv>(accept, schema, options);

// ------------------------------------------------------------------ onboarding

vendorRoutes.get('/sell', (c) => {
  const { storeName, platformFeeBps } = storeConfig(c.env);
  c.header('cache-control', 'public, max-age=300');
  return renderPage(c, <SellPage storeName={storeName} feePercent={`${platformFeeBps / 100}%`} />);
});

const connectInput = vendorBody(['form', 'json'], connectSchema, {
  invalidForm: (c, errors, values) => {
    const { storeName, platformFeeBps } = storeConfig(c.env);
    return renderPage(
      c,
      <SellPage
        storeName={storeName}
        feePercent={`${platformFeeBps / 100}%`}
        values={values}
        errors={errors}
      />,
      422,
    );
  },
});

vendorRoutes.post('/vendors/connect', connectInput, async (c) => {
  const { store, url } = await connectVendor(c.env, c.req.valid('json'));
  // The browser that opened the shop is its vendor: Stripe sends it back to the dashboard.
  await startVendorSession(c, store.id);
  c.header('cache-control', PRIVATE);
  if (isForm(c)) return c.redirect(url, 303);
  return c.json(
    {
      store: { id: store.id, slug: store.slug, name: store.name, status: storeStatus(store) },
      onboarding_url: url,
    },
    201,
  );
});

/** Stripe's `refresh_url` (an expired or used link) and the dashboard's "continue onboarding". */
vendorRoutes.get('/vendor/onboarding', requireVendor, async (c) => {
  const store = c.var.store;
  if (!store.stripeAccountId) throw new NotFoundError('This shop has no Stripe account.');
  const url = await onboardingLink(c.env, store.stripeAccountId);
  c.header('cache-control', PRIVATE);
  return c.redirect(url, 303);
});

// ------------------------------------------------------------------ sign-in

vendorRoutes.get('/vendor/login', (c) => {
  c.header('cache-control', PRIVATE);
  return renderPage(
    c,
    <VendorLoginPage storeName={storeConfig(c.env).storeName} sent={c.req.query('sent') === '1'} />,
  );
});

const loginSchema = z.object({
  email: z.preprocess(
    (v) => (typeof v === 'string' ? v : ''),
    z.string().trim().toLowerCase().max(200).pipe(z.email('Enter the e-mail address of your shop.')),
  ),
});

const loginInput = vendorBody(['form', 'json'], loginSchema, {
  invalidForm: (c, errors, values) =>
    renderPage(
      c,
      <VendorLoginPage storeName={storeConfig(c.env).storeName} errors={errors} email={values.email} />,
      422,
    ),
});

vendorRoutes.post('/vendor/login', loginInput, async (c) => {
  await requestLoginLinks(c.env, c.req.valid('json').email, c.req.header('cf-connecting-ip') ?? 'unknown');
  // The same answer whether or not a shop uses the address: no list of vendors to probe.
  if (!isForm(c)) return c.json({ sent: true }, 202);
  return c.redirect('/vendor/login?sent=1', 303);
});

vendorRoutes.get('/vendor/login/:token', async (c) => {
  const store = await peekLoginToken(c.env, c.req.param('token'));
  c.header('cache-control', PRIVATE);
  c.header('referrer-policy', 'no-referrer');
  if (!store)
    throw new NotFoundError('This sign-in link has expired or was already used. Ask for a new one.');
  return renderPage(
    c,
    <VendorLoginConfirmPage
      storeName={storeConfig(c.env).storeName}
      store={store}
      token={c.req.param('token')}
    />,
  );
});

vendorRoutes.post('/vendor/login/:token', async (c) => {
  const storeId = await consumeLoginToken(c.env, c.req.param('token'));
  if (!storeId)
    throw new NotFoundError('This sign-in link has expired or was already used. Ask for a new one.');
  await startVendorSession(c, storeId);
  return c.redirect('/vendor?notice=signed-in', 303);
});

vendorRoutes.post('/vendor/logout', (c) => {
  endVendorSession(c);
  return c.redirect('/', 303);
});

// ------------------------------------------------------------------ dashboard

vendorRoutes.get('/vendor', requireVendor, async (c) => {
  const returned = c.req.query('onboarding') === 'done';
  const store = returned ? await refreshStoreFromStripe(c.env, c.var.store) : c.var.store;
  const db = getDb(c.env);
  const [products, orders, transfers, subscriptions, discounts] = await Promise.all([
    listStoreProducts(db, store.id),
    vendorOrders(db, store.id),
    vendorTransfers(db, store.id),
    vendorSubscriptionFigures(db, store.id),
    listDiscounts(db, store.id),
  ]);
  c.header('cache-control', PRIVATE);
  if (wantsJson(c)) {
    return c.json({
      store: { ...store, status: storeStatus(store) },
      products,
      orders,
      transfers,
      subscriptions,
      discounts,
    });
  }
  const notice = returned ? 'onboarding-done' : (c.req.query('notice') ?? '');
  return renderPage(
    c,
    <VendorDashboard
      storeName={storeConfig(c.env).storeName}
      store={store}
      products={products}
      orders={orders}
      transfers={transfers}
      subscriptions={{ ...subscriptions, currency: storeConfig(c.env).currency }}
      flash={NOTICES[notice]}
      discounts={
        <VendorDiscounts discounts={discounts} products={products} currency={storeConfig(c.env).currency} />
      }
    />,
  );
});

vendorRoutes.route('/', vendorDiscountRoutes);

vendorRoutes.post('/vendor/stripe-dashboard', requireVendor, async (c) => {
  const url = await expressDashboardLink(c.env, c.var.store);
  c.header('cache-control', PRIVATE);
  return c.redirect(url, 303);
});

vendorRoutes.get('/vendor/products/new', requireVendor, async (c) => {
  c.header('cache-control', PRIVATE);
  return renderPage(
    c,
    <ProductFormPage
      storeName={storeConfig(c.env).storeName}
      store={c.var.store}
      currency={storeConfig(c.env).currency}
      categories={await listCategories(getDb(c.env))}
    />,
  );
});

/** The product form again (422) with its errors: the one being edited, or a new one. */
async function productFormAgain(c: Ctx, errors: FieldError[], values: Record<string, string>) {
  const { currency, storeName } = storeConfig(c.env);
  const productId = c.req.param('id');
  const product = productId ? await getStoreProduct(getDb(c.env), c.var.store.id, productId) : undefined;
  return renderPage(
    c,
    <ProductFormPage
      storeName={storeName}
      store={c.var.store}
      currency={currency}
      product={product}
      categories={await listCategories(getDb(c.env))}
      values={values}
      errors={errors}
    />,
    422,
  );
}

const productForm = vendorBody(['form', 'json'], productFormSchema, { invalidForm: productFormAgain });

/** The product to write (the price in minor units), or a response (422 page or problem+json) to return. */
async function productFromRequest(c: Ctx, form: z.output<typeof productFormSchema>) {
  let result = productInput(form, storeConfig(c.env).currency);
  if (result.ok && result.input.category && !(await categoryExists(getDb(c.env), result.input.category)))
    result = { ok: false, errors: [{ path: 'category', message: 'Choose a category from the list.' }] };
  if (result.ok) return { input: result.input };
  if (!isForm(c)) throw invalidInput(result.errors);
  return { response: await productFormAgain(c, result.errors, echo(form)) };
}

vendorRoutes.post('/vendor/products', requireVendor, productForm, async (c) => {
  const parsed = await productFromRequest(c, c.req.valid('json'));
  if ('response' in parsed) return parsed.response;
  const product = await createProduct(
    getDb(c.env),
    c.var.store.id,
    storeConfig(c.env).currency,
    parsed.input,
  );
  if (!isForm(c)) return c.json({ product }, 201);
  return c.redirect('/vendor?notice=product-added', 303);
});

vendorRoutes.get('/vendor/products/:id/edit', requireVendor, async (c) => {
  const db = getDb(c.env);
  const product = await getStoreProduct(db, c.var.store.id, c.req.param('id'));
  c.header('cache-control', PRIVATE);
  return renderPage(
    c,
    <ProductFormPage
      storeName={storeConfig(c.env).storeName}
      store={c.var.store}
      currency={product.currency}
      product={product}
      categories={await listCategories(db)}
      category={(await categoriesOf(db, [product.id])).get(product.id)?.slug ?? ''}
    />,
  );
});

vendorRoutes.post('/vendor/products/:id', requireVendor, productForm, async (c) => {
  const id = c.req.param('id');
  await getStoreProduct(getDb(c.env), c.var.store.id, id);
  const parsed = await productFromRequest(c, c.req.valid('json'));
  if ('response' in parsed) return parsed.response;
  const product = await updateProduct(getDb(c.env), c.var.store.id, id, parsed.input);
  if (!isForm(c)) return c.json({ product });
  return c.redirect('/vendor?notice=product-saved', 303);
});

const visibilitySchema = z.object({
  active: z.preprocess((v) => v === true || v === 'true' || v === 'on' || v === '1', z.boolean()),
});

vendorRoutes.post(
  '/vendor/products/:id/visibility',
  requireVendor,
  vendorBody(['form', 'json', 'empty'], visibilitySchema),
  async (c) => {
    const product = await setProductActive(
      getDb(c.env),
      c.var.store.id,
      c.req.param('id'),
      c.req.valid('json').active,
    );
    if (!isForm(c)) return c.json({ product });
    return c.redirect(`/vendor?notice=${product.active ? 'product-shown' : 'product-hidden'}`, 303);
  },
);

// ------------------------------------------------------------------ shop pages (About, Contact)

async function shopOr404(c: Ctx) {
  const store = await storeBySlug(await readDb(c), c.req.param('slug') ?? '');
  if (!store) throw new NotFoundError('There is no shop at this address.');
  return store;
}

vendorRoutes.get('/shops/:slug/about', async (c) => {
  const store = await shopOr404(c);
  c.header('cache-control', 'public, max-age=60, s-maxage=300');
  return renderPage(c, <AboutPage storeName={storeConfig(c.env).storeName} store={store} />);
});

vendorRoutes.get('/shops/:slug/contact', async (c) => {
  const store = await shopOr404(c);
  const sent = c.req.query('sent') === '1';
  c.header('cache-control', sent ? PRIVATE : 'public, max-age=60, s-maxage=300');
  return renderPage(c, <ContactPage storeName={storeConfig(c.env).storeName} store={store} sent={sent} />);
});

const contactInput = vendorBody(['form', 'json'], contactSchema, {
  invalidForm: async (c, errors, values) =>
    renderPage(
      c,
      <ContactPage
        storeName={storeConfig(c.env).storeName}
        store={await shopOr404(c)}
        values={values}
        errors={errors}
      />,
      422,
    ),
});

vendorRoutes.post('/shops/:slug/contact', contactInput, async (c) => {
  const store = await shopOr404(c);
  const id = await submitContactMessage(getDb(c.env), store, c.req.valid('json'));
  await dispatchMessages(c.env);
  if (!isForm(c)) return c.json({ id, sent: true }, 201);
  return c.redirect(`/shops/${encodeURIComponent(store.slug)}/contact?sent=1`, 303);
});
