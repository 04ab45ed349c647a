// Vendor sign-in by one-time link, the dashboard (own products, own order lines, own transfers, the
// Express dashboard link), product add/edit/hide with validation, and the shop's contact form.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { newId } from '../../src/lib/ids';
import { seedOrder } from '../helpers/checkout-fixtures';
import { heldEmulator } from '../helpers/emulator';
import { onboardedAccount, storeFor } from '../helpers/payout-fixtures';
import { linkIn, waitForMail } from '../helpers/mail';
import { browse, postForm, postJson, setCookie, vendorCookie } from '../helpers/vendor-fixtures';

const emu = heldEmulator();

async function onboardedStore(name = `Shop ${newId('n').slice(-5)}`) {
  const accountId = await onboardedAccount(emu, name);
  const store = await storeFor(accountId, name);
  await emu.drain(); // account.updated finds the store, not a new one
  const slug = (await env.DB.prepare('SELECT slug FROM stores WHERE id = ?')
    .bind(store.id)
    .first<{ slug: string }>())!.slug;
  return { ...store, slug, cookie: await vendorCookie(store.id) };
}

async function outboxFor(recipient: string) {
  const { results } = await env.DB.prepare('SELECT * FROM outbox WHERE recipient = ? ORDER BY created_at')
    .bind(recipient)
    .all<{ kind: string; subject: string; body: string; status: string }>();
  return results;
}

describe('vendor sign-in', () => {
  it('e-mails a one-time link (read from the mail catcher); the link signs in once', async () => {
    const store = await onboardedStore('Brine & Barley');
    // The sign-in address is the account's e-mail, as Stripe reported it.
    const { email } = (await env.DB.prepare('SELECT email FROM stores WHERE id = ?')
      .bind(store.id)
      .first<{ email: string }>())!;
    const asked = await postForm('/vendor/login', { email: email.toUpperCase() });
    expect(asked.status).toBe(303);
    expect(asked.headers.get('location')).toBe('/vendor/login?sent=1');
    const [mail] = await waitForMail(email, { kind: 'vendor_sign_in' });
    expect(mail!.subject).toBe('Sign in to Brine & Barley on Harbor Market');
    // Absolute from PUBLIC_URL (wrangler.toml), never from the request's host.
    const link = linkIn(mail!.text, '/vendor/login/');
    expect(link.origin).toBe(env.PUBLIC_URL);
    expect(mail!.html).toContain(`href="${link.href}"`);
    expect(mail!.html).toContain('Sign in to Brine &amp; Barley');
    const token = link.pathname.split('/').pop()!;
    // Only the hash is stored.
    const stored = await env.DB.prepare('SELECT token_hash FROM vendor_login_tokens WHERE store_id = ?')
      .bind(store.id)
      .first<{ token_hash: string }>();
    expect(stored?.token_hash).not.toContain(token);

    // Opening the link shows a button (mail scanners don't sign anyone in); the click signs in.
    const page = await browse(`/vendor/login/${token}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Sign in to Brine &amp; Barley');
    const signIn = await postForm(`/vendor/login/${token}`, {});
    expect(signIn.status).toBe(303);
    const cookie = setCookie(signIn, 'vendor')!;
    expect(signIn.headers.get('set-cookie')).toMatch(/HttpOnly/i);
    const dash = await browse('/vendor', cookie);
    expect(dash.status).toBe(200);
    expect(await dash.text()).toContain('Brine &amp; Barley');

    // Used once: a second click is refused.
    expect((await postForm(`/vendor/login/${token}`, {})).status).toBe(404);
    expect((await browse(`/vendor/login/${token}`)).status).toBe(404);
  });

  it('answers the same for an unknown address and sends nothing', async () => {
    const res = await postForm('/vendor/login', { email: 'nobody-here@example.com' });
    expect(res.status).toBe(303);
    expect(await outboxFor('nobody-here@example.com')).toEqual([]);
    const bad = await postForm('/vendor/login', { email: 'not an address' });
    expect(bad.status).toBe(422);
  });

  it('sends a browser without a session to the sign-in page, an API client gets 401; tampered or expired cookies count as none', async () => {
    const store = await onboardedStore();
    expect((await browse('/vendor')).headers.get('location')).toBe('/vendor/login');
    const api = await postJson('/vendor/products', { name: 'x', price: '1.00' });
    expect(api.status).toBe(401);
    const expired = await vendorCookie(store.id, { expired: true });
    expect((await browse('/vendor', expired)).status).toBe(303);
    const tampered = store.cookie.replace(store.id, 'st_someoneelse');
    expect((await browse('/vendor', tampered)).status).toBe(303);
  });

  it('is rate-limited per address and per IP, known and unknown addresses alike (429 with Retry-After)', async () => {
    const ip = `203.0.113.${Math.floor(Math.random() * 200) + 1}`;
    const unknown = `nobody.${newId('v').slice(2, 10)}@example.com`;
    const ask = (email: string, from = ip) =>
      postJson('/vendor/login', { email }, { 'cf-connecting-ip': from });
    for (let i = 0; i < 5; i++) expect((await ask(unknown)).status).toBe(202);
    // The sixth link for one address within the hour is refused, from any IP.
    const refused = await ask(unknown.toUpperCase(), '198.51.100.7');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // One IP may ask 20 times an hour, whatever the addresses.
    for (let i = 0; i < 15; i++) expect((await ask(`a${i}.${unknown}`)).status).toBe(202);
    expect((await ask(`last.${unknown}`)).status).toBe(429);
  });
});

describe('vendor dashboard', () => {
  it('adds, edits and hides products with validated forms; shoppers see the changes', async () => {
    const store = await onboardedStore('Copper Kettle Co');
    const added = await postForm(
      '/vendor/products',
      {
        name: 'Copper Kettle',
        description: 'Hammered by hand.',
        price: '84.50',
        image: 'https://img.example/k.jpg',
        stock: '3',
        featured: 'on',
      },
      store.cookie,
    );
    expect(added.status).toBe(303);
    const product = await env.DB.prepare('SELECT * FROM products WHERE store_id = ?').bind(store.id).first<{
      id: string;
      slug: string;
      unit_amount: number;
      stock: number;
      currency: string;
      active: number;
      featured: number;
    }>();
    expect(product).toMatchObject({
      slug: 'copper-kettle',
      unit_amount: 8450,
      stock: 3,
      currency: 'usd',
      active: 1,
      featured: 1,
    });

    const shop = await (await browse(`/shops/${store.slug}`)).text();
    expect(shop).toContain('Copper Kettle');
    expect(await (await browse('/vendor', store.cookie)).text()).toContain('$84.50');

    // Invalid input: 422, the form again with each problem, nothing changed.
    const invalid = await postForm(
      `/vendor/products/${product!.id}`,
      { name: '', price: '12.345', image: 'javascript:alert(1)', stock: '-2' },
      store.cookie,
    );
    expect(invalid.status).toBe(422);
    const html = await invalid.text();
    expect(html).toContain('Give the product a name.');
    expect(html).toContain('Enter a price like 12.50.');
    expect(html).toContain('Use an https:// address');
    expect(html).toContain('Stock is a whole number');
    const api = await postJson(
      '/vendor/products',
      { name: 'Free thing', price: '0' },
      { cookie: store.cookie, origin: 'http://localhost' },
    );
    expect(api.status).toBe(422);
    expect(api.headers.get('content-type')).toContain('application/problem+json');

    const edited = await postForm(
      `/vendor/products/${product!.id}`,
      { name: 'Copper Kettle (large)', description: '', price: '90', image: '', stock: '' },
      store.cookie,
    );
    expect(edited.status).toBe(303);
    expect(
      await env.DB.prepare('SELECT name, unit_amount, stock, image, featured FROM products WHERE id = ?')
        .bind(product!.id)
        .first(),
    ).toEqual({ name: 'Copper Kettle (large)', unit_amount: 9000, stock: null, image: null, featured: 0 });

    const hidden = await postForm(
      `/vendor/products/${product!.id}/visibility`,
      { active: 'false' },
      store.cookie,
    );
    expect(hidden.headers.get('location')).toBe('/vendor?notice=product-hidden');
    expect(await (await browse(`/shops/${store.slug}`)).text()).not.toContain('Copper Kettle (large)');
    await postForm(`/vendor/products/${product!.id}/visibility`, { active: 'true' }, store.cookie);
    expect(await (await browse(`/shops/${store.slug}`)).text()).toContain('Copper Kettle (large)');
  });

  it("can't touch another vendor's product", async () => {
    const mine = await onboardedStore();
    const theirs = await onboardedStore();
    await postForm('/vendor/products', { name: 'Theirs', price: '5.00' }, theirs.cookie);
    const product = await env.DB.prepare('SELECT id FROM products WHERE store_id = ?')
      .bind(theirs.id)
      .first<{ id: string }>();
    expect(
      (await postForm(`/vendor/products/${product!.id}`, { name: 'Mine now', price: '1.00' }, mine.cookie))
        .status,
    ).toBe(404);
    expect(
      (await postForm(`/vendor/products/${product!.id}/visibility`, { active: 'false' }, mine.cookie)).status,
    ).toBe(404);
    expect((await browse(`/vendor/products/${product!.id}/edit`, mine.cookie)).status).toBe(404);
  });

  it("shows orders with only the vendor's own lines, and the vendor's transfers", async () => {
    const mine = await onboardedStore('Wren Woodworks');
    const other = await onboardedStore('Other Maker');
    const { orderId } = await seedOrder({
      status: 'paid',
      lines: [
        {
          storeId: mine.id,
          storeName: mine.name,
          name: 'Walnut spoon',
          unitAmount: 1800,
          qty: 2,
          note: 'Engrave "A"',
        },
        { storeId: other.id, storeName: other.name, name: 'Secret other item', unitAmount: 999, qty: 1 },
      ],
    });
    await env.DB.prepare(
      `INSERT INTO transfers (id, order_id, store_id, amount, initial_amount, fee, currency, status, stripe_transfer_id)
       VALUES (?, ?, ?, 3240, 3240, 360, 'usd', 'sent', 'tr_test_wren')`,
    )
      .bind(newId('xfer'), orderId, mine.id)
      .run();
    const html = await (await browse('/vendor', mine.cookie)).text();
    expect(html).toContain(orderId);
    expect(html).toContain('2 × Walnut spoon');
    expect(html).toContain('Engrave');
    expect(html).toContain('$36.00');
    expect(html).not.toContain('Secret other item');
    expect(html).toContain('$32.40');
    expect(html).toMatch(/Sent/);
    const json = await SELFjson('/vendor', mine.cookie);
    expect(json.orders[0]!.lines).toHaveLength(1);
  });

  it('opens the Stripe Express dashboard through a login link', async () => {
    const store = await onboardedStore();
    const res = await postForm('/vendor/stripe-dashboard', {}, store.cookie);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/\/__stripe\/express\/acct_/);
  });

  it('signs out', async () => {
    const store = await onboardedStore();
    const res = await postForm('/vendor/logout', {}, store.cookie);
    expect(res.status).toBe(303);
    expect(res.headers.get('set-cookie')).toMatch(/vendor=;/);
  });
});

describe('shop contact form', () => {
  it('stores the message for the vendor and queues an e-mail to the shop', async () => {
    const store = await onboardedStore('Tern Textiles');
    await env.DB.prepare(`UPDATE stores SET support_email = 'care@tern.example' WHERE id = ?`)
      .bind(store.id)
      .run();
    const res = await postForm(`/shops/${store.slug}/contact`, {
      name: 'Grace',
      email: 'grace@example.com',
      message: 'Do you ship to Norway?',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/shops/${store.slug}/contact?sent=1`);
    const msg = await env.DB.prepare('SELECT name, email, message FROM contact_messages WHERE store_id = ?')
      .bind(store.id)
      .first();
    expect(msg).toEqual({ name: 'Grace', email: 'grace@example.com', message: 'Do you ship to Norway?' });
    const [mail] = await waitForMail('care@tern.example', { kind: 'contact_message' });
    expect(mail!.text).toContain('Do you ship to Norway?');
    expect(mail!.replyTo).toBe('grace@example.com');
    expect(await (await browse(`/shops/${store.slug}/contact?sent=1`)).text()).toContain(
      'your message was sent',
    );

    const bad = await postForm(`/shops/${store.slug}/contact`, { name: 'Grace', email: 'nope', message: '' });
    expect(bad.status).toBe(422);
    const html = await bad.text();
    expect(html).toContain('Enter an e-mail address the shop can answer.');
    expect(html).toContain('Write a message.');
  });
});

async function SELFjson(path: string, cookie: string) {
  const { SELF } = await import('cloudflare:test');
  const res = await SELF.fetch(`http://localhost${path}`, {
    headers: { accept: 'application/json', cookie },
  });
  return res.json<{ orders: { lines: unknown[] }[] }>();
}
