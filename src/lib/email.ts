// E-mail addresses as the shop keys them: trimmed and lower-cased, validated once with zod.
import * as z from 'zod';

/** RFC 5321 caps a forward path at 256 octets including the angle brackets. */
const MAX_EMAIL_CHARS = 254;

/** The form every look-up by e-mail uses (customers, orders, sign-in): trimmed, lower-case. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** A normalised e-mail address; anything else (CR/LF, no @, over 254 characters) is refused. */
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(MAX_EMAIL_CHARS, 'An e-mail address has at most 254 characters.')
  .pipe(z.email('Enter a valid e-mail address.'));
