// Operator authentication: ADMIN_TOKEN as a Bearer token (JSON API) or a signed cookie set by the
// sign-in form (pages). Comparisons are constant-time.
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';
import { UnauthorizedError } from '../lib/errors';

export const ADMIN_COOKIE = 'admin';
/** An operator's session lasts a working day; the signed value carries its expiry. */
export const ADMIN_SESSION_SECONDS = 12 * 60 * 60;

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

/** True when a signed cookie value is an operator session that has not expired. */
function validSession(cookieValue: string | false | undefined): boolean {
  if (typeof cookieValue !== 'string') return false;
  const match = /^operator\.(\d+)$/.exec(cookieValue);
  return !!match && Number(match[1]) > Math.floor(Date.now() / 1000);
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
  if (header) return false; // some other scheme: refused, never silently downgraded to the cookie
  return validSession(cookieValue);
}

/** True when `candidate` is the operator token (the sign-in form). */
export async function checkAdminToken(env: Env, candidate: string): Promise<boolean> {
  if (!env.ADMIN_TOKEN || !candidate) return false;
  return timingSafeEqual(candidate.trim(), env.ADMIN_TOKEN);
}

function isLocalhost(url: string): boolean {
  const { hostname } = new URL(url);
  return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]';
}

/**
 * Signs the browser in as an operator: HttpOnly, SameSite=Strict (no cross-site request ever carries
 * it), scoped to /admin.
 */
export async function startAdminSession<E extends { Bindings: Env }>(c: Context<E>): Promise<void> {
  const expires = Math.floor(Date.now() / 1000) + ADMIN_SESSION_SECONDS;
  await setSignedCookie(c, ADMIN_COOKIE, `operator.${expires}`, adminCookieSecret(c.env), {
    path: '/admin',
    httpOnly: true,
    sameSite: 'Strict',
    secure: !isLocalhost(c.req.url),
    maxAge: ADMIN_SESSION_SECONDS,
  });
}

/** Signs the operator out. */
export function endAdminSession<E extends { Bindings: Env }>(c: Context<E>): void {
  deleteCookie(c, ADMIN_COOKIE, { path: '/admin', secure: !isLocalhost(c.req.url) });
}

/** Middleware: 401 problem+json (or the sign-in page, for browsers under /admin) unless an operator. */
export const requireAdmin: MiddlewareHandler<{ Bindings: Env }> = async (c, next) => {
  const cookie = await getSignedCookie(c, adminCookieSecret(c.env), ADMIN_COOKIE);
  if (!(await isAdmin(c.req.raw, c.env, cookie)))
    throw new UnauthorizedError('An operator token is required.');
  await next();
};
