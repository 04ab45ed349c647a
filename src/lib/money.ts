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

/** The platform's fee on an amount, in basis points, rounded half up. */
export function feeOf(amount: number, feeBps: number): number {
  assertMinorUnits(amount);
  if (!Number.isInteger(feeBps) || feeBps < 0 || feeBps > 10_000)
    throw new RangeError(`bad fee bps ${feeBps}`);
  return Math.floor((amount * feeBps + 5_000) / 10_000);
}

export interface VendorShare {
  storeId: string;
  /** What the vendor's lines brought in. */
  gross: number;
  /** The platform's fee on them. */
  fee: number;
  /** What is transferred to the vendor: gross - fee. */
  amount: number;
}

/**
 * Splits an order's goods between its vendors: each gets its lines minus the platform fee.
 * Whatever the order collected beyond the goods (shipping, tax) stays with the platform, so
 * sum(amount) + platform share = amount collected, to the cent.
 */
export function splitByVendor(
  lines: readonly { storeId: string; amount: number }[],
  feeBps: number,
): VendorShare[] {
  const gross = new Map<string, number>();
  for (const line of lines)
    gross.set(line.storeId, (gross.get(line.storeId) ?? 0) + assertMinorUnits(line.amount));
  return [...gross].map(([storeId, g]) => {
    const fee = feeOf(g, feeBps);
    return { storeId, gross: g, fee, amount: g - fee };
  });
}
