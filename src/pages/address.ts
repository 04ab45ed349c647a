// Postal addresses as Stripe stores them, turned into lines of text for pages (JSX escapes each line).

interface AddressLike {
  line1?: string | null;
  line2?: string | null;
  city?: string | null;
  state?: string | null;
  postal_code?: string | null;
  country?: string | null;
}

/** An address as lines: street lines, "postcode city state", country. Anything else gives none. */
export function addressLines(value: unknown): string[] {
  if (!value || typeof value !== 'object') return [];
  const a = value as AddressLike;
  const cityLine = [a.postal_code, a.city, a.state].filter(Boolean).join(' ');
  return [a.line1, a.line2, cityLine, a.country].filter(
    (s): s is string => typeof s === 'string' && s !== '',
  );
}
