// Operator authentication: ADMIN_TOKEN as a Bearer token (JSON API) or a signed cookie set by the
// sign-in form (pages). Comparisons are constant-time.
import type { MiddlewareHandler } from 'hono';
import { getSignedCookie } from 'hono/cookie';
import { UnauthorizedError } from '../lib/errors';

export const ADMIN_COOKIE = 'admin';

/** Constant-time string equality (lengths leak, contents don't). */
export async function timingSafeEqual(a: string, b: string): Promise<boolean> {
  const enc = new TextEncoder();
  const [da, db] = await Promise.all([
    crypto.subtle.digest('SHA-256', enc.encode(a)),
    crypto.subtle.digest('SHA-256', enc.encode(b)),
  ]);
  return crypto.subtle.timingSafeEqual(da, db);
}

/** The key that signs the admin cookie: rotating ADMIN_TOKEN signs every operator out. */
export function adminCookieSecret(env: Env): string {
  return `${env.COOKIE_SECRET}:${env.ADMIN_TOKEN}`;
}

/** True when the request carries the operator's token (Bearer) or a valid admin cookie. */
export async function isAdmin(
  req: Request,
  env: Env,
  cookieValue: string | false | undefined,
): Promise<boolean> {
  const token = env.ADMIN_TOKEN;
  if (!token) return false; // no token configured: the admin is closed, never open.
  const header = req.headers.get('authorization') ?? '';
  const match = /^Bearer\s+(.+)$/i.exec(header);
  if (match) return timingSafeEqual(match[1]!.trim(), token);
  return cookieValue === 'operator';
}

/** Middleware: 401 problem+json (or the sign-in page, for browsers under /admin) unless an operator. */
export const requireAdmin: MiddlewareHandler<{ Bindings: Env }> = async (c, next) => {
  const cookie = await getSignedCookie(c, adminCookieSecret(c.env), ADMIN_COOKIE);
  if (!(await isAdmin(c.req.raw, c.env, cookie)))
    throw new UnauthorizedError('An operator token is required.');
  await next();
};
