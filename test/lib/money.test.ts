// Money math: parts always add up to the whole, to the cent.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate, feeOf, formatMoney, splitByVendor, unrefundedPartOf } from '../../src/lib/money';

describe('money', () => {
  it('allocate splits a total into integer parts that add up exactly', () => {
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocate(1001, [2500, 4199, 3300])).toEqual([250, 420, 331]);
    for (const [total, weights] of [
      [1, [3, 3, 3]],
      [999_999, [1, 2, 3, 4, 5, 6, 7]],
      [0, [5, 5]],
      [7, [0, 0]],
    ] as const) {
      expect(allocate(total, weights).reduce((a, b) => a + b, 0)).toBe(total);
    }
  });

  it('splitByVendor pays each vendor its lines minus the fee; vendors plus the platform equal the goods', () => {
    const lines = [
      { storeId: 'a', amount: 4500 },
      { storeId: 'b', amount: 1999 },
      { storeId: 'a', amount: 333 },
      { storeId: 'c', amount: 1 },
    ];
    const shares = splitByVendor(lines, 1000);
    expect(shares.map((s) => s.storeId)).toEqual(['a', 'b', 'c']);
    expect(shares.find((s) => s.storeId === 'a')).toMatchObject({ gross: 4833, fee: 483, amount: 4350 });
    const goods = lines.reduce((a, l) => a + l.amount, 0);
    expect(shares.reduce((a, s) => a + s.amount + s.fee, 0)).toBe(goods);
  });

  it('fees round half up and refuse nonsense', () => {
    expect(feeOf(5, 1000)).toBe(1); // 0.5 → 1
    expect(feeOf(4, 1000)).toBe(0);
    expect(() => feeOf(1.5, 1000)).toThrow(RangeError);
    expect(() => feeOf(100, 10_001)).toThrow(RangeError);
  });

  it('formats minor units for people, zero-decimal currencies included', () => {
    expect(formatMoney(1250, 'usd')).toBe('$12.50');
    expect(formatMoney(1250, 'jpy')).toBe('¥1,250');
  });

  it('unrefundedPartOf: what shared refunds left of some lines, never more than the lines nor below 0', () => {
    expect(unrefundedPartOf(101, 702, 587)).toBe(17);
    expect(unrefundedPartOf(101, 702, 0)).toBe(101);
    expect(unrefundedPartOf(101, 702, 702)).toBe(0);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: 120_000 }),
        (collected, g, shared) => {
          const gross = Math.min(g, collected);
          const left = unrefundedPartOf(gross, collected, shared);
          expect(Number.isInteger(left)).toBe(true);
          expect(left).toBeGreaterThanOrEqual(0);
          expect(left).toBeLessThanOrEqual(gross);
          // With the rest of the order's share, exactly what the shared refunds did not give back.
          const rest = unrefundedPartOf(collected - gross, collected, shared);
          expect(left + rest).toBe(Math.max(0, collected - Math.min(shared, collected)));
        },
      ),
    );
  });
});
