// A few seconds of memory for rendered catalog pages (home, product, shop), per isolate. Catalog pages
// already declare a minute of staleness to browsers (`max-age=60`); keeping the HTML for PAGE_TTL_MS on
// top adds at most that much to what a shopper may see, and saves a D1 round trip and a render on every
// other request. What must never be stale is not here: carts price from D1 on every read, and
// checkout re-checks stock.
//
// Freshness where it is owed:
// - Requests that carry a vendor or operator session cookie skip the cache (and refresh it): a vendor
//   who edits a product sees the edit on their next view, whichever isolate serves it.
// - The catalog's writers (vendor product edits, store builds and updates from account events) call
//   `invalidateCatalogPages()`, so their change shows at once in this isolate; other isolates catch up
//   within PAGE_TTL_MS. Stock counts on pages follow within PAGE_TTL_MS too (carts and checkout read D1).
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { ADMIN_COOKIE } from '../admin/auth';
import { VENDOR_COOKIE } from '../vendors/session';

/** How long a rendered catalog page is reused. Short: pages are cheap to rebuild once every few seconds. */
export const PAGE_TTL_MS = 5_000;
const MAX_ENTRIES = 256;

type Entry = { html: Promise<string>; expires: number };
const pages = new Map<string, Entry>();

/** Forgets every cached page in this isolate (after a catalog write). */
export function invalidateCatalogPages(): void {
  pages.clear();
}

/** True when this request must see the catalog as it is now: a signed-in vendor or operator. */
export function needsFreshCatalog(c: Context): boolean {
  return getCookie(c, VENDOR_COOKIE) !== undefined || getCookie(c, ADMIN_COOKIE) !== undefined;
}

/**
 * The page for `key`, built by `build` unless this isolate built it less than PAGE_TTL_MS ago.
 * Concurrent misses share one build; a build that fails (404, D1 error) is not kept. `fresh` builds
 * anew and stores the result for everyone else.
 */
export function cachedPage(key: string, build: () => Promise<string>, fresh = false): Promise<string> {
  const now = Date.now();
  const hit = pages.get(key);
  if (!fresh && hit && hit.expires > now) return hit.html;
  const html = build();
  const entry: Entry = { html, expires: now + PAGE_TTL_MS };
  if (hit)
    pages.delete(key); // re-inserted below, so the map's order stays oldest first
  else if (pages.size >= MAX_ENTRIES) pages.delete(pages.keys().next().value!);
  pages.set(key, entry);
  html.catch(() => {
    if (pages.get(key) === entry) pages.delete(key);
  });
  return html;
}
