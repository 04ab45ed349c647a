// The API's answers as cacheable JSON: built at most once every few seconds per isolate (the page cache,
// which every catalog write clears), a strong ETag from the body's SHA-256, 304 for a matching
// If-None-Match, and headers that let browsers revalidate and shared caches keep it a minute.
import type { Context } from 'hono';
import { toBase64Url } from '../../lib/crypto';
import { cachedPage, needsFreshCatalog } from '../page-cache';

/** Browsers revalidate every time (a cheap 304); the edge may keep an answer a minute. */
const API_CACHE_CONTROL = 'public, max-age=0, s-maxage=60, must-revalidate';

async function strongEtag(body: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(body));
  return `"${toBase64Url(new Uint8Array(digest).slice(0, 18))}"`;
}

/** True when an If-None-Match header names `etag` (or is `*`); W/ prefixes compare weakly, as RFC 9110 says. */
function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === etag;
  });
}

/**
 * Answers with the JSON `build` makes, cached under `key` (everything the answer depends on besides D1).
 * A build that throws (404) is not cached.
 */
export async function cachedJson(
  c: Context<{ Bindings: Env }>,
  key: string,
  build: () => Promise<unknown>,
): Promise<Response> {
  const entry = await cachedPage(
    `api\n${key}`,
    async () => {
      const body = JSON.stringify(await build());
      return `${await strongEtag(body)}\n${body}`;
    },
    await needsFreshCatalog(c),
  );
  const split = entry.indexOf('\n');
  const etag = entry.slice(0, split);
  c.header('etag', etag);
  c.header('cache-control', API_CACHE_CONTROL);
  c.header('cache-tag', 'catalog');
  if (etagMatches(c.req.header('if-none-match'), etag)) return c.body(null, 304);
  c.header('content-type', 'application/json; charset=utf-8');
  return c.body(entry.slice(split + 1), 200);
}
