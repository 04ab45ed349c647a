// Who the signed-in shopper is: a signed, HttpOnly, SameSite=Lax cookie naming a normalised e-mail and
// its own expiry (signed cookies have none). Read by the account pages, the order page and checkout.
import type { Context } from 'hono';
import {
  clearCookie,
  readSignedCookie,
  SHOPPER_COOKIE,
  shopperCookieSecret,
  unexpiredSubject,
  writeSignedCookie,
} from './cookies';
import { fromBase64Url, toBase64Url } from './crypto';
import { nowSeconds } from './time';

/** How long a shopper stays signed in. */
const SHOPPER_SESSION_SECONDS = 30 * 24 * 60 * 60;

type Ctx = Context<{ Bindings: Env }>;

/** Signs the browser in as the shopper with this (normalised) e-mail. */
export async function startShopperSession(c: Ctx, email: string): Promise<void> {
  const subject = toBase64Url(new TextEncoder().encode(email));
  await writeSignedCookie(
    c,
    SHOPPER_COOKIE,
    `${subject}.${nowSeconds() + SHOPPER_SESSION_SECONDS}`,
    shopperCookieSecret(c.env),
    { path: '/', sameSite: 'Lax', maxAge: SHOPPER_SESSION_SECONDS },
  );
}

/** Signs the shopper out. */
export function endShopperSession(c: Ctx): void {
  clearCookie(c, SHOPPER_COOKIE, '/');
}

/** The e-mail of a valid, unexpired shopper session, else null. */
export async function readShopperSession(c: Ctx): Promise<string | null> {
  if (!c.env.COOKIE_SECRET) return null;
  const value = await readSignedCookie(c, SHOPPER_COOKIE, shopperCookieSecret(c.env));
  const subject = unexpiredSubject(value, /^[A-Za-z0-9_-]{1,400}$/);
  if (!subject) return null;
  try {
    const email = new TextDecoder().decode(fromBase64Url(subject));
    return email.includes('@') ? email : null;
  } catch {
    return null;
  }
}
