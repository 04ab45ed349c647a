// The cart API through SELF.fetch: every operation, and the error table with the cart unchanged each time.
import { beforeAll, describe, expect, it } from 'vitest';
import type { CartView } from '../../src/cart/types';
import {
  createCatalog,
  createProduct,
  createStore,
  DEMO,
  seedDemoCatalog,
  updateProduct,
} from '../helpers/catalog';
import { CartClient, summary, type Problem } from './client';

beforeAll(async () => {
  await seedDemoCatalog();
});

/** A client whose cart holds 2 mugs (with a note) and 1 notebook. */
async function filledCart() {
  const client = new CartClient();
  expect((await client.add(DEMO.products.mug, 2, 'Gift wrap please')).status).toBe(200);
  expect((await client.add(DEMO.products.notebook, 1)).status).toBe(200);
  return { client, before: summary(await client.cart()) };
}

describe('cart operations', () => {
  it('GET /cart gives a new visitor an empty cart and a signed, HttpOnly, Lax cookie', async () => {
    const client = new CartClient();
    const res = await client.fetch('/cart', { headers: { accept: 'application/json' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('cart='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Max-Age=31536000/);
    expect(cookie).not.toMatch(/Secure/); // localhost over http
    const view = await res.json<CartView>();
    expect(view).toMatchObject({ version: 0, items: {}, lines: [], subtotal: 0, count: 0, currency: 'usd' });
    expect(view.id).toMatch(/^cart_/);
  });

  it('the cookie is Secure off localhost', async () => {
    const { SELF } = await import('cloudflare:test');
    const res = await SELF.fetch('https://shop.example/cart', { headers: { accept: 'application/json' } });
    expect(res.headers.getSetCookie().find((c) => c.startsWith('cart='))).toMatch(/Secure/);
  });

  it('POST /cart/items adds a line priced from D1, and adding again grows it', async () => {
    const client = new CartClient();
    let res = await client.add(DEMO.products.mug, 2, 'Blue one if you have it');
    expect(res.status).toBe(200);
    let view = await res.json<CartView>();
    expect(view.version).toBe(1);
    expect(view.items).toEqual({ [DEMO.products.mug]: { price: 2800, qty: 2 } });
    expect(view.lines[0]).toMatchObject({
      name: 'Speckled Stoneware Mug',
      storeName: 'Tidewater Ceramics',
      note: 'Blue one if you have it',
      amount: 5600,
      available: true,
    });
    expect(view.subtotal).toBe(5600);
    expect(view.count).toBe(2);

    res = await client.add(DEMO.products.mug, 1);
    view = await res.json<CartView>();
    expect(view.items[DEMO.products.mug]).toEqual({ price: 2800, qty: 3 });
    expect(view.lines[0]!.note).toBe('Blue one if you have it');
    expect(view.subtotal).toBe(8400);
    expect((await client.cart()).version).toBe(2);
  });

  it('PATCH /cart/items/:id sets the quantity, the note, and 0 removes the line', async () => {
    const { client } = await filledCart();
    let view = await (await client.patch(DEMO.products.mug, { qty: 5 })).json<CartView>();
    expect(view.items[DEMO.products.mug]!.qty).toBe(5);
    expect(view.subtotal).toBe(5 * 2800 + 1600);

    view = await (await client.patch(DEMO.products.mug, { note: 'No rush' })).json<CartView>();
    expect(view.lines.find((l) => l.productId === DEMO.products.mug)!.note).toBe('No rush');
    expect(view.items[DEMO.products.mug]!.qty).toBe(5);

    view = await (await client.patch(DEMO.products.mug, { qty: 0 })).json<CartView>();
    expect(Object.keys(view.items)).toEqual([DEMO.products.notebook]);
    expect(view.subtotal).toBe(1600);
  });

  it('a PATCH that changes nothing keeps the version', async () => {
    const { client, before } = await filledCart();
    const view = await (await client.patch(DEMO.products.mug, { qty: 2 })).json<CartView>();
    expect(view.version).toBe(before.version);
  });

  it('DELETE /cart/items/:id removes one line; DELETE /cart empties the cart', async () => {
    const { client } = await filledCart();
    let res = await client.remove(DEMO.products.notebook);
    expect(res.status).toBe(200);
    let view = await res.json<CartView>();
    expect(Object.keys(view.items)).toEqual([DEMO.products.mug]);

    res = await client.json('DELETE', '/cart');
    expect(res.status).toBe(200);
    view = await res.json<CartView>();
    expect(view.items).toEqual({});
    expect(view.subtotal).toBe(0);
    expect((await client.cart()).lines).toEqual([]);
  });

  it('POST /cart replaces the cart with the If-Match version', async () => {
    const { client, before } = await filledCart();
    const res = await client.replace(
      { [DEMO.products.harborBlend]: { qty: 3 }, [DEMO.products.mug]: { qty: 1 } },
      before.version,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe(`"${before.version + 1}"`);
    const view = await res.json<CartView>();
    expect(view.items).toEqual({
      [DEMO.products.mug]: { price: 2800, qty: 1 },
      [DEMO.products.harborBlend]: { price: 1800, qty: 3 },
    });
    // A replacement without a note keeps the line's note.
    expect(view.lines.find((l) => l.productId === DEMO.products.mug)!.note).toBe('Gift wrap please');
    expect(view.subtotal).toBe(2800 + 3 * 1800);
  });

  it('If-Match may be quoted like an ETag', async () => {
    const { client, before } = await filledCart();
    const res = await client.replace({ [DEMO.products.mug]: { qty: 4 } }, `"${before.version}"`);
    expect(res.status).toBe(200);
    expect((await res.json<CartView>()).items).toEqual({ [DEMO.products.mug]: { price: 2800, qty: 4 } });
  });

  it('a stale If-Match gets 409 with the current cart, which is unchanged', async () => {
    const { client, before } = await filledCart();
    const res = await client.replace({ [DEMO.products.harborBlend]: { qty: 1 } }, before.version - 1);
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = await res.json<Problem>();
    expect(summary(problem.cart!)).toEqual(before);
    expect(summary(await client.cart())).toEqual(before);
  });

  it('POST /cart without If-Match gets 409 with the current cart', async () => {
    const { client, before } = await filledCart();
    const res = await client.replace({ [DEMO.products.harborBlend]: { qty: 1 } });
    expect(res.status).toBe(409);
    expect(summary((await res.json<Problem>()).cart!)).toEqual(before);
    expect(summary(await client.cart())).toEqual(before);
  });

  it('a client price of 0.01 never changes a total', async () => {
    const client = new CartClient();
    const added = await client.json('POST', '/cart/items', {
      productId: DEMO.products.mug,
      qty: 1,
      price: 0.01,
      unitAmount: 1,
    });
    expect((await added.json<CartView>()).subtotal).toBe(2800);
    const version = (await client.cart()).version;
    const replaced = await client.replace(
      { [DEMO.products.mug]: { qty: 2, price: 0.01 }, [DEMO.products.notebook]: { qty: 1, price: 0.01 } },
      version,
    );
    const view = await replaced.json<CartView>();
    expect(view.items).toEqual({
      [DEMO.products.mug]: { price: 2800, qty: 2 },
      [DEMO.products.notebook]: { price: 1600, qty: 1 },
    });
    expect(view.subtotal).toBe(2 * 2800 + 1600);
  });

  it('reports a price change since a line was added, and prices the line at today’s price', async () => {
    const { products } = await createCatalog(1);
    const client = new CartClient();
    await client.add(products[0]!.id, 2);
    await updateProduct(products[0]!.id, { unitAmount: 1250 });
    const view = await client.cart();
    expect(view.lines[0]).toMatchObject({ unitAmount: 1250, previousUnitAmount: 1000, amount: 2500 });
    expect(view.subtotal).toBe(2500);
    expect(view.notices.join(' ')).toContain('changed from $10.00 to $12.50');
  });
});

describe('bad input: a 4xx problem that says what is wrong, and the cart unchanged', () => {
  async function expectProblem(res: Response, status: number, detail: RegExp) {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = await res.json<Problem>();
    expect(problem.status).toBe(status);
    expect(problem.detail).toMatch(detail);
    return problem;
  }

  it('unknown product → 422', async () => {
    const { client, before } = await filledCart();
    await expectProblem(await client.add('prod_does_not_exist', 1), 422, /no such product/i);
    expect(summary(await client.cart())).toEqual(before);
  });

  it('inactive product → 422', async () => {
    const store = await createStore();
    const retired = await createProduct(store.id, { active: false, name: 'Retired Teapot' });
    const { client, before } = await filledCart();
    await expectProblem(await client.add(retired.id, 1), 422, /Retired Teapot is no longer sold/);
    expect(summary(await client.cart())).toEqual(before);
  });

  it('sold-out product, a store that cannot sell, more than the stock → 422', async () => {
    const closed = await createStore({ payoutsEnabled: false });
    const closedProduct = await createProduct(closed.id, { name: 'Closed Shop Candle' });
    const { client, before } = await filledCart();
    await expectProblem(await client.add(DEMO.products.wallCalendar, 1), 422, /sold out/);
    await expectProblem(await client.add(closedProduct.id, 1), 422, /isn't taking orders/);
    await expectProblem(await client.add(DEMO.products.rippleBowl, 4), 422, /Only 3/);
    expect(summary(await client.cart())).toEqual(before);
  });

  it.each([
    ['100', 100],
    ['-1', -1],
    ['1.5', 1.5],
    ['"2" (a string)', '2'],
  ])('quantity %s → 422 on add, patch and replace', async (_label, qty) => {
    const { client, before } = await filledCart();
    const added = await expectProblem(
      await client.json('POST', '/cart/items', { productId: DEMO.products.notebook, qty }),
      422,
      /qty|number/i,
    );
    expect(added.errors?.[0]?.path).toMatch(/qty/);
    await expectProblem(
      await client.json('PATCH', `/cart/items/${DEMO.products.mug}`, { qty }),
      422,
      /qty|number/i,
    );
    await expectProblem(
      await client.replace({ [DEMO.products.mug]: { qty } }, before.version),
      422,
      /qty|number/i,
    );
    expect(summary(await client.cart())).toEqual(before);
  });

  it('adding past 99 in one line → 422', async () => {
    const { client, before } = await filledCart();
    await expectProblem(await client.add(DEMO.products.mug, 98), 422, /at most 99/);
    expect(summary(await client.cart())).toEqual(before);
  });

  it('a note over 500 characters → 422', async () => {
    const { client, before } = await filledCart();
    const note = 'x'.repeat(501);
    await expectProblem(await client.add(DEMO.products.notebook, 1, note), 422, /500 characters/);
    await expectProblem(await client.patch(DEMO.products.mug, { note }), 422, /500 characters/);
    expect(summary(await client.cart())).toEqual(before);
    // 500 exactly is fine.
    const ok = await client.patch(DEMO.products.mug, { note: 'y'.repeat(500) });
    expect(ok.status).toBe(200);
  });

  it('malformed JSON → 400', async () => {
    const { client, before } = await filledCart();
    const res = await client.fetch('/cart/items', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: '{"productId": "prod_demo_stoneware_mug", "qty": ',
    });
    await expectProblem(res, 400, /not valid JSON/);
    expect(summary(await client.cart())).toEqual(before);
  });

  it('a body over 16 KiB → 413', async () => {
    const { client, before } = await filledCart();
    const body = JSON.stringify({ productId: DEMO.products.mug, qty: 1, note: 'z'.repeat(17 * 1024) });
    const res = await client.fetch('/cart/items', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body,
    });
    await expectProblem(res, 413, /over 16384 bytes/);
    expect(summary(await client.cart())).toEqual(before);
  });

  it('a wrong content type → 415', async () => {
    const { client, before } = await filledCart();
    const res = await client.fetch('/cart/items', {
      method: 'POST',
      headers: { 'content-type': 'application/xml', accept: 'application/json' },
      body: '<item id="prod_demo_stoneware_mug"/>',
    });
    await expectProblem(res, 415, /application\/json/);
    const patch = await client.fetch(`/cart/items/${DEMO.products.mug}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/xml', accept: 'application/json' },
      body: '<qty>3</qty>',
    });
    await expectProblem(patch, 415, /application\/json/);
    expect(summary(await client.cart())).toEqual(before);
  });

  it('a 101st distinct line → 422 (Stripe Checkout takes at most 100 line items)', async () => {
    const store = await createStore();
    const ids: string[] = [];
    for (let i = 0; i < 101; i++) ids.push((await createProduct(store.id, { unitAmount: 100 })).id);
    const client = new CartClient();
    const full = Object.fromEntries(ids.slice(0, 100).map((id) => [id, { qty: 1 }]));
    expect((await client.replace(full, 0)).status).toBe(200);
    const before = summary(await client.cart());
    expect(Object.keys(before.items)).toHaveLength(100);

    await expectProblem(await client.add(ids[100]!, 1), 422, /at most 100/);
    const tooMany = Object.fromEntries(ids.map((id) => [id, { qty: 1 }]));
    await expectProblem(await client.replace(tooMany, before.version), 422, /at most 100/);
    expect(summary(await client.cart())).toEqual(before);
    // Growing a line that is already there is still fine.
    expect((await client.add(ids[0]!, 1)).status).toBe(200);
  });

  it('PATCH of a product not in the cart → 404; DELETE of one changes nothing', async () => {
    const { client, before } = await filledCart();
    await expectProblem(await client.patch(DEMO.products.harborBlend, { qty: 2 }), 404, /not in your cart/);
    const res = await client.remove(DEMO.products.harborBlend);
    expect(res.status).toBe(200);
    expect(summary(await res.json<CartView>())).toEqual(before);
  });

  it('a PATCH with neither qty nor note → 422', async () => {
    const { client, before } = await filledCart();
    await expectProblem(await client.patch(DEMO.products.mug, {}), 422, /qty, note or both/);
    expect(summary(await client.cart())).toEqual(before);
  });

  it('a cross-site form post → 403', async () => {
    const { client, before } = await filledCart();
    const res = await client.fetch('/cart/items', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        origin: 'https://evil.example',
        'sec-fetch-site': 'cross-site',
      },
      body: new URLSearchParams({ productId: DEMO.products.harborBlend, qty: '5' }).toString(),
    });
    expect(res.status).toBe(403);
    const clear = await client.form('/cart/clear', {}, 'https://evil.example');
    expect(clear.status).toBe(403);
    expect(summary(await client.cart())).toEqual(before);
  });
});
