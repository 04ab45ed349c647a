// Small text rules for mail: one-line header values (no CR/LF injection), clipped names, masked addresses.

/** Longest name (product, store, person) a message shows; longer ones are cut with an ellipsis. */
const MAX_NAME = 100;
/** Longest subject line. */
const MAX_SUBJECT = 200;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * `value` cut to `max` characters, with "…" when cut. Characters as a reader sees them (grapheme
 * clusters), so a cut never splits an emoji sequence or a letter from its accent.
 */
export function clip(value: string, max = MAX_NAME): string {
  // A string has at least as many UTF-16 units as graphemes: short ones need no segmenting.
  if (value.length <= max) return value;
  const chars = Array.from(graphemes.segment(value), (s) => s.segment);
  return chars.length <= max ? value : `${chars.slice(0, max - 1).join('')}…`;
}

/**
 * A value that goes into a header (subject, display name): line breaks and other control characters
 * become spaces, so no one can add a header (`Bcc:`) by naming a product or a shop with a newline.
 */
export function oneLine(value: string, max = MAX_SUBJECT): string {
  // eslint-disable-next-line no-control-regex
  const flat = value.replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ');
  return clip(flat.trim(), max);
}

/** A name for use inside a subject or text: one line, at most MAX_NAME characters. */
export function displayName(value: string | null | undefined, fallback = ''): string {
  const v = oneLine(value ?? '', MAX_NAME);
  return v || fallback;
}

/** "v•••@example.com": enough for an operator to recognise, never the full address (logs, admin). */
export function maskAddress(address: string | null | undefined): string {
  if (!address) return '';
  const at = address.indexOf('@');
  if (at < 1) return '•••';
  return `${address[0]}•••${address.slice(at)}`;
}

// Deliberately strict: a plain address, no display name, no spaces or line breaks.
const ADDRESS =
  /^[^\s@<>()",;:\\[\]]+@[^\s@<>()",;:\\[\]]+\.[^\s@<>()",;:\\[\]]+$|^[^\s@<>()",;:\\[\]]+@localhost$/i;

/** True for an address we are willing to put in a To or Reply-To header. */
export function isMailAddress(value: string | null | undefined): value is string {
  return typeof value === 'string' && value.length <= 254 && ADDRESS.test(value);
}
