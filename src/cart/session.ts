// Which cart is this visitor's: a signed, HttpOnly cookie names it. Missing or tampered → a new cart.
// The cookie is hono's signed-cookie format (`<value>.<base64 HMAC-SHA256>`, URI-encoded), signed and
// checked here with an HMAC key imported once per isolate instead of on every request.
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { newId } from '../lib/ids';

export const CART_COOKIE = 'cart';
const YEAR_SECONDS = 365 * 24 * 60 * 60;
const HMAC = { name: 'HMAC', hash: 'SHA-256' } as const;

/** The imported key for the last secret seen (one secret per deployment; a rotated one replaces it). */
let cachedKey: { secret: string; key: Promise<CryptoKey> } | null = null;

function hmacKey(secret: string): Promise<CryptoKey> {
  if (cachedKey?.secret !== secret) {
    const key = crypto.subtle.importKey('raw', new TextEncoder().encode(secret), HMAC, false, [
      'sign',
      'verify',
    ]);
    // A failed import is not kept: the next request tries again.
    key.catch(() => {
      if (cachedKey?.key === key) cachedKey = null;
    });
    cachedKey = { secret, key };
  }
  return cachedKey.key;
}

/** True when the request is served on localhost, where cookies can't be Secure over http. */
function isLocalhost(url: string): boolean {
  const { hostname } = new URL(url);
  return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]';
}

/** The value of a signed cookie whose signature checks out, else null (same rules as hono's getSignedCookie). */
async function verifiedValue(signed: string | undefined, secret: string): Promise<string | null> {
  if (!signed) return null;
  const dot = signed.lastIndexOf('.');
  if (dot < 0) return null;
  const value = signed.slice(0, dot);
  const signature = signed.slice(dot + 1);
  if (signature.length !== 44 || !signature.endsWith('=')) return null;
  try {
    const bin = atob(signature);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    const ok = await crypto.subtle.verify(
      HMAC,
      await hmacKey(secret),
      bytes,
      new TextEncoder().encode(value),
    );
    return ok ? value : null;
  } catch {
    return null;
  }
}

async function sign(value: string, secret: string): Promise<string> {
  const mac = await crypto.subtle.sign(HMAC, await hmacKey(secret), new TextEncoder().encode(value));
  return btoa(String.fromCharCode(...new Uint8Array(mac)));
}

/** The visitor's cart id if the request carries a valid signed cookie, else null. Never sets anything. */
export async function readCartId(c: Context<{ Bindings: Env }>): Promise<string | null> {
  const value = await verifiedValue(getCookie(c, CART_COOKIE), c.env.COOKIE_SECRET);
  return value !== null && /^cart_[a-z2-7]{24}$/.test(value) ? value : null;
}

/**
 * The visitor's cart id, creating one (and setting the cookie on the response) when the cookie is
 * missing or fails its signature check. A tampered cookie is not an error: it just starts afresh.
 */
export async function ensureCartId(c: Context<{ Bindings: Env }>): Promise<string> {
  return (await ensureCart(c)).id;
}

/**
 * Like `ensureCartId`, and says whether the cart was just created: a new cart is known to be empty,
 * so callers can answer without waking its Durable Object.
 */
export async function ensureCart(c: Context<{ Bindings: Env }>): Promise<{ id: string; created: boolean }> {
  const existing = await readCartId(c);
  if (existing) return { id: existing, created: false };
  const id = newId('cart');
  setCookie(c, CART_COOKIE, `${id}.${await sign(id, c.env.COOKIE_SECRET)}`, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: !isLocalhost(c.req.url),
    maxAge: YEAR_SECONDS,
  });
  return { id, created: true };
}
