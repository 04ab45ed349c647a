// One origin for the shopper: a page navigation that arrives on another host:port than PUBLIC_URL (e.g.
// `localhost:8787` when the site is `http://127.0.0.1:8787`) is redirected to the same path there, so
// cookies, Stripe's return URLs and the emulator's pages all agree on where the site is.
import type { MiddlewareHandler } from 'hono';
import { publicOrigin } from './config';
import { wantsHtml } from './http';

/** Answer on any host: health probes, Stripe's webhooks (a redirect is a failed delivery), the emulator. */
const ANY_HOST = /^\/(?:health$|webhooks\/|__stripe\/)/;

/**
 * Middleware: 308 to PUBLIC_URL for GET/HEAD requests that want HTML on another origin. API calls and
 * form posts are left alone (a redirect would drop or replay their body); they are not navigations.
 */
export const canonicalOrigin: MiddlewareHandler<{ Bindings: Env }> = async (c, next) => {
  const method = c.req.method;
  if ((method === 'GET' || method === 'HEAD') && wantsHtml(c)) {
    const origin = publicOrigin(c.env);
    const href = c.req.url;
    // The usual case, on the site's own origin, is told from the text alone (no URL parsed per page).
    const sameOrigin = href.startsWith(origin) && href.charCodeAt(origin.length) === 47; // '/'
    const url = sameOrigin ? null : new URL(href);
    if (url && url.origin !== origin && !ANY_HOST.test(url.pathname)) {
      // Not stored: a browser keeps a cached permanent redirect even after PUBLIC_URL changes.
      c.header('cache-control', 'no-store');
      return c.redirect(`${origin}${url.pathname}${url.search}`, 308);
    }
  }
  await next();
};
