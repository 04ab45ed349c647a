// Small request helpers shared by routes: content negotiation, the CSRF guard and JSON body parsing.
import type { Context, MiddlewareHandler } from 'hono';
import { csrf } from 'hono/csrf';
import { BadRequestError, PayloadTooLargeError, UnsupportedMediaTypeError } from './errors';

/** Bodies larger than this are refused with 413 (carts, forms, admin actions). */
export const MAX_BODY_BYTES = 16 * 1024;

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

/**
 * Reads a JSON body: 415 unless it is JSON, 413 over `limit` bytes (counted on the bytes, not the
 * Content-Length the client claims), 400 if it does not parse.
 */
export async function readJson(c: Context, limit = MAX_BODY_BYTES): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/([a-z.+-]*\+)?json\b/i.test(type)) {
    throw new UnsupportedMediaTypeError('Send the body as application/json.');
  }
  const declared = Number(c.req.header('content-length') ?? '0');
  if (declared > limit) throw new PayloadTooLargeError(`The body is over ${limit} bytes.`);
  const buf = await c.req.arrayBuffer();
  if (buf.byteLength > limit) throw new PayloadTooLargeError(`The body is over ${limit} bytes.`);
  try {
    return JSON.parse(new TextDecoder().decode(buf));
  } catch {
    throw new BadRequestError('The body is not valid JSON.');
  }
}
