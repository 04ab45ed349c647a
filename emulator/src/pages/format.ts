// Money as the hosted pages show it ("$10.50"), in the currency's own minor units.

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

/** Formats minor units for display on the hosted pages, e.g. 1050 usd → "$10.50". */
export function formatAmount(amount: number, currency: string): string {
  const zero = ZERO_DECIMAL.has(currency.toLowerCase());
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() }).format(
      zero ? amount : amount / 100,
    );
  } catch {
    return `${zero ? amount : (amount / 100).toFixed(2)} ${currency.toUpperCase()}`;
  }
}
