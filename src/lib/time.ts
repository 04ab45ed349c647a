// The clock in the unit the database and Stripe use: whole seconds since the Unix epoch.

/** Now, in whole Unix seconds (D1 timestamps, Stripe's `created`, cookie expiries). */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
