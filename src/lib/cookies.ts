// Our cookies in one place: their names, the key that signs each, and reading/writing signed values.
// The format is hono's signed cookie (`<value>.<base64 HMAC-SHA256>`, URI-encoded), so cookies set
// before keep working; the HMAC key is imported once per isolate instead of on every request.
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { CookieOptions } from 'hono/utils/cookie';
import { fromBase64, hmacSha256, toBase64, verifyHmacSha256 } from './crypto';
import { nowSeconds } from './time';

/** The visitor's cart id. */
export const CART_COOKIE = 'cart';
/** A signed-in vendor: `<store id>.<expiry seconds>`. */
export const VENDOR_COOKIE = 'vendor';
/** A signed-in operator: `operator.<expiry seconds>`. */
export const ADMIN_COOKIE = 'admin';
/** A signed-in shopper: `<base64url e-mail>.<expiry seconds>`. */
export const SHOPPER_COOKIE = 'shopper';
/** A D1 session bookmark after a vendor's or operator's write (src/db/replica.ts). */
export const BOOKMARK_COOKIE = 'd1_bookmark';

type CookieEnv = Pick<Env, 'COOKIE_SECRET' | 'ADMIN_TOKEN'>;

/** The key that signs cart cookies. */
export function cartCookieSecret(env: Pick<Env, 'COOKIE_SECRET'>): string {
  return env.COOKIE_SECRET;
}

/** A separate key for vendor cookies: a cart cookie's signature can never pass as a session. */
export function vendorCookieSecret(env: Pick<Env, 'COOKIE_SECRET'>): string {
  return `${env.COOKIE_SECRET}:vendor-session`;
}

/** A key of its own for shopper sessions: a cart or vendor cookie's signature can never pass as one. */
export function shopperCookieSecret(env: Pick<Env, 'COOKIE_SECRET'>): string {
  return `${env.COOKIE_SECRET}:shopper-session`;
}

/** A key of its own for the D1 bookmark cookie: no other cookie's signature passes as one. */
export function bookmarkCookieSecret(env: Pick<Env, 'COOKIE_SECRET'>): string {
  return `${env.COOKIE_SECRET}:d1-bookmark`;
}

/** The key that signs the admin cookie: rotating ADMIN_TOKEN signs every operator out. */
export function adminCookieSecret(env: CookieEnv): string {
  return `${env.COOKIE_SECRET}:${env.ADMIN_TOKEN}`;
}

/** True when the request is served on localhost, where cookies can't be Secure over http. */
function isLocalhost(url: string): boolean {
  const { hostname } = new URL(url);
  return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]';
}

/** The value of a signed cookie whose signature checks out, else null (same rules as hono's getSignedCookie). */
export async function readSignedCookie(c: Context, name: string, secret: string): Promise<string | null> {
  const signed = getCookie(c, name);
  if (!signed || !secret) return null;
  const dot = signed.lastIndexOf('.');
  if (dot < 0) return null;
  const value = signed.slice(0, dot);
  const signature = signed.slice(dot + 1);
  if (signature.length !== 44 || !signature.endsWith('=')) return null;
  try {
    return (await verifyHmacSha256(secret, value, fromBase64(signature))) ? value : null;
  } catch {
    return null;
  }
}

/** Sets a signed cookie: HttpOnly, Secure except on localhost, with the given path, SameSite and lifetime. */
export async function writeSignedCookie(
  c: Context,
  name: string,
  value: string,
  secret: string,
  options: Required<Pick<CookieOptions, 'path' | 'sameSite' | 'maxAge'>>,
): Promise<void> {
  const signature = toBase64(await hmacSha256(secret, value));
  setCookie(c, name, `${value}.${signature}`, {
    ...options,
    httpOnly: true,
    secure: !isLocalhost(c.req.url),
  });
}

/** Deletes a cookie set on `path`. */
export function clearCookie(c: Context, name: string, path: string): void {
  deleteCookie(c, name, { path, secure: !isLocalhost(c.req.url) });
}

/** The expiry in a session value `<subject>.<expiry seconds>`, when it is still in the future; else null. */
export function unexpiredSubject(value: string | null, subject: RegExp): string | null {
  if (value === null) return null;
  const match = /^(.+)\.(\d{1,12})$/.exec(value);
  if (!match || !subject.test(match[1]!) || Number(match[2]) <= nowSeconds()) return null;
  return match[1]!;
}

/** The store id of a valid, unexpired vendor session cookie, else null. */
export async function vendorSessionStoreId<E extends { Bindings: Env }>(
  c: Context<E>,
): Promise<string | null> {
  const value = await readSignedCookie(c, VENDOR_COOKIE, vendorCookieSecret(c.env));
  return unexpiredSubject(value, /^[A-Za-z0-9_-]+$/);
}

/** True when the request carries a valid, unexpired operator cookie (the admin token's Bearer is separate). */
export async function hasAdminSession<E extends { Bindings: Env }>(c: Context<E>): Promise<boolean> {
  if (!c.env.ADMIN_TOKEN) return false;
  const value = await readSignedCookie(c, ADMIN_COOKIE, adminCookieSecret(c.env));
  return unexpiredSubject(value, /^operator$/) !== null;
}
