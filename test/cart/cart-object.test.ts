// The CartObject through RPC: versions, purchase clean-up, validation results, the inactivity alarm.
import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { CartObject } from '../../src/cart/cart-object';
import type { CartResult, CartState } from '../../src/cart/types';
import { newId } from '../../src/lib/ids';

function freshCart() {
  const id = newId('cart');
  return { id, stub: env.CART.getByName(id) };
}

function ok(result: CartResult): CartState {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.cart;
}

describe('CartObject', () => {
  it('starts empty at version 0 and stores nothing until written', async () => {
    const { id, stub } = freshCart();
    expect(await stub.getState()).toEqual({ id, version: 0, lines: [], updatedAt: 0 });
    await runInDurableObject(stub, async (_obj: CartObject, state) => {
      const tables = state.storage.sql
        .exec(`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'cart_%'`)
        .toArray();
      expect(tables).toEqual([]);
    });
  });

  it('bumps the version only on a real change', async () => {
    const { stub } = freshCart();
    let state = ok(await stub.addItem('prod_a', 1, '', 500));
    expect(state.version).toBe(1);
    state = ok(await stub.setItem('prod_a', { qty: 1 }));
    expect(state.version).toBe(1);
    state = ok(await stub.setItem('prod_a', { note: '  ' }));
    expect(state.version).toBe(1); // notes are trimmed: still empty
    state = ok(await stub.removeItem('prod_missing'));
    expect(state.version).toBe(1);
    state = ok(await stub.replace({ prod_a: { qty: 1 } }, 1, {}));
    expect(state.version).toBe(1);
    state = ok(await stub.setItem('prod_a', { qty: 3, note: 'hello' }));
    expect(state.version).toBe(2);
    expect((await stub.clear()).version).toBe(3);
    expect((await stub.clear()).version).toBe(3);
  });

  it('refuses bad input with a result naming the field, cart unchanged', async () => {
    const { stub } = freshCart();
    ok(await stub.addItem('prod_a', 2, '', 500));
    const bad = await stub.addItem('prod_b', 0, '', 500);
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_qty', field: 'qty' } });
    const limited = await stub.addItem('prod_b', 4, '', 500, { maxQty: 3, reason: 'Only 3 left.' });
    expect(limited).toMatchObject({ ok: false, error: { code: 'unavailable', message: 'Only 3 left.' } });
    const stale = await stub.replace({ prod_b: { qty: 1 } }, 0, { prod_b: 700 });
    expect(stale).toMatchObject({ ok: false, error: { code: 'stale_version' } });
    if (!stale.ok) expect(stale.error.cart.version).toBe(1);
    expect((await stub.getState()).lines.map((l) => [l.productId, l.qty])).toEqual([['prod_a', 2]]);
  });

  it('a line that became unavailable can still be lowered or removed', async () => {
    const { stub } = freshCart();
    ok(await stub.addItem('prod_a', 5, '', 500));
    const gone = { maxQty: 0, reason: 'Sold out.' };
    expect(await stub.setItem('prod_a', { qty: 6 }, gone)).toMatchObject({ ok: false });
    expect(ok(await stub.setItem('prod_a', { qty: 2 }, gone)).lines[0]!.qty).toBe(2);
    expect(ok(await stub.setItem('prod_a', { qty: 0 }, gone)).lines).toEqual([]);
  });

  describe('clearAfterPurchase', () => {
    it('empties the cart when it is still at the paid version', async () => {
      const { stub } = freshCart();
      ok(await stub.addItem('prod_a', 2, '', 500));
      const paid = ok(await stub.addItem('prod_b', 1, '', 700));
      const after = await stub.clearAfterPurchase(paid.version, [
        { productId: 'prod_a', qty: 2 },
        { productId: 'prod_b', qty: 1 },
      ]);
      expect(after.lines).toEqual([]);
      expect(after.version).toBe(paid.version + 1);
    });

    it('takes out only what was bought when the cart changed after checkout, once', async () => {
      const { stub } = freshCart();
      ok(await stub.addItem('prod_a', 2, '', 500));
      const paid = ok(await stub.addItem('prod_b', 1, '', 700));
      // Another tab, after checkout began: one more A and a new C.
      ok(await stub.addItem('prod_a', 1, '', 500));
      ok(await stub.addItem('prod_c', 4, '', 900));
      const purchased = [
        { productId: 'prod_a', qty: 2 },
        { productId: 'prod_b', qty: 1 },
      ];
      const after = await stub.clearAfterPurchase(paid.version, purchased);
      expect(after.lines.map((l) => [l.productId, l.qty])).toEqual([
        ['prod_a', 1],
        ['prod_c', 4],
      ]);
      // The webhook arrives again: nothing more is taken out.
      const again = await stub.clearAfterPurchase(paid.version, purchased);
      expect(again).toEqual(after);
    });

    it('is idempotent when the cart was emptied', async () => {
      const { stub } = freshCart();
      const paid = ok(await stub.addItem('prod_a', 2, '', 500));
      const purchased = [{ productId: 'prod_a', qty: 2 }];
      const first = await stub.clearAfterPurchase(paid.version, purchased);
      ok(await stub.addItem('prod_a', 1, '', 500)); // the shopper starts a new cart
      const second = await stub.clearAfterPurchase(paid.version, purchased);
      expect(second.lines.map((l) => [l.productId, l.qty])).toEqual([['prod_a', 1]]);
      expect(second.version).toBe(first.version + 1);
    });
  });

  describe('inactivity alarm', () => {
    it('is armed CART_TTL_DAYS ahead by a change', async () => {
      const { stub } = freshCart();
      const before = Date.now();
      ok(await stub.addItem('prod_a', 1, '', 500));
      await runInDurableObject(stub, async (_obj: CartObject, state) => {
        const alarm = await state.storage.getAlarm();
        const days = Number(env.CART_TTL_DAYS || 365);
        expect(alarm).toBeGreaterThanOrEqual(before + days * 86_400_000);
      });
    });

    it('deletes a cart inactive for CART_TTL_DAYS', async () => {
      const { id, stub } = freshCart();
      ok(await stub.addItem('prod_a', 1, 'old', 500));
      await runInDurableObject(stub, async (obj: CartObject, state) => {
        // A year and a day ago, as far as the cart knows.
        const longAgo = Date.now() - 366 * 86_400_000;
        state.storage.sql.exec('UPDATE cart_meta SET touched_at = ?', longAgo);
        (obj as unknown as { cached: null; touchedAt: number }).cached = null;
        await state.storage.setAlarm(Date.now());
      });
      expect(await runDurableObjectAlarm(stub)).toBe(true);
      expect(await stub.getState()).toEqual({ id, version: 0, lines: [], updatedAt: 0 });
      await runInDurableObject(stub, async (_obj: CartObject, state) => {
        expect(
          state.storage.sql.exec(`SELECT name FROM sqlite_master WHERE type = 'table'`).toArray(),
        ).toEqual([]);
        expect(await state.storage.getAlarm()).toBeNull();
      });
    });

    it('keeps an active cart and re-arms for the new deadline', async () => {
      const { stub } = freshCart();
      ok(await stub.addItem('prod_a', 1, '', 500));
      await runInDurableObject(stub, async (_obj: CartObject, state) => {
        await state.storage.setAlarm(Date.now());
      });
      expect(await runDurableObjectAlarm(stub)).toBe(true);
      expect((await stub.getState()).lines).toHaveLength(1);
      await runInDurableObject(stub, async (_obj: CartObject, state) => {
        expect(await state.storage.getAlarm()).toBeGreaterThan(Date.now() + 300 * 86_400_000);
      });
    });
  });
});
