// Server-side pricing and the "can sell" rule: what a cart costs never comes from the browser.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { CartLine, CartState } from '../../src/cart/types';
import { productAvailability, storeCanSell } from '../../src/catalog/availability';
import { priceCart } from '../../src/cart/pricing';
import {
  getProductBySlugs,
  getProductsByIds,
  getStoreBySlug,
  listFeaturedProducts,
} from '../../src/catalog/queries';
import { getDb } from '../../src/db/client';
import { storeConfig } from '../../src/lib/config';
import { createCatalog, createProduct, createStore, updateStore } from '../helpers/catalog';

const config = storeConfig(env);

function cart(lines: Partial<CartLine>[]): CartState {
  return {
    id: 'cart_test',
    version: 4,
    updatedAt: 1,
    lines: lines.map((l) => ({ productId: 'x', qty: 1, note: '', seenUnitAmount: 0, addedAt: 1, ...l })),
  };
}

describe('storeCanSell', () => {
  it('needs charges, payouts and no deauthorization', () => {
    const open = { chargesEnabled: true, payoutsEnabled: true, deauthorizedAt: null };
    expect(storeCanSell(open)).toBe(true);
    expect(storeCanSell({ ...open, chargesEnabled: false })).toBe(false);
    expect(storeCanSell({ ...open, payoutsEnabled: false })).toBe(false);
    expect(storeCanSell({ ...open, deauthorizedAt: 1_700_000_000 })).toBe(false);
  });
});

describe('productAvailability', () => {
  const store = { chargesEnabled: true, payoutsEnabled: true, deauthorizedAt: null };
  const product = { name: 'Mug', active: true, stock: null, currency: 'usd', recurringInterval: null };
  it('caps a line at the stock and at 99', () => {
    expect(productAvailability(product, store, 'usd')).toEqual({ available: true, maxQty: 99 });
    expect(productAvailability({ ...product, stock: 4 }, store, 'usd')).toEqual({
      available: true,
      maxQty: 4,
    });
  });
  it('says why a product cannot be bought', () => {
    expect(productAvailability(null, store, 'usd').reason).toMatch(/no longer exists/);
    expect(productAvailability({ ...product, active: false }, store, 'usd').reason).toMatch(/no longer sold/);
    expect(productAvailability({ ...product, stock: 0 }, store, 'usd').reason).toMatch(/sold out/);
    expect(productAvailability(product, { ...store, payoutsEnabled: false }, 'usd').reason).toMatch(
      /taking orders/,
    );
    expect(productAvailability({ ...product, currency: 'eur' }, store, 'usd').reason).toMatch(/currency/);
    // A subscription is bought like any other product (checkout runs in subscription mode).
    expect(productAvailability({ ...product, recurringInterval: 'month' }, store, 'usd').available).toBe(
      true,
    );
  });
});

describe('priceCart', () => {
  it('prices each line from D1 and sums the available ones', async () => {
    const { products } = await createCatalog(2);
    const [a, b] = products as [(typeof products)[0], (typeof products)[0]];
    // seenUnitAmount is what the shopper saw; a tiny one never lowers the price.
    const view = await priceCart(
      getDb(env),
      cart([
        { productId: a.id, qty: 3, seenUnitAmount: 1000, note: 'n' },
        { productId: b.id, qty: 1, seenUnitAmount: 1 },
      ]),
      config,
    );
    expect(view.items).toEqual({ [a.id]: { price: 1000, qty: 3 }, [b.id]: { price: 2000, qty: 1 } });
    expect(view.subtotal).toBe(5000);
    expect(view.count).toBe(4);
    expect(view.version).toBe(4);
    expect(view.lines[0]).toMatchObject({
      amount: 3000,
      note: 'n',
      available: true,
      storeName: a.name.split(' item')[0],
    });
    expect(view.lines[1]!.previousUnitAmount).toBe(1);
  });

  it('keeps a line whose product is gone, unavailable and out of the subtotal', async () => {
    const view = await priceCart(
      getDb(env),
      cart([{ productId: 'prod_never_was', qty: 2, seenUnitAmount: 700 }]),
      config,
    );
    expect(view.lines[0]).toMatchObject({ available: false, amount: 1400, href: '' });
    expect(view.subtotal).toBe(0);
    expect(view.notices[0]).toMatch(/no longer exists/);
  });

  it('marks every line of a store that stopped selling', async () => {
    const { store, products } = await createCatalog(2);
    await updateStore(store.id, { deauthorizedAt: 1_700_000_000 });
    const view = await priceCart(
      getDb(env),
      cart(products.map((p) => ({ productId: p.id, qty: 1, seenUnitAmount: p.unitAmount }))),
      config,
    );
    expect(view.lines.map((l) => l.available)).toEqual([false, false]);
    expect(view.subtotal).toBe(0);
  });

  it('an empty cart needs no query and costs nothing', async () => {
    const view = await priceCart(getDb(env), cart([]), config);
    expect(view).toMatchObject({ items: {}, lines: [], subtotal: 0, count: 0, notices: [] });
  });
});

describe('catalog queries', () => {
  it('find products and stores by id and by slug', async () => {
    const store = await createStore({ slug: 'query-studio', name: 'Query Studio' });
    const p = await createProduct(store.id, { slug: 'query-cup', name: 'Query Cup' });
    const hidden = await createProduct(store.id, { slug: 'hidden-cup', active: false });
    expect((await getStoreBySlug(getDb(env), 'query-studio'))?.name).toBe('Query Studio');
    expect((await getProductBySlugs(getDb(env), 'query-studio', 'query-cup'))?.product.id).toBe(p.id);
    expect(await getProductBySlugs(getDb(env), 'query-studio', 'hidden-cup')).toBeNull();
    const byId = await getProductsByIds(getDb(env), [p.id, hidden.id, 'prod_nope']);
    expect([...byId.keys()].sort()).toEqual([p.id, hidden.id].sort());
  });

  it('the featured list holds only products of stores that can sell', async () => {
    const closed = await createStore({ chargesEnabled: true, payoutsEnabled: false });
    const hidden = await createProduct(closed.id, { featured: true });
    const open = await createStore();
    const shown = await createProduct(open.id, { featured: true });
    const ids = (await listFeaturedProducts(getDb(env), 50)).map((r) => r.product.id);
    expect(ids).toContain(shown.id);
    expect(ids).not.toContain(hidden.id);
  });
});
