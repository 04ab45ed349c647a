// The no-JS path: forms post, get a 303 back to the page, and the cart page shows the result.
import { beforeAll, describe, expect, it } from 'vitest';
import { productPath } from '../../src/catalog/urls';
import { createCatalog, DEMO, seedDemoCatalog, updateProduct, updateStore } from '../helpers/catalog';
import { CartClient } from './client';

beforeAll(async () => {
  await seedDemoCatalog();
});

const mugPage = productPath('tidewater-ceramics', 'speckled-stoneware-mug');

describe('cart forms', () => {
  it('the product page form adds and goes back to the page with a confirmation', async () => {
    const client = new CartClient();
    const res = await client.form('/cart/items', {
      productId: DEMO.products.mug,
      qty: '2',
      note: 'Please gift wrap',
      return_to: `${mugPage}?added=1`,
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${mugPage}?added=1`);
    const back = await client.fetch(res.headers.get('location')!, { headers: { accept: 'text/html' } });
    expect(await back.text()).toContain('Added to your cart.');
    const view = await client.cart();
    expect(view.items[DEMO.products.mug]).toEqual({ price: 2800, qty: 2 });
    expect(view.lines[0]!.note).toBe('Please gift wrap');
  });

  it('never redirects off the site', async () => {
    const client = new CartClient();
    for (const target of [
      'https://evil.example/',
      '//evil.example/x',
      '/\\evil.example',
      'javascript:alert(1)',
    ]) {
      const res = await client.form('/cart/items', { productId: DEMO.products.notebook, return_to: target });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/cart');
    }
  });

  it('updates, removes and empties through the cart page forms', async () => {
    const client = new CartClient();
    await client.add(DEMO.products.mug, 1);
    await client.add(DEMO.products.notebook, 1);

    let res = await client.form(`/cart/items/${DEMO.products.mug}`, {
      _method: 'patch',
      qty: '3',
      note: 'Matte if possible',
      return_to: '/cart',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/cart');
    let view = await client.cart();
    expect(view.items[DEMO.products.mug]!.qty).toBe(3);
    expect(view.lines[0]!.note).toBe('Matte if possible');

    res = await client.form(`/cart/items/${DEMO.products.notebook}`, {
      _method: 'delete',
      qty: '1',
      note: '',
    });
    expect(res.status).toBe(303);
    view = await client.cart();
    expect(Object.keys(view.items)).toEqual([DEMO.products.mug]);

    res = await client.form('/cart/clear', {});
    expect(res.status).toBe(303);
    expect((await client.cart()).lines).toEqual([]);
  });

  it('a bad form answers an HTML error page that says what is wrong, cart unchanged', async () => {
    const client = new CartClient();
    await client.add(DEMO.products.mug, 1);
    const before = await client.cart();
    const res = await client.form(`/cart/items/${DEMO.products.mug}`, { qty: '150' });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('qty must be from 0 to 99');
    expect((await client.cart()).items).toEqual(before.items);
  });
});

describe('GET /cart (the page)', () => {
  it('shows each line with its total, note, the subtotal and both ways to pay', async () => {
    const client = new CartClient();
    await client.add(DEMO.products.mug, 2, 'Gift <b>wrap</b>');
    await client.add(DEMO.products.notebook, 1);
    const res = await client.fetch('/cart', { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(res.headers.get('vary')).toMatch(/Cookie/);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    expect(html).toContain('Speckled Stoneware Mug');
    expect(html).toContain('$56.00'); // 2 × $28.00
    expect(html).toContain('$72.00'); // subtotal
    expect(html).toContain('Gift &lt;b&gt;wrap&lt;/b&gt;'); // the note, escaped
    expect(html).toMatch(/<form method="post" action="\/checkout"/);
    expect(html).toMatch(/<form method="get" action="\/pay"/);
    expect(html).toContain('Pay with card on this page');
    expect(html).toMatch(/data-cart-count[^>]*>3</); // the header badge knows the count here
    expect(html).not.toMatch(/<script>|<script [^>]*>[^<]/); // no inline script (CSP)
  });

  it('flags unavailable and repriced lines and leaves them out of the subtotal', async () => {
    const { store, products } = await createCatalog(3);
    const [a, b, c] = products as [(typeof products)[0], (typeof products)[0], (typeof products)[0]];
    const client = new CartClient();
    await client.add(a.id, 1);
    await client.add(b.id, 1);
    await client.add(c.id, 2);
    await updateProduct(a.id, { active: false });
    await updateProduct(b.id, { unitAmount: 2500 });
    await updateProduct(c.id, { stock: 1 });
    let view = await client.cart();
    expect(view.lines.map((l) => l.available)).toEqual([false, true, false]);
    expect(view.subtotal).toBe(2500);
    expect(view.notices).toHaveLength(3);

    const html = await (await client.fetch('/cart', { headers: { accept: 'text/html' } })).text();
    expect(html).toContain(`${a.name} is no longer sold.`);
    expect(html).toContain('changed from $20.00 to $25.00');
    expect(html).toContain(`Only 1 of ${c.name} left`);

    // The whole shop stops selling: every line is unavailable and checkout is disabled.
    await updateStore(store.id, { chargesEnabled: false });
    view = await client.cart();
    expect(view.lines.every((l) => !l.available)).toBe(true);
    expect(view.subtotal).toBe(0);
    const closed = await (await client.fetch('/cart', { headers: { accept: 'text/html' } })).text();
    expect(closed).toMatch(/<button type="submit" class="[^"]*" disabled="">\s*Checkout/);
  });

  it('an empty cart says so', async () => {
    const client = new CartClient();
    const html = await (await client.fetch('/cart', { headers: { accept: 'text/html' } })).text();
    expect(html).toContain('Your cart is empty.');
  });

  it('explains why checkout sent the shopper back', async () => {
    const client = new CartClient();
    await client.add(DEMO.products.mug, 1);
    const html = await (
      await client.fetch('/cart?checkout=changed', { headers: { accept: 'text/html' } })
    ).text();
    expect(html).toContain('Something in your cart changed');
  });
});
