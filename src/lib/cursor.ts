// Opaque cursors for keyset pagination: base64url JSON of a tag (the listing, sort or tab it was made for)
// and the sort key values of the row a page continues after; and the query parameters of a paged listing.
import * as z from 'zod';

/** A listing's `limit` query parameter: rows per page, 1 to 100 (absent: the listing's own default). */
export const pageLimit = z
  .string()
  .regex(/^\d{1,3}$/, 'A number from 1 to 100.')
  .transform(Number)
  .pipe(z.number().int().min(1, 'At least 1.').max(100, 'At most 100.'))
  .optional();

/** A listing's `cursor` query parameter: the previous page's next cursor, as this module writes them. */
export const pageCursor = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,512}$/, 'Not a cursor of this listing.')
  .optional();

/** A sort key value a cursor carries. */
export type CursorValue = string | number;

/** The cursor after a row: `tag` names the listing it belongs to, `values` the row's sort key. */
export function encodeCursor(tag: string, values: readonly CursorValue[]): string {
  const bytes = new TextEncoder().encode(JSON.stringify([tag, ...values]));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/**
 * The sort key values in a cursor made for `tag` with `length` values (strings, finite numbers), or null
 * when it is not one: malformed, another listing's, or too long to be ours.
 */
export function decodeCursor(tag: string, cursor: string, length: number): CursorValue[] | null {
  if (cursor.length > 1024) return null;
  try {
    const binary = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
    const parsed: unknown = JSON.parse(
      new TextDecoder().decode(Uint8Array.from(binary, (ch) => ch.charCodeAt(0))),
    );
    if (!Array.isArray(parsed) || parsed[0] !== tag || parsed.length !== length + 1) return null;
    const values = parsed.slice(1) as unknown[];
    if (!values.every((v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))))
      return null;
    return values as CursorValue[];
  } catch {
    return null;
  }
}
