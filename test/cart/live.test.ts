// Live tabs: a WebSocket on /cart/live receives the new cart after another client's change.
import { SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CartSocketMessage } from '../../src/cart/types';
import { DEMO, seedDemoCatalog } from '../helpers/catalog';
import { CartClient, ORIGIN } from './client';

beforeAll(async () => {
  await seedDemoCatalog();
});

/** Opens /cart/live for `cookie`; collects the messages it receives. */
async function openLive(cookie: string | null) {
  const res = await SELF.fetch(`${ORIGIN}/cart/live`, {
    // A browser sends its page's Origin with every WebSocket handshake.
    headers: { upgrade: 'websocket', origin: ORIGIN, ...(cookie ? { cookie } : {}) },
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
  /** Resolves with the first message matching `predicate` (already received or still to come). */
  async function next(predicate: (m: CartSocketMessage) => boolean): Promise<CartSocketMessage> {
    for (;;) {
      const found = messages.find(predicate);
      if (found) return found;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  }
  return { res, ws, messages, next };
}

describe('GET /cart/live', () => {
  it('pushes the new cart to an open tab after another tab changes it', async () => {
    const shopper = new CartClient();
    await shopper.add(DEMO.products.mug, 1);
    const live = await openLive(shopper.cookie);

    // The socket starts with the current cart.
    const first = await live.next(() => true);
    expect(first.type).toBe('cart');
    expect(first.cart.version).toBe(1);

    // Another tab (same cookie) adds a notebook.
    const otherTab = shopper.tab();
    expect((await otherTab.add(DEMO.products.notebook, 3, 'for my sister')).status).toBe(200);
    const pushed = await live.next((m) => m.cart.version === 2);
    expect(pushed.cart.lines.map((l) => [l.productId, l.qty, l.note])).toEqual([
      [DEMO.products.mug, 1, ''],
      [DEMO.products.notebook, 3, 'for my sister'],
    ]);

    // And a removal from the first tab.
    await shopper.remove(DEMO.products.mug);
    const removed = await live.next((m) => m.cart.version === 3);
    expect(removed.cart.lines.map((l) => l.productId)).toEqual([DEMO.products.notebook]);
    live.ws.close(1000, 'done');
  });

  it('every open tab gets the push; another visitor’s tab gets nothing', async () => {
    const shopper = new CartClient();
    await shopper.cart();
    const stranger = new CartClient();
    await stranger.cart();
    const tab1 = await openLive(shopper.cookie);
    const tab2 = await openLive(shopper.cookie);
    const strangerTab = await openLive(stranger.cookie);
    await tab1.next(() => true);
    await tab2.next(() => true);
    await strangerTab.next(() => true);

    await shopper.add(DEMO.products.harborBlend, 2);
    expect((await tab1.next((m) => m.cart.version === 1)).cart.lines[0]!.qty).toBe(2);
    expect((await tab2.next((m) => m.cart.version === 1)).cart.lines[0]!.qty).toBe(2);
    // The stranger's socket was opened before the add and answered first; ask it for its state now.
    strangerTab.ws.send('state');
    await strangerTab.next(() => strangerTab.messages.length >= 2);
    expect(strangerTab.messages.every((m) => m.cart.version === 0)).toBe(true);
    for (const t of [tab1, tab2, strangerTab]) t.ws.close(1000);
  });

  it('a first visit over the socket gets a cart cookie with the upgrade', async () => {
    const live = await openLive(null);
    const cookie = live.res.headers.getSetCookie().find((c) => c.startsWith('cart='));
    expect(cookie).toMatch(/HttpOnly/i);
    expect((await live.next(() => true)).cart.version).toBe(0);
    live.ws.close(1000);
  });

  it('answers a plain GET with 426', async () => {
    const res = await SELF.fetch(`${ORIGIN}/cart/live`, { headers: { accept: 'application/json' } });
    expect(res.status).toBe(426);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });
});
