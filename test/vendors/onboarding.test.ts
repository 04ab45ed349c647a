// Vendor onboarding against the Stripe emulator: "Sell with us" → connected account + store at once →
// the emulator's onboarding page → account.updated → the store is open with its pages; account events
// in any order; a deauthorized account closes its store.
import { SELF } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { getStripe } from '../../src/stripe/client';
import { heldEmulator } from '../helpers/emulator';
import {
  accountObject,
  browse,
  deliverAccountEvent,
  postForm,
  postJson,
  setCookie,
  storeRow,
} from '../helpers/vendor-fixtures';
import { stripeId } from '../helpers/webhook-events';

const emu = heldEmulator();

/** Connects a new vendor through the form; returns its store, account, cookie and onboarding URL. */
async function connect(name: string, email = `${name.toLowerCase().replace(/\W+/g, '')}@example.com`) {
  const res = await postForm('/vendors/connect', { name, email, country: 'US' });
  expect(res.status).toBe(303);
  const location = res.headers.get('location')!;
  const cookie = setCookie(res, 'vendor');
  const store = await env.DB.prepare('SELECT * FROM stores WHERE email = ? ORDER BY created_at DESC')
    .bind(email)
    .first<{ id: string; slug: string; stripe_account_id: string }>();
  return { location, cookie: cookie!, store: store!, accountId: store!.stripe_account_id };
}

describe('Sell with us', () => {
  it('shows the sell page with the connect form', async () => {
    const res = await browse('/sell');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('action="/vendors/connect"');
    expect(html).toMatch(/Connect with Stripe/);
    expect(html).toContain('10% platform fee');
  });

  it('connect → onboarding page → account.updated → the store is open with its pages', async () => {
    const { location, cookie, store, accountId } = await connect('Moss & Fern Pottery');
    // An Express-style connected account exists, tied to the store both ways.
    expect(accountId).toMatch(/^acct_/);
    const account = await getStripe(env).accounts.retrieve(accountId);
    expect(account.type).toBe('express');
    expect(account.metadata?.store_id).toBe(store.id);
    expect(store.slug).toBe('moss-fern-pottery');
    expect(cookie).toMatch(/^vendor=/);

    // Stripe's onboarding page (the emulator's, through the /__stripe proxy), with our return URLs.
    expect(location).toMatch(/^http:\/\/localhost(:\d+)?\/__stripe\/connect\/onboarding\//);
    const onboarding = await browse(new URL(location).pathname);
    expect(onboarding.status).toBe(200);

    // Until Stripe says so, the store sells nothing.
    const soon = await browse(`/shops/${store.slug}/about`);
    expect(await soon.text()).toMatch(/opening soon/i);
    const dash = await browse('/vendor', cookie);
    expect(dash.status).toBe(200);
    const dashHtml = await dash.text();
    expect(dashHtml).toContain('Opening soon');
    expect(dashHtml).toContain('/vendor/onboarding');

    // An expired link (Stripe's refresh_url) makes a fresh one.
    const refresh = await browse('/vendor/onboarding', cookie);
    expect(refresh.status).toBe(303);
    expect(refresh.headers.get('location')).toMatch(/\/__stripe\/connect\/onboarding\//);
    expect(refresh.headers.get('location')).not.toBe(location);

    // The vendor finishes onboarding; Stripe sends account.updated (a Connect event).
    await emu.completeOnboarding(accountId, {
      business_name: 'Moss & Fern Pottery',
      url: 'https://mossfern.example',
    });
    await getStripe(env).accounts.update(accountId, {
      business_profile: {
        product_description: 'Hand-thrown planters and mugs.',
        support_phone: '+1 555 0100',
      },
    });
    const deliveries = await emu.drain();
    expect(deliveries.filter((d) => d.type === 'account.updated').every((d) => d.status === 200)).toBe(true);

    const open = await storeRow({ id: store.id });
    expect(open).toMatchObject({ charges_enabled: 1, payouts_enabled: 1, details_submitted: 1 });
    expect(open?.about).toBe('Hand-thrown planters and mugs.');

    const pages = await Promise.all(
      [`/shops/${store.slug}`, `/shops/${store.slug}/about`, `/shops/${store.slug}/contact`].map((p) =>
        browse(p),
      ),
    );
    expect(pages.map((p) => p.status)).toEqual([200, 200, 200]);
    const [home, about, contact] = await Promise.all(pages.map((p) => p.text()));
    expect(home).toContain('Moss &amp; Fern Pottery');
    expect(about).toContain('Hand-thrown planters and mugs.');
    expect(about).toContain('mossfern.example');
    expect(about).toContain('+1 555 0100');
    expect(about).not.toMatch(/opening soon/i);
    expect(contact).toContain(`action="/shops/${store.slug}/contact"`);

    // Back from Stripe: the dashboard says open.
    const back = await browse('/vendor?onboarding=done', cookie);
    expect(await back.text()).toMatch(/data-store-status="open"/);
  });

  it('answers the JSON API with 201 and the onboarding URL; bad input is a 422 naming the field', async () => {
    const ok = await postJson('/vendors/connect', { name: 'Quill & Ink', email: 'quill@example.com' });
    expect(ok.status).toBe(201);
    const body = await ok.json<{ store: { slug: string; status: string }; onboarding_url: string }>();
    expect(body.store).toMatchObject({ slug: 'quill-ink', status: 'opening_soon' });
    expect(body.onboarding_url).toMatch(/\/connect\/onboarding\//);
    // Same name: another slug.
    const twin = await postJson('/vendors/connect', { name: 'Quill & Ink', email: 'quill2@example.com' });
    expect((await twin.json<{ store: { slug: string } }>()).store.slug).toBe('quill-ink-2');

    const bad = await postJson('/vendors/connect', { name: 'Q', email: 'not-an-email' });
    expect(bad.status).toBe(422);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    const problem = await bad.json<{ errors: { path: string }[] }>();
    expect(problem.errors.map((e) => e.path).sort()).toEqual(['email', 'name']);

    const form = await postForm('/vendors/connect', { name: '', email: '' });
    expect(form.status).toBe(422);
    expect(await form.text()).toContain('Give your shop a name');
  });

  it('refuses a cross-site form post and makes no store', async () => {
    const res = await SELF.fetch('http://localhost/vendors/connect', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      body: 'name=Evil+Shop&email=evil%40example.com',
    });
    expect(res.status).toBe(403);
    expect(await env.DB.prepare(`SELECT id FROM stores WHERE email = 'evil@example.com'`).first()).toBeNull();
  });
});

describe('stores built from account events', () => {
  it('builds a store for an account it does not know yet, from account.updated or account.created', async () => {
    const acct = stripeId('acct');
    const res = await deliverAccountEvent(
      'account.updated',
      acct,
      accountObject(acct, {
        email: 'owner@lighthouse.example',
        charges_enabled: true,
        payouts_enabled: true,
        details_submitted: true,
        business_profile: {
          name: 'Lighthouse Candles',
          url: 'https://lighthouse.example',
          support_email: 'help@lighthouse.example',
        },
      }),
    );
    expect(res.status).toBe(200);
    const store = await storeRow({ account: acct });
    expect(store).toMatchObject({
      name: 'Lighthouse Candles',
      slug: 'lighthouse-candles',
      email: 'owner@lighthouse.example',
      support_email: 'help@lighthouse.example',
      charges_enabled: 1,
    });

    const other = stripeId('acct');
    await deliverAccountEvent(
      'account.created',
      other,
      accountObject(other, { business_profile: { name: 'Saltmarsh Soap' } }),
    );
    expect(await storeRow({ account: other })).toMatchObject({ name: 'Saltmarsh Soap', charges_enabled: 0 });
  });

  it('an older account.updated arriving late changes nothing', async () => {
    const acct = stripeId('acct');
    const now = Math.floor(Date.now() / 1000);
    const enabled = { charges_enabled: true, payouts_enabled: true, details_submitted: true };
    await deliverAccountEvent(
      'account.updated',
      acct,
      accountObject(acct, { ...enabled, business_profile: { name: 'Harbour Knits' } }),
      now,
    );
    const late = await deliverAccountEvent(
      'account.updated',
      acct,
      accountObject(acct, { business_profile: { name: 'Old Name' } }),
      now - 120,
    );
    expect(late.status).toBe(200);
    expect(await storeRow({ account: acct })).toMatchObject({ name: 'Harbour Knits', charges_enabled: 1 });
  });

  it('a deauthorized account closes its store for good', async () => {
    const { store, accountId } = await connect('Driftwood Frames');
    await emu.completeOnboarding(accountId, { business_name: 'Driftwood Frames' });
    await emu.drain();
    expect(await storeRow({ id: store.id })).toMatchObject({ charges_enabled: 1 });

    const now = Math.floor(Date.now() / 1000);
    const res = await deliverAccountEvent(
      'account.application.deauthorized',
      accountId,
      { id: 'ca_test_platform', object: 'application', name: 'Harbor Market' },
      now + 1,
    );
    expect(res.status).toBe(200);
    const closed = await storeRow({ id: store.id });
    expect(closed?.deauthorized_at).toBeTruthy();
    expect(closed).toMatchObject({ charges_enabled: 0, payouts_enabled: 0 });
    expect(await (await browse(`/shops/${store.slug}/about`)).text()).toMatch(/has closed/);

    // A later account.updated does not reopen it.
    await deliverAccountEvent(
      'account.updated',
      accountId,
      accountObject(accountId, { charges_enabled: true, payouts_enabled: true, details_submitted: true }),
      now + 5,
    );
    expect(await storeRow({ id: store.id })).toMatchObject({ charges_enabled: 0 });
  });

  it('a deauthorization for an unknown account leaves a closed store that later events cannot open', async () => {
    const acct = stripeId('acct');
    await deliverAccountEvent('account.application.deauthorized', acct, {
      id: 'ca_x',
      object: 'application',
    });
    await deliverAccountEvent(
      'account.updated',
      acct,
      accountObject(acct, { charges_enabled: true, payouts_enabled: true, details_submitted: true }),
    );
    const store = await storeRow({ account: acct });
    expect(store?.deauthorized_at).toBeTruthy();
    expect(store?.charges_enabled).toBe(0);
  });

  it('answers 404 for a shop that does not exist', async () => {
    expect((await browse('/shops/no-such-shop/about')).status).toBe(404);
    expect((await browse('/shops/no-such-shop/contact')).status).toBe(404);
  });
});
