// Issue 8, defects 1, 2 and 12: every absolute URL comes from PUBLIC_URL (http://localhost in tests),
// never from the request's Host; page requests on another origin are redirected there; the CSP names
// the emulator's origin in emulator mode only.
import { SELF } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { app } from '../../src/app';
import { getDb } from '../../src/db/client';
import { newId } from '../../src/lib/ids';
import { getStripe } from '../../src/stripe/client';
import { insertStore } from '../../src/catalog/stores';
import { cartCookie, seedCatalog } from '../helpers/checkout-fixtures';
import { ordersOfCart, shopper } from '../helpers/checkout-flow';
import { waitForMail } from '../helpers/mail';

const PUBLIC = env.PUBLIC_URL;
const FORGED = 'http://evil.example';

/** A form post as a browser on `origin` sends it, with the cart cookie. */
async function checkoutFormOn(origin: string, cookie: string) {
  return SELF.fetch(`${origin}/checkout`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', origin, cookie },
    body: '',
    redirect: 'manual',
  });
}

describe('PUBLIC_URL is the one base of absolute URLs', () => {
  it('tests run with PUBLIC_URL = the origin they fetch', () => {
    expect(PUBLIC).toBe('http://localhost');
  });

  it('a checkout from the canonical origin is sent to the emulator under PUBLIC_URL/__stripe', async () => {
    const { products } = await seedCatalog([{ name: 'Sea glass', unitAmount: 1500 }]);
    const buyer = await shopper();
    await buyer.add(products[0]!);
    const res = await checkoutFormOn(PUBLIC, buyer.cookie);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(new RegExp(`^${PUBLIC}/__stripe/c/pay/cs_`));
  });

  it('a forged Host gets Stripe success and cancel URLs on PUBLIC_URL', async () => {
    const { products } = await seedCatalog([{ name: 'Driftwood', unitAmount: 900 }]);
    const buyer = await shopper();
    await buyer.add(products[0]!);
    const res = await checkoutFormOn(FORGED, buyer.cookie);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).not.toContain('evil.example');
    const [order] = await ordersOfCart(buyer.cartId);
    const session = (await getStripe(env).checkout.sessions.list({ limit: 50 })).data.find(
      (s) => s.client_reference_id === order!.id,
    )!;
    expect(session.success_url).toBe(`${PUBLIC}/orders/${order!.id}?session_id={CHECKOUT_SESSION_ID}`);
    expect(session.cancel_url).toBe(`${PUBLIC}/cart`);
    expect(session.url).toMatch(new RegExp(`^${PUBLIC}/__stripe/`));
  });

  it('the e-mailed vendor sign-in link points at PUBLIC_URL whatever Host the request named', async () => {
    const email = `${newId('v').toLowerCase()}@example.com`;
    await insertStore(getDb(env), { name: `Forge ${email.slice(2, 8)}`, email, accountId: null });
    const res = await SELF.fetch(`${FORGED}/vendor/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', origin: FORGED },
      body: new URLSearchParams({ email }).toString(),
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    const [mail] = await waitForMail(email, { kind: 'vendor_sign_in' });
    expect(mail!.text).toMatch(new RegExp(`${PUBLIC}/vendor/login/[A-Za-z0-9_-]{43}`));
    expect(mail!.text + mail!.html).not.toContain('evil.example');
  });

  it('the vendor onboarding return URLs are on PUBLIC_URL under a forged Host', async () => {
    const res = await SELF.fetch(`${FORGED}/vendors/connect`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ name: `Harbor ${newId('n').slice(-5)}`, email: 'onboard@example.com' }),
    });
    expect(res.status).toBe(201);
    const { onboarding_url } = await res.json<{ onboarding_url: string }>();
    expect(onboarding_url).toMatch(new RegExp(`^${PUBLIC}/__stripe/connect/onboarding/`));
    // Finishing on the onboarding page sends the vendor back to Stripe's return_url: PUBLIC_URL.
    const done = await SELF.fetch(onboarding_url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        business_name: 'Harbor',
        email: 'onboard@example.com',
        url: 'https://harbor.example',
      }),
      redirect: 'manual',
    });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`${PUBLIC}/vendor?onboarding=done`);
  });

  it('receipt links follow PUBLIC_URL, also when the charge is made on the proxied checkout page', async () => {
    const { products } = await seedCatalog([{ name: 'Kelp soap', unitAmount: 1100 }]);
    const buyer = await shopper();
    await buyer.add(products[0]!);
    const started = await checkoutFormOn(PUBLIC, buyer.cookie);
    const pay = started.headers.get('location')!;
    const paid = await SELF.fetch(pay, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        email: 'kelp@example.com',
        card_number: '4242 4242 4242 4242',
        exp: '12/34',
        cvc: '123',
      }),
      redirect: 'manual',
    });
    expect(paid.status).toBe(303);
    const [order] = await ordersOfCart(buyer.cartId);
    expect(paid.headers.get('location')).toMatch(new RegExp(`^${PUBLIC}/orders/${order!.id}\\?`));
    const session = (await getStripe(env).checkout.sessions.list({ limit: 50 })).data.find(
      (s) => s.client_reference_id === order!.id,
    )!;
    const intent = await getStripe(env).paymentIntents.retrieve(session.payment_intent as string, {
      expand: ['latest_charge'],
    });
    const charge = intent.latest_charge as { id: string; receipt_url: string };
    expect(charge.receipt_url).toBe(`${PUBLIC}/__stripe/receipts/${charge.id}`);
  });
});

describe('the canonical origin', () => {
  it('redirects a page request on another host:port to the same path and query on PUBLIC_URL (308)', async () => {
    const res = await SELF.fetch('http://127.0.0.1:8787/products?page=2', {
      headers: { accept: 'text/html' },
      redirect: 'manual',
    });
    expect(res.status).toBe(308);
    expect(res.headers.get('location')).toBe(`${PUBLIC}/products?page=2`);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const head = await SELF.fetch('http://localhost:8787/cart', {
      method: 'HEAD',
      headers: { accept: 'text/html' },
      redirect: 'manual',
    });
    expect(head.status).toBe(308);
    expect(head.headers.get('location')).toBe(`${PUBLIC}/cart`);
  });

  it('serves pages on PUBLIC_URL itself', async () => {
    const res = await SELF.fetch(`${PUBLIC}/`, { headers: { accept: 'text/html' }, redirect: 'manual' });
    expect(res.status).toBe(200);
  });

  it('leaves API calls, form posts, health, webhooks and the emulator alone', async () => {
    const other = 'http://127.0.0.1:8787';
    const api = await SELF.fetch(`${other}/cart`, {
      headers: { accept: 'application/json' },
      redirect: 'manual',
    });
    expect(api.status).toBe(200);
    const health = await SELF.fetch(`${other}/health`, {
      headers: { accept: 'text/html' },
      redirect: 'manual',
    });
    expect(health.status).toBe(200);
    const js = await SELF.fetch(`${other}/__stripe/v3/stripe.js`, {
      headers: { accept: 'text/html' },
      redirect: 'manual',
    });
    expect(js.status).toBe(200);
    const hook = await SELF.fetch(`${other}/webhooks/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
      redirect: 'manual',
    });
    expect(hook.status).toBe(400); // no signature: refused by the webhook, not redirected
    const cookie = await cartCookie(newId('cart'));
    const form = await checkoutFormOn(other, cookie);
    expect(form.status).not.toBe(308);
  });
});

describe('Content-Security-Policy', () => {
  const csp = (res: Response) => res.headers.get('content-security-policy') ?? '';

  it('in emulator mode allows exactly the emulator origin (PUBLIC_URL) and nothing of Stripe’s', async () => {
    const res = await SELF.fetch(`${PUBLIC}/`, { headers: { accept: 'text/html' } });
    const policy = csp(res);
    for (const directive of ['script-src', 'connect-src', 'frame-src', 'form-action'])
      expect(policy).toMatch(new RegExp(`${directive} [^;]*${PUBLIC}(;|$| )`));
    expect(policy).not.toContain('stripe.com');
  });

  it('in test mode names Stripe and no emulator origin', async () => {
    const res = await app.request(
      `${PUBLIC}/`,
      { headers: { accept: 'text/html' } },
      { ...env, STRIPE_SECRET_KEY: 'sk_test_example', STRIPE_PUBLISHABLE_KEY: 'pk_test_example' },
    );
    const policy = csp(res);
    expect(policy).toContain("script-src 'self' https://js.stripe.com");
    expect(policy).toContain("form-action 'self' https://checkout.stripe.com https://connect.stripe.com");
    expect(policy).not.toContain(PUBLIC);
  });
});
