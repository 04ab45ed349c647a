// Two tabs of one browser (same cookie) changing the cart at the same time: no change is lost.
import { beforeAll, describe, expect, it } from 'vitest';
import { createProduct, createStore } from '../helpers/catalog';
import { CartClient } from './client';

let addIds: string[] = [];
let setIds: string[] = [];

beforeAll(async () => {
  const store = await createStore();
  const ids: string[] = [];
  for (let i = 0; i < 54; i++) ids.push((await createProduct(store.id, { unitAmount: 100 + i })).id);
  addIds = ids.slice(0, 4);
  setIds = ids.slice(4);
});

describe('two tabs, 200 interleaved changes sent at once', () => {
  it('the final cart equals the sum of the intended changes', async () => {
    const first = new CartClient();
    await first.cart(); // the first visit sets the cookie
    const second = first.tab();
    expect(second.cookie).toBe(first.cookie);

    // The 50 lines the quantity changes will set must exist first (qty 1 each).
    const start = await (
      await first.replace(Object.fromEntries(setIds.map((id) => [id, { qty: 1 }])), 0)
    ).json<{ version: number }>();

    // 150 adds of +1 spread over 4 lines and 50 quantity changes (each line set once, to 2..51 % 90),
    // alternating between the tabs, all in flight together.
    const intended: Record<string, number> = Object.fromEntries([
      ...addIds.map((id) => [id, 0] as const),
      ...setIds.map((id) => [id, 1] as const),
    ]);
    const requests: Promise<Response>[] = [];
    let adds = 0;
    let sets = 0;
    for (let i = 0; i < 200; i++) {
      const tab = i % 2 === 0 ? first : second;
      if (i % 4 === 1) {
        const id = setIds[sets]!;
        const qty = 2 + (sets % 90);
        intended[id] = qty;
        sets++;
        requests.push(tab.patch(id, { qty }));
      } else {
        const id = addIds[adds % addIds.length]!;
        intended[id]! += 1;
        adds++;
        requests.push(tab.add(id, 1));
      }
    }
    const statuses = (await Promise.all(requests)).map((r) => r.status);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(adds).toBe(150);
    expect(sets).toBe(50);

    const end = await second.cart();
    const actual = Object.fromEntries(Object.entries(end.items).map(([id, item]) => [id, item.qty]));
    expect(actual).toEqual(intended);
    // Every one of the 200 requests was a real change, and each bumped the version once.
    expect(end.version).toBe(start.version + 200);
    const subtotal = Object.entries(intended).reduce((sum, [id, qty]) => sum + qty * end.items[id]!.price, 0);
    expect(end.subtotal).toBe(subtotal);
  });

  it('a whole-cart replacement racing with adds never overwrites them: it wins only at its version', async () => {
    const tabA = new CartClient();
    await tabA.cart();
    const tabB = tabA.tab();
    const [x, y] = addIds as [string, string];
    const base = await (await tabA.add(x, 1)).json<{ version: number }>();

    // Tab B replaces from the version it read while tab A adds 20 times.
    const results = await Promise.all([
      tabB.replace({ [y]: { qty: 5 } }, base.version),
      ...Array.from({ length: 20 }, () => tabA.add(x, 1)),
    ]);
    const replaced = results[0];
    const end = await tabA.cart();
    if (replaced.status === 200) {
      // The replacement ran first: every add came after it.
      expect(end.items).toEqual({
        [x]: { price: end.items[x]!.price, qty: 20 },
        [y]: { price: end.items[y]!.price, qty: 5 },
      });
    } else {
      // It was stale: 409 and every add kept.
      expect(replaced.status).toBe(409);
      expect(end.items[x]!.qty).toBe(21);
      expect(end.items[y]).toBeUndefined();
    }
    expect(end.version).toBe(base.version + 21 - (replaced.status === 200 ? 0 : 1));
  });
});
