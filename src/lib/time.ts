// The clock in the unit the database and Stripe use: whole seconds since the Unix epoch.

/** Now, in whole Unix seconds (D1 timestamps, Stripe's `created`, cookie expiries). */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * A moment (Unix seconds) as UTC text for people: `day` 2026-11-30, `minute` 2026-11-30 14:05, `second`
 * 2026-11-30 14:05:09. Pages and messages show times in UTC, written the same way everywhere.
 */
export function formatUtc(seconds: number, precision: 'day' | 'minute' | 'second'): string {
  const iso = new Date(seconds * 1000).toISOString();
  return precision === 'day'
    ? iso.slice(0, 10)
    : iso.replace('T', ' ').slice(0, precision === 'minute' ? 16 : 19);
}
