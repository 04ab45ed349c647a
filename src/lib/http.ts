// Content negotiation (one answer to "page or JSON?") and the CSRF guard. Bodies: lib/input.ts.
import type { Context, MiddlewareHandler } from 'hono';
import { csrf } from 'hono/csrf';

/** True when the client prefers an HTML page (a browser navigating or posting a form). */
export function wantsHtml(c: Context): boolean {
  const accept = c.req.header('accept') ?? '';
  return accept.includes('text/html');
}

/** True when the client asked for JSON rather than a page (`Accept: application/json`, no text/html). */
export function wantsJson(c: Context): boolean {
  const accept = c.req.header('accept') ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

const csrfGuard = csrf();

/**
 * hono's CSRF guard (cross-site form posts refused), except for requests with a Bearer token. A browser
 * never attaches `Authorization: Bearer` on its own and can't add it cross-site without a CORS preflight
 * we never grant, so such a request is an API client, not a forged form; it is authenticated by its
 * token alone (the admin never falls back to the cookie when an Authorization header is present).
 */
export const csrfUnlessBearer: MiddlewareHandler = async (c, next) => {
  if (/^Bearer\s/i.test(c.req.header('authorization') ?? '')) return next();
  return csrfGuard(c, next);
};

/** True for form submissions (the no-JS pages). */
export function isForm(c: Context): boolean {
  const type = c.req.header('content-type') ?? '';
  return type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data');
}
