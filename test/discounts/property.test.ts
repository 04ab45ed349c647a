// Property test of the money a discount moves: random carts across 3 vendors, random codes of every
// kind, scope and funder, random partial refunds. After each step, for each order: every amount is an
// integer, the discount's parts sum to it and never exceed their lines, collected = the platform's take
// + Σ transfers − Σ reversals, each vendor's transfer = its lines' list amounts − its own funded
// discount − its fee (a platform code never touches it), and transfers never exceed what was collected.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { priceDiscount, type DiscountRow } from '../../src/discounts/pricing';
import { feeOf, splitByVendor, sum, vendorsShareOfRefunds } from '../../src/lib/money';
import { planReversals } from '../../src/payouts/plan';

const STORES = ['store_a', 'store_b', 'store_c'] as const;
const FEE_BPS = 1000;
const SHIPPING = 500;

const lineArb = fc.record({
  storeId: fc.constantFrom(...STORES),
  unitAmount: fc.integer({ min: 0, max: 50_000 }),
  qty: fc.integer({ min: 1, max: 99 }),
});

const cartArb = fc
  .array(lineArb, { minLength: 1, maxLength: 12 })
  .map((ls) =>
    ls.map((l, i) => ({ productId: `prod_${i}`, storeId: l.storeId, amount: l.unitAmount * l.qty })),
  );

const codeArb = fc
  .record({
    kind: fc.constantFrom('percent', 'amount', 'shipping'),
    percentOff: fc.integer({ min: 1, max: 100 }),
    amountOff: fc.integer({ min: 1, max: 200_000 }),
    fundedBy: fc.constantFrom('platform', 'vendor'),
    scope: fc.constantFrom('cart', 'store', 'products'),
    storeId: fc.constantFrom(...STORES),
    products: fc.uniqueArray(fc.integer({ min: 0, max: 11 }), { maxLength: 6 }),
    minSubtotal: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 100_000 })),
    freeShipping: fc.boolean(),
  })
  .map((c): DiscountRow => {
    const vendor = c.fundedBy === 'vendor';
    return {
      id: 'disc_x',
      code: 'x',
      percentOff: c.kind === 'percent' ? c.percentOff : null,
      amountOff: c.kind === 'amount' ? c.amountOff : null,
      fundedBy: c.fundedBy,
      // A vendor code is always limited to its store.
      storeId: vendor || c.scope === 'store' ? c.storeId : null,
      productIds: c.scope === 'products' ? c.products.map((i) => `prod_${i}`) : null,
      minSubtotal: c.minSubtotal,
      freeShipping: c.kind === 'shipping' || (!vendor && c.freeShipping),
      startsAt: null,
      endsAt: null,
      maxRedemptions: null,
      redemptions: 0,
      oncePerCustomer: false,
      active: true,
      createdBy: 'admin',
      createdAt: 0,
      updatedAt: 0,
    };
  });

const int = (n: number) => Number.isSafeInteger(n);

describe('discount money, property', () => {
  it('balances to the cent for random carts, codes and partial refunds', () => {
    fc.assert(
      fc.property(
        cartArb,
        codeArb,
        fc.array(fc.integer({ min: 1, max: 10_000 }), { maxLength: 6 }),
        (lines, code, refundWeights) => {
          const outcome = priceDiscount(code, lines, {
            now: 1,
            feeBps: FEE_BPS,
            shippingAmount: SHIPPING,
            currency: 'usd',
          });
          const perLine = outcome.applies ? outcome.perLine : lines.map(() => 0);
          const shippingOff = outcome.applies ? outcome.shippingOff : 0;
          const funder = outcome.applies ? outcome.fundedBy : null;
          if (outcome.applies) {
            expect(sum(perLine)).toBe(outcome.amount);
            perLine.forEach((p, i) => {
              expect(int(p) && p >= 0 && p <= lines[i]!.amount).toBe(true);
              // Out of scope lines get nothing.
              if (code.storeId && lines[i]!.storeId !== code.storeId) expect(p).toBe(0);
            });
          }
          const paid = lines.map((l, i) => l.amount - perLine[i]!);
          const split = splitByVendor(
            lines.map((l, i) => ({
              storeId: l.storeId,
              amount: paid[i]!,
              platformDiscount: funder === 'platform' ? perLine[i]! : 0,
            })),
            FEE_BPS,
          );
          const shippingPaid = SHIPPING - shippingOff;
          const collected = sum(paid) + shippingPaid;
          if (collected === 0) return;
          const transfers = split.map((s, i) => ({
            id: `xfer_${i}`,
            storeId: s.storeId,
            initialAmount: s.amount,
          }));
          const totalTransfers = sum(transfers.map((t) => t.initialAmount));
          // Transfers never exceed the charge (Stripe's source_transaction rule).
          expect(totalTransfers).toBeLessThanOrEqual(collected);

          for (const s of split) {
            const mine = lines.map((l, i) => ({ l, i })).filter(({ l }) => l.storeId === s.storeId);
            const list = sum(mine.map(({ l }) => l.amount));
            const vendorFunded = funder === 'vendor' ? sum(mine.map(({ i }) => perLine[i]!)) : 0;
            expect(s.fee).toBe(feeOf(list - vendorFunded, FEE_BPS));
            expect(s.amount).toBe(list - vendorFunded - s.fee);
          }
          const fees = sum(split.map((s) => s.fee));
          const platformFunded = funder === 'platform' ? sum(perLine) : 0;

          // Partial refunds in steps, never beyond what was collected.
          const recorded: { transferId: string; refundId: string; amount: number }[] = [];
          const refunds: { refundId: string; amount: number }[] = [];
          let refunded = 0;
          const weightTotal = Math.max(1, sum(refundWeights));
          for (const [k, w] of refundWeights.entries()) {
            const amount = Math.min(
              collected - refunded,
              Math.max(1, Math.floor((collected * w) / weightTotal / 2)),
            );
            if (amount <= 0) break;
            refunded += amount;
            refunds.push({ refundId: `re_${k}`, amount });
            const plans = planReversals({ collected, transfers, refunds, recorded });
            for (const p of plans)
              recorded.push({ transferId: p.transferId, refundId: p.refundId, amount: p.amount });
            const reversed = sum(recorded.map((r) => r.amount));
            const vendorsRefund = vendorsShareOfRefunds(collected, totalTransfers, refunded);
            expect(reversed).toBe(vendorsRefund);
            // The platform's take: its fees, less what it funded, plus shipping, less its part of refunds.
            const take = fees - platformFunded + shippingPaid - (refunded - vendorsRefund);
            expect(take).toBeGreaterThanOrEqual(0);
            expect(collected - refunded).toBe(take + totalTransfers - reversed);
            for (const t of transfers) {
              const back = sum(recorded.filter((r) => r.transferId === t.id).map((r) => r.amount));
              expect(int(back) && back >= 0 && back <= t.initialAmount).toBe(true);
            }
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
