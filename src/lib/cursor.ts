// Opaque cursors for keyset pagination: base64url JSON of a tag (the listing, sort or tab it was made for)
// and the sort key values of the row a page continues after.

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
