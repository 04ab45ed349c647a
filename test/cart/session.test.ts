// The cart cookie: a tampered or foreign cookie starts a new cart and never touches the old one.
import { SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CartView } from '../../src/cart/types';
import { DEMO, seedDemoCatalog } from '../helpers/catalog';
import { CartClient, ORIGIN } from './client';

beforeAll(async () => {
  await seedDemoCatalog();
});

describe('cart cookie', () => {
  it('a tampered cookie gets a new, empty cart; the old cart is untouched', async () => {
    const owner = new CartClient();
    await owner.add(DEMO.products.mug, 2, 'keep me');
    const before = await owner.cart();

    // Someone edits the cookie: swaps one character of the id, keeping the signature.
    const [name, value] = owner.cookie!.split('=') as [string, string];
    const decoded = decodeURIComponent(value);
    const forgedId = decoded.replace(/^cart_(.)/, (_m, ch: string) => `cart_${ch === 'a' ? 'b' : 'a'}`);
    const attacker = new CartClient(`${name}=${encodeURIComponent(forgedId)}`);
    const res = await attacker.fetch('/cart', { headers: { accept: 'application/json' } });
    expect(res.status).toBe(200);
    const fresh = await res.json<CartView>();
    expect(fresh.id).not.toBe(before.id);
    expect(fresh.lines).toEqual([]);
    expect(attacker.cookie).not.toContain(encodeURIComponent(forgedId));

    // The attacker's changes land in their own new cart.
    await attacker.add(DEMO.products.notebook, 1);
    expect((await owner.cart()).items).toEqual(before.items);
    expect((await owner.cart()).version).toBe(before.version);
  });

  it('garbage and unsigned cookies start a new cart, never an error', async () => {
    for (const cookie of ['cart=garbage', 'cart=cart_aaaaaaaaaaaaaaaaaaaaaaaa', 'cart=%E0%A4%A', 'cart=']) {
      const res = await SELF.fetch(`${ORIGIN}/cart`, { headers: { cookie, accept: 'application/json' } });
      expect(res.status).toBe(200);
      expect((await res.json<CartView>()).lines).toEqual([]);
      expect(res.headers.getSetCookie().some((c) => c.startsWith('cart='))).toBe(true);
    }
  });

  it('a valid cookie is not re-issued', async () => {
    const client = new CartClient();
    await client.cart();
    const res = await client.fetch('/cart', { headers: { accept: 'application/json' } });
    expect(res.headers.getSetCookie()).toEqual([]);
  });
});
