// Operator authentication: ADMIN_TOKEN as a Bearer token (JSON API) or a signed cookie set by the
// sign-in form (pages). Comparisons are constant-time.
import type { Context, MiddlewareHandler } from 'hono';
import {
  ADMIN_COOKIE,
  adminCookieSecret,
  clearCookie,
  hasAdminSession,
  writeSignedCookie,
} from '../lib/cookies';
import { timingSafeEqual } from '../lib/crypto';
import { UnauthorizedError } from '../lib/errors';
import { nowSeconds } from '../lib/time';

/** An operator's session lasts a working day; the signed value carries its expiry. */
const ADMIN_SESSION_SECONDS = 12 * 60 * 60;

/** How the request proves it is an operator: the token as a Bearer (API clients) or the signed cookie (browsers). */
export type AdminCredential = 'bearer' | 'cookie';

/** The operator credential the request carries and that checks out, else null. */
export async function adminCredential(c: Context<{ Bindings: Env }>): Promise<AdminCredential | null> {
  const token = c.env.ADMIN_TOKEN;
  if (!token) return null; // no token configured: the admin is closed, never open.
  const header = c.req.header('authorization') ?? '';
  const match = /^Bearer\s+(.+)$/i.exec(header);
  if (match) return (await timingSafeEqual(match[1]!.trim(), token)) ? 'bearer' : null;
  if (header) return null; // some other scheme: refused, never silently downgraded to the cookie
  return (await hasAdminSession(c)) ? 'cookie' : null;
}

/** True when `candidate` is the operator token (the sign-in form). */
export async function checkAdminToken(env: Env, candidate: string): Promise<boolean> {
  if (!env.ADMIN_TOKEN || !candidate) return false;
  return timingSafeEqual(candidate.trim(), env.ADMIN_TOKEN);
}

/**
 * Signs the browser in as an operator: HttpOnly, SameSite=Strict (no cross-site request ever carries
 * it), scoped to /admin.
 */
export async function startAdminSession<E extends { Bindings: Env }>(c: Context<E>): Promise<void> {
  const expires = nowSeconds() + ADMIN_SESSION_SECONDS;
  await writeSignedCookie(c, ADMIN_COOKIE, `operator.${expires}`, adminCookieSecret(c.env), {
    path: '/admin',
    sameSite: 'Strict',
    maxAge: ADMIN_SESSION_SECONDS,
  });
}

/** Signs the operator out. */
export function endAdminSession<E extends { Bindings: Env }>(c: Context<E>): void {
  clearCookie(c, ADMIN_COOKIE, '/admin');
}

/** Middleware: 401 problem+json (or the sign-in page, for browsers under /admin) unless an operator. */
export const requireAdmin: MiddlewareHandler<{ Bindings: Env }> = async (c, next) => {
  if (!(await adminCredential(c))) throw new UnauthorizedError('An operator token is required.');
  await next();
};
