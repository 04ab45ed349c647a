// Money math, in one place. Amounts are integers in the currency's minor unit (cents); never floats.

// Stripe's zero-decimal currencies: amounts are whole units.
// https://docs.stripe.com/currencies#zero-decimal
const ZERO_DECIMAL = new Set([
  'bif',
  'clp',
  'djf',
  'gnf',
  'jpy',
  'kmf',
  'krw',
  'mga',
  'pyg',
  'rwf',
  'ugx',
  'vnd',
  'vuv',
  'xaf',
  'xof',
  'xpf',
]);

/** Digits after the decimal point for a currency. */
export function minorDigits(currency: string): number {
  return ZERO_DECIMAL.has(currency.toLowerCase()) ? 0 : 2;
}

const formatters = new Map<string, Intl.NumberFormat>();

/**
 * "$12.50" for (1250, 'usd'), in the given locale. The Intl formatter is kept per currency and locale:
 * building one costs more than the rest of a product card.
 */
export function formatMoney(amount: number, currency: string, locale = 'en-US'): string {
  const key = `${currency}:${locale}`;
  let format = formatters.get(key);
  if (!format) {
    const digits = minorDigits(currency);
    format = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: currency.toUpperCase(),
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    formatters.set(key, format);
  }
  return format.format(amount / 10 ** minorDigits(currency));
}

/** Throws unless `n` is a safe non-negative integer: guards every sum of money. */
export function assertMinorUnits(n: number, what = 'amount'): number {
  if (!Number.isSafeInteger(n) || n < 0)
    throw new RangeError(`${what} must be a non-negative integer, got ${n}`);
  return n;
}

/** Sum of integer amounts. */
export function sum(amounts: readonly number[]): number {
  return amounts.reduce((a, b) => a + assertMinorUnits(b), 0);
}

/**
 * Splits `total` into integer parts proportional to `weights`, so that the parts add up to `total`
 * exactly (largest-remainder method; ties go to the earlier weight).
 */
export function allocate(total: number, weights: readonly number[]): number[] {
  assertMinorUnits(total, 'total');
  const weightSum = sum(weights);
  if (weights.length === 0) return [];
  if (weightSum === 0) return weights.map((_, i) => (i === 0 ? total : 0));
  // BigInt keeps total * weight exact beyond 2^53.
  const big = weights.map((w) => (BigInt(total) * BigInt(w)) / BigInt(weightSum));
  const parts = big.map(Number);
  const remainders = weights.map((w, i) => ({
    i,
    r: (BigInt(total) * BigInt(w)) % BigInt(weightSum),
  }));
  let left = total - sum(parts);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of remainders) {
    if (left === 0) break;
    parts[i]! += 1;
    left -= 1;
  }
  return parts;
}

/**
 * Splits `total` into integer parts, at most `weights[i]` each, in proportion to `weights`, such that
 * a larger total never gives any part less (house monotone): the parts for a total always contain the
 * parts for every smaller total, so an amount that grows in steps (refunds taken back from vendors)
 * can be split step by step and always ends where splitting the final total at once would. Parts are
 * Webster's (Sainte-Laguë) apportionment: unit k of part i ranks by weights[i] / (k − ½), ties to the
 * earlier part, and the first `total` units are taken; at `total = sum(weights)` every part is its
 * weight exactly. Largest remainder (`allocate`) is not monotone (the Alabama paradox), so it can't
 * serve a split that is paid out before the total is final.
 */
export function apportion(total: number, weights: readonly number[]): number[] {
  assertMinorUnits(total, 'total');
  const weightSum = sum(weights);
  if (total > weightSum)
    throw new RangeError(`cannot apportion ${total} over weights summing to ${weightSum}`);
  const w = weights.map(BigInt);
  // True when unit k of part i ranks before unit l of part j: w_i / (k − ½) > w_j / (l − ½).
  const before = (i: number, k: number, j: number, l: number) => {
    const a = w[i]! * BigInt(2 * l - 1);
    const b = w[j]! * BigInt(2 * k - 1);
    return a > b || (a === b && i < j);
  };
  // Start from the rounded-down exact shares (within a few units of the answer), then settle.
  const parts = weights.map((x) =>
    weightSum === 0 ? 0 : Number((BigInt(total) * BigInt(x)) / BigInt(weightSum)),
  );
  const bestOutside = () => {
    let best = -1;
    parts.forEach((p, i) => {
      if (p < weights[i]! && (best < 0 || before(i, p + 1, best, parts[best]! + 1))) best = i;
    });
    return best;
  };
  const worstInside = () => {
    let worst = -1;
    parts.forEach((p, i) => {
      if (p > 0 && (worst < 0 || before(worst, parts[worst]!, i, p))) worst = i;
    });
    return worst;
  };
  for (let left = total - sum(parts); left > 0; left--) parts[bestOutside()]! += 1;
  // Swap while a unit left out ranks before one taken: the taken units become the first `total`.
  for (;;) {
    const i = bestOutside();
    const j = worstInside();
    if (i < 0 || j < 0 || !before(i, parts[i]! + 1, j, parts[j]!)) return parts;
    parts[i]! += 1;
    parts[j]! -= 1;
  }
}

/** What a line costs: unit price times quantity, checked to stay an exact integer. */
export function lineAmount(unitAmount: number, qty: number): number {
  assertMinorUnits(unitAmount, 'unit amount');
  if (!Number.isSafeInteger(qty) || qty < 0)
    throw new RangeError(`quantity must be a non-negative integer, got ${qty}`);
  return assertMinorUnits(unitAmount * qty, 'line amount');
}

/** What an order charges: goods, shipping and (when Stripe added it) tax. */
export function orderTotal(parts: { subtotal: number; shippingAmount: number; taxAmount?: number }): number {
  return sum([parts.subtotal, parts.shippingAmount, parts.taxAmount ?? 0]);
}

/**
 * What an order actually collected: the amount Stripe reported as received, or (before that was
 * recorded, or for orders written before it was) the order total. Refund splits and limits use it.
 */
export function collectedOf(order: { amountReceived: number; total: number }): number {
  return order.amountReceived > 0 ? order.amountReceived : order.total;
}

/** What is left to refund on an order: what it collected minus what was refunded already. */
export function refundableOf(order: {
  amountReceived: number;
  total: number;
  amountRefunded: number;
}): number {
  return Math.max(0, collectedOf(order) - order.amountRefunded);
}

/**
 * The vendors' part of `refunded`: refunds come out of vendors and platform in proportion to what
 * each got of `collected` (largest remainder), so once everything collected is refunded the vendors
 * have given back exactly `vendorsTotal`. A function of the refunded total only, never of the order in
 * which refunds arrived.
 */
export function vendorsShareOfRefunds(collected: number, vendorsTotal: number, refunded: number): number {
  assertMinorUnits(collected, 'collected');
  assertMinorUnits(vendorsTotal, 'vendors total');
  assertMinorUnits(refunded, 'refunded');
  if (collected <= 0 || refunded >= collected) return vendorsTotal;
  const vendors = Math.min(vendorsTotal, collected);
  return Math.min(allocate(refunded, [vendors, collected - vendors])[0]!, vendorsTotal);
}

/**
 * What a cancel or return still refunds on lines worth `gross`, after refunds without a vendor (an
 * operator's partial refund) gave back `shared` of the `collected` amount: those were shared pro rata by
 * every line and the shipping, so they already gave these lines their part (largest remainder, like
 * `vendorsShareOfRefunds`), and refunding the whole lines again would pay the shopper twice.
 */
export function unrefundedPartOf(gross: number, collected: number, shared: number): number {
  assertMinorUnits(gross, 'gross');
  assertMinorUnits(collected, 'collected');
  assertMinorUnits(shared, 'shared refunds');
  if (shared <= 0 || collected <= 0) return gross;
  if (shared >= collected) return 0;
  const lines = Math.min(gross, collected);
  return gross - allocate(shared, [lines, collected - lines])[0]!;
}

/** The platform's fee on an amount, in basis points, rounded half up. */
export function feeOf(amount: number, feeBps: number): number {
  assertMinorUnits(amount);
  if (!Number.isInteger(feeBps) || feeBps < 0 || feeBps > 10_000)
    throw new RangeError(`bad fee bps ${feeBps}`);
  return Math.floor((amount * feeBps + 5_000) / 10_000);
}

export interface VendorShare {
  storeId: string;
  /** What the vendor's lines are worth to the vendor: what the shopper paid plus platform-funded discounts. */
  gross: number;
  /** The platform's fee on them. */
  fee: number;
  /** Platform-funded discounts on the vendor's lines: taken from the fee, never from the vendor. */
  platformDiscount: number;
  /** What is transferred to the vendor: gross - fee. */
  amount: number;
}

/**
 * Splits an order's goods between its vendors: each gets its lines minus the platform fee.
 * `amount` is what the shopper paid for a line (after any discount); `platformDiscount` is the part of
 * the line's discount the platform funds, added back so the vendor is paid as if it had not been given
 * (a vendor-funded discount is simply not added back: it comes out of the vendor's share, and the fee is
 * taken on what is left). Whatever the order collected beyond the goods (shipping, tax) stays with the
 * platform, so sum(amount) + platform share = amount collected, to the cent; the platform's share is its
 * fees minus the platform-funded discounts plus shipping and tax.
 */
export function splitByVendor(
  lines: readonly { storeId: string; amount: number; platformDiscount?: number }[],
  feeBps: number,
): VendorShare[] {
  const gross = new Map<string, { gross: number; platformDiscount: number }>();
  for (const line of lines) {
    const g = gross.get(line.storeId) ?? { gross: 0, platformDiscount: 0 };
    const off = assertMinorUnits(line.platformDiscount ?? 0, 'platform discount');
    g.gross += assertMinorUnits(line.amount) + off;
    g.platformDiscount += off;
    gross.set(line.storeId, g);
  }
  return [...gross].map(([storeId, g]) => {
    const fee = feeOf(g.gross, feeBps);
    return { storeId, gross: g.gross, fee, platformDiscount: g.platformDiscount, amount: g.gross - fee };
  });
}

/** The platform's fee on each vendor's goods, summed: the most a platform-funded discount can take. */
export function platformFeeOf(lines: readonly { storeId: string; amount: number }[], feeBps: number): number {
  return sum(splitByVendor(lines, feeBps).map((s) => s.fee));
}
