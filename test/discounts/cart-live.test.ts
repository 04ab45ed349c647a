// A code in the cart as a shopper meets it: live tabs are told when it is entered or removed, the cart
// page shows it (form, amount, funder), and the Payment Element path charges the discounted total.
import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { CartSocketMessage } from '../../src/cart/types';
import { seedCatalog } from '../helpers/checkout-fixtures';
import { shopper } from '../helpers/checkout-flow';
import { applyCode, createCode, freshCode } from '../helpers/discount-fixtures';

const ORIGIN = 'http://localhost';

async function openLive(cookie: string) {
  const res = await SELF.fetch(`${ORIGIN}/cart/live`, {
    headers: { upgrade: 'websocket', origin: ORIGIN, cookie },
  });
  expect(res.status).toBe(101);
  const ws = res.webSocket!;
  const messages: CartSocketMessage[] = [];
  const waiters: (() => void)[] = [];
  ws.accept();
  ws.addEventListener('message', (event) => {
    if (typeof event.data === 'string' && event.data !== 'pong') {
      messages.push(JSON.parse(event.data) as CartSocketMessage);
      for (const wake of waiters.splice(0)) wake();
    }
  });
  async function next(predicate: (m: CartSocketMessage) => boolean): Promise<CartSocketMessage> {
    for (;;) {
      const found = messages.find(predicate);
      if (found) return found;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  }
  return { ws, next };
}

describe('a code in the cart', () => {
  it('reaches open tabs when entered and removed, like any change', async () => {
    const shop = await seedCatalog([{ unitAmount: 1200 }]);
    const code = freshCode('LIVE');
    await createCode({ code, percentOff: 10, fundedBy: 'platform' });
    const s = await shopper();
    await s.add(shop.products[0]!, 1);
    const live = await openLive(s.cookie);
    const first = await live.next(() => true);
    expect(first.cart.discountCode).toBeUndefined();
    expect((await applyCode(s, code)).status).toBe(200);
    const entered = await live.next((m) => m.cart.discountCode === code.toLowerCase());
    expect(entered.cart.version).toBe(first.cart.version + 1);
    // Entering the same code again changes nothing.
    expect((await applyCode(s, code)).status).toBe(200);
    const removed = await s.fetch('/cart/discount', { method: 'DELETE', headers: { origin: ORIGIN } });
    expect(removed.status).toBe(200);
    const gone = await live.next((m) => m.cart.version === entered.cart.version + 1);
    expect(gone.cart.discountCode).toBeUndefined();
    live.ws.close();
  });

  it('the cart page shows the form, the discount and who funds it; the form applies and removes a code', async () => {
    const shop = await seedCatalog([{ unitAmount: 2000 }]);
    const code = freshCode('PAGE');
    await createCode({ code, amountOff: 250, fundedBy: 'vendor', storeId: shop.storeId });
    const s = await shopper();
    await s.add(shop.products[0]!, 1);
    const form = (path: string, body: string) =>
      s.fetch(path, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', origin: ORIGIN },
        body,
      });
    const blank = await (await s.fetch('/cart', { headers: { accept: 'text/html' } })).text();
    expect(blank).toContain('action="/cart/discount"');
    const applied = await form('/cart/discount', `code=${encodeURIComponent(` ${code.toLowerCase()} `)}`);
    expect(applied.status).toBe(303);
    expect(applied.headers.get('location')).toBe('/cart');
    const page = await (await s.fetch('/cart', { headers: { accept: 'text/html' } })).text();
    expect(page).toContain('−$2.50');
    expect(page).toContain('funded by the seller');
    expect(page).toContain('$17.50');
    const removed = await form('/cart/discount/remove', '');
    expect(removed.status).toBe(303);
    const after = await (await s.fetch('/cart', { headers: { accept: 'text/html' } })).text();
    expect(after).not.toContain('funded by the seller');
  });

  it('the Payment Element path charges the discounted total', async () => {
    const shop = await seedCatalog([{ unitAmount: 999 }]);
    const code = freshCode('PI');
    await createCode({ code, percentOff: 20, fundedBy: 'vendor', storeId: shop.storeId });
    const s = await shopper();
    await s.add(shop.products[0]!, 3);
    expect((await applyCode(s, code)).status).toBe(200);
    const res = await s.fetch('/create-payment-intent', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({}),
    });
    expect(res.status).toBe(200);
    // 2997 − 599 (20%, rounded half up) + 500 shipping.
    expect((await res.json<{ amount: number }>()).amount).toBe(2997 - 599 + 500);
  });
});
