// What a discount code takes off a cart: a pure function of the code's row, the cart's available lines
// and the clock. The one place discount amounts are decided; lib/money's allocate splits them.
import type { schema } from '../db/client';
import { allocate, assertMinorUnits, formatMoney, platformFeeOf, sum } from '../lib/money';

/** A discount code as stored in D1. */
export type DiscountRow = typeof schema.discounts.$inferSelect;

/** Who pays for a discount: the platform (out of its fee) or the vendor whose lines it touches. */
export type DiscountFunder = 'platform' | 'vendor';

/** The longest code accepted; anything longer is refused before D1 is asked. */
export const MAX_CODE_LENGTH = 64;

/**
 * The stored form of a code: trimmed and lower-cased. Codes are case-insensitive and ignore
 * surrounding spaces ("  Summer10 " is "summer10"); inner spaces are kept.
 */
export function normalizeCode(code: string): string {
  return code.trim().toLowerCase();
}

/** One available cart line, as pricing sees it. */
export interface DiscountLine {
  productId: string;
  storeId: string;
  /** unit amount * qty, before any discount. */
  amount: number;
}

export interface DiscountContext {
  now: number;
  /** PLATFORM_FEE_BPS: caps what a platform-funded code can give away. */
  feeBps: number;
  /** The order's shipping, taken off by a free-shipping code. */
  shippingAmount: number;
  currency: string;
}

/** Why a code does not apply now. */
type DiscountRefusal =
  | 'unknown'
  | 'inactive'
  | 'not_started'
  | 'expired'
  | 'exhausted'
  | 'out_of_scope'
  | 'below_minimum'
  | 'already_used';

/** A code that applies: its amount, allocated over `lines` (0 for lines out of its scope). */
interface DiscountApplied {
  applies: true;
  /** The lines' discount in all (= sum of perLine). */
  amount: number;
  /** Aligned with the lines given. */
  perLine: number[];
  /** Shipping taken off (free-shipping codes only). */
  shippingOff: number;
  fundedBy: DiscountFunder;
  /** True when a platform-funded code was cut down to the platform's fee on the order. */
  capped: boolean;
}

export type DiscountOutcome = DiscountApplied | { applies: false; refusal: DiscountRefusal; reason: string };

/** True when a line is in the code's scope (one vendor's products, listed products, or the whole cart). */
function inScope(d: Pick<DiscountRow, 'storeId' | 'productIds'>, line: DiscountLine): boolean {
  if (d.storeId && line.storeId !== d.storeId) return false;
  if (d.productIds && d.productIds.length > 0 && !d.productIds.includes(line.productId)) return false;
  return true;
}

/** The refusal of a code that is not usable at all right now (before looking at the cart). */
function availabilityOf(
  d: Pick<DiscountRow, 'active' | 'startsAt' | 'endsAt' | 'maxRedemptions' | 'redemptions'>,
  now: number,
): { refusal: DiscountRefusal; reason: string } | null {
  if (!d.active) return { refusal: 'inactive', reason: 'This code is no longer active.' };
  if (d.startsAt !== null && now < d.startsAt)
    return { refusal: 'not_started', reason: 'This code is not valid yet.' };
  if (d.endsAt !== null && now >= d.endsAt) return { refusal: 'expired', reason: 'This code has expired.' };
  if (d.maxRedemptions !== null && d.redemptions >= d.maxRedemptions)
    return { refusal: 'exhausted', reason: 'This code has been used up.' };
  return null;
}

/**
 * Prices a code against a cart's available lines. Percent codes take `percentOff`% of the lines in
 * scope (rounded half up), amount codes take `amountOff` but never more than those lines are worth.
 * The discount is split over the lines in scope by largest remainder (lib/money `allocate`), so each
 * line's part is an integer, at most the line, and the parts sum to the discount exactly. The minimum
 * subtotal is checked against the lines in scope. A platform-funded code gives away at most the
 * platform's fee on the order (every vendor's fee summed): beyond that it is capped (`capped`), so the
 * vendors' shares and the transfers never exceed what the order collects. Shipping is taken off only by
 * a free-shipping code, and always at the platform's cost (shipping is the platform's revenue).
 */
export function priceDiscount(
  d: DiscountRow,
  lines: readonly DiscountLine[],
  ctx: DiscountContext,
): DiscountOutcome {
  const unusable = availabilityOf(d, ctx.now);
  if (unusable) return { applies: false, ...unusable };
  const eligible = lines.map((l) => (inScope(d, l) ? assertMinorUnits(l.amount) : 0));
  const base = sum(eligible);
  if (base === 0)
    return {
      applies: false,
      refusal: 'out_of_scope',
      reason: 'This code does not apply to anything in your cart.',
    };
  if (base < d.minSubtotal)
    return {
      applies: false,
      refusal: 'below_minimum',
      reason: `This code needs at least ${formatMoney(d.minSubtotal, ctx.currency)} of eligible items.`,
    };
  let amount = 0;
  if (d.percentOff !== null) amount = Number((BigInt(base) * BigInt(d.percentOff) + 50n) / 100n);
  else if (d.amountOff !== null) amount = Math.min(d.amountOff, base);
  amount = Math.min(amount, base);
  let capped = false;
  if (d.fundedBy === 'platform') {
    const cap = platformFeeOf(lines, ctx.feeBps);
    if (amount > cap) {
      amount = cap;
      capped = true;
    }
  }
  return {
    applies: true,
    amount,
    perLine: allocate(amount, eligible),
    shippingOff: d.freeShipping ? ctx.shippingAmount : 0,
    fundedBy: d.fundedBy,
    capped,
  };
}
