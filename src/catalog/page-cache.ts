// A few seconds of memory for rendered catalog pages (home, product, shop), per isolate. Catalog pages
// already declare a minute of staleness to browsers (`max-age=60`); keeping the HTML for PAGE_TTL_MS on
// top adds at most that much to what a shopper may see, and saves a D1 round trip and a render on every
// other request. What must never be stale is not here: carts price from D1 on every read, and
// checkout re-checks stock.
//
// Only finished pages are shared. A build in progress belongs to the request that started it: its D1
// I/O is bound to that request, and another request awaiting it fails with "Cannot perform I/O on
// behalf of a different request" (or hangs when the first one is canceled). Concurrent misses each
// build; the last one to finish is kept.
//
// Freshness where it is owed:
// - Requests with a verified vendor or operator session (the cookie's signature checks out) skip the
//   cache (and refresh it): a vendor who edits a product sees the edit on their next view, whichever
//   isolate serves it. A cookie that only has the right name is an ordinary visitor.
// - The catalog's writers (vendor product edits, store builds and updates from account events) call
//   `invalidateCatalogPages()`, so their change shows at once in this isolate; other isolates catch up
//   within PAGE_TTL_MS. Stock counts on pages follow within PAGE_TTL_MS too (carts and checkout read D1).
import type { Context } from 'hono';
import { hasAdminSession, vendorSessionStoreId } from '../lib/cookies';

/** How long a rendered catalog page is reused. Short: pages are cheap to rebuild once every few seconds. */
const PAGE_TTL_MS = 5_000;
const MAX_ENTRIES = 256;

type Entry = { html: string; expires: number };
const pages = new Map<string, Entry>();
/** Bumped by every invalidation, so a build that started before one is not stored after it. */
let generation = 0;

/** Forgets every cached page in this isolate (after a catalog write). */
export function invalidateCatalogPages(): void {
  pages.clear();
  generation++;
}

/** True when this request must see the catalog as it is now: a verified vendor or operator session. */
export async function needsFreshCatalog(c: Context<{ Bindings: Env }>): Promise<boolean> {
  return (await vendorSessionStoreId(c)) !== null || (await hasAdminSession(c));
}

/**
 * The page for `key`, built by `build` unless this isolate built it less than PAGE_TTL_MS ago. A build
 * that fails (404, D1 error) is not kept. `fresh` builds anew and stores the result for everyone else.
 */
export async function cachedPage(key: string, build: () => Promise<string>, fresh = false): Promise<string> {
  const hit = pages.get(key);
  if (!fresh && hit && hit.expires > Date.now()) return hit.html;
  const started = generation;
  const html = await build();
  if (started === generation) {
    pages.delete(key); // re-inserted below, so the map's order stays oldest first
    if (pages.size >= MAX_ENTRIES) pages.delete(pages.keys().next().value!);
    pages.set(key, { html, expires: Date.now() + PAGE_TTL_MS });
  }
  return html;
}
