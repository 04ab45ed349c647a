// Which cart is this visitor's: a signed, HttpOnly cookie names it. Missing or tampered → a new cart.
import type { Context } from 'hono';
import { CART_COOKIE, cartCookieSecret, readSignedCookie, writeSignedCookie } from '../lib/cookies';
import { newId } from '../lib/ids';

const YEAR_SECONDS = 365 * 24 * 60 * 60;

/** The visitor's cart id if the request carries a valid signed cookie, else null. Never sets anything. */
export async function readCartId(c: Context<{ Bindings: Env }>): Promise<string | null> {
  const value = await readSignedCookie(c, CART_COOKIE, cartCookieSecret(c.env));
  return value !== null && /^cart_[a-z2-7]{24}$/.test(value) ? value : null;
}

/**
 * The visitor's cart id, creating one (and setting the cookie on the response) when the cookie is
 * missing or fails its signature check (a tampered cookie is not an error: it just starts afresh).
 * Says whether the cart was just created: a new cart is known to be empty, so callers can answer
 * without waking its Durable Object.
 */
export async function ensureCart(c: Context<{ Bindings: Env }>): Promise<{ id: string; created: boolean }> {
  const existing = await readCartId(c);
  if (existing) return { id: existing, created: false };
  const id = newId('cart');
  await writeSignedCookie(c, CART_COOKIE, id, cartCookieSecret(c.env), {
    path: '/',
    sameSite: 'Lax',
    maxAge: YEAR_SECONDS,
  });
  return { id, created: true };
}
