// The house-monotone split of lib/money (`apportion`): exact sums, never past a weight, every weight in
// full at the full total, close to the exact share, and never less for any part when the total grows.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate, apportion } from '../../src/lib/money';

/** The definition, by brute force: rank every unit (part i's k-th by w_i / (k − ½), ties to the earlier part), take the first `total`. */
function byRanking(total: number, weights: number[]): number[] {
  const units: { i: number; k: number }[] = [];
  weights.forEach((w, i) => {
    for (let k = 1; k <= w; k++) units.push({ i, k });
  });
  units.sort((a, b) => {
    const x = weights[a.i]! * (2 * b.k - 1);
    const y = weights[b.i]! * (2 * a.k - 1);
    return x === y ? a.i - b.i : y - x;
  });
  const parts = weights.map(() => 0);
  for (const u of units.slice(0, total)) parts[u.i]! += 1;
  return parts;
}

const weights = fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 1, maxLength: 6 });

describe('apportion', () => {
  it('is the ranking of units, adds up, and gives every weight in full at the full total', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 5 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (w, f) => {
          const full = w.reduce((a, b) => a + b, 0);
          const total = Math.floor(full * f);
          const parts = apportion(total, w);
          expect(parts).toEqual(byRanking(total, w));
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
          expect(apportion(full, w)).toEqual(w);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never gives a part less when the total grows, and stays within two units of the exact share', () => {
    fc.assert(
      fc.property(weights, fc.nat(), fc.nat(), (w, a, b) => {
        const full = w.reduce((x, y) => x + y, 0);
        const [lo, hi] = [a % (full + 1), b % (full + 1)].sort((x, y) => x - y) as [number, number];
        const small = apportion(lo, w);
        const large = apportion(hi, w);
        large.forEach((p, i) => {
          expect(p).toBeGreaterThanOrEqual(small[i]!);
          expect(p).toBeLessThanOrEqual(w[i]!);
          if (full > 0) expect(Math.abs(p - (hi * w[i]!) / full)).toBeLessThan(2);
        });
      }),
      { numRuns: 1_000 },
    );
  });

  it('is needed: largest remainder can give a part less for a larger total', () => {
    // The Alabama paradox: 10 → 11 units over these weights takes one from the first part.
    const w = [6, 6, 2];
    const grew = [...Array(13).keys()].some((t) => allocate(t + 1, w).some((p, i) => p < allocate(t, w)[i]!));
    expect(grew).toBe(true);
  });

  it('refuses more than the weights hold', () => {
    expect(() => apportion(11, [5, 5])).toThrow(RangeError);
  });
});
