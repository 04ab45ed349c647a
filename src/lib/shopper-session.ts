// Who the signed-in shopper is: a signed, HttpOnly, SameSite=Lax cookie naming a normalised e-mail and
// its own expiry (signed cookies have none). Read by the account pages, the order page and checkout.
import type { Context } from 'hono';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';

export const SHOPPER_COOKIE = 'shopper';
/** How long a shopper stays signed in. */
export const SHOPPER_SESSION_SECONDS = 30 * 24 * 60 * 60;

type Ctx = Context<{ Bindings: Env }>;

const now = () => Math.floor(Date.now() / 1000);

/** A key of its own: a cart or vendor cookie's signature can never pass as a shopper session. */
const secret = (env: Env) => `${env.COOKIE_SECRET}:shopper-session`;

/** True for the local dev and test hosts, where the cookie can't be Secure (plain http). */
export function isLocalhost(url: string): boolean {
  const { hostname } = new URL(url);
  return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]';
}

const encode = (s: string) =>
  btoa(String.fromCharCode(...new TextEncoder().encode(s)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

function decode(s: string): string | null {
  try {
    const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
    return new TextDecoder().decode(Uint8Array.from(bin, (ch) => ch.charCodeAt(0)));
  } catch {
    return null;
  }
}

/** Signs the browser in as the shopper with this (normalised) e-mail. */
export async function startShopperSession(c: Ctx, email: string): Promise<void> {
  await setSignedCookie(
    c,
    SHOPPER_COOKIE,
    `${encode(email)}.${now() + SHOPPER_SESSION_SECONDS}`,
    secret(c.env),
    {
      path: '/',
      httpOnly: true,
      sameSite: 'Lax',
      secure: !isLocalhost(c.req.url),
      maxAge: SHOPPER_SESSION_SECONDS,
    },
  );
}

/** Signs the shopper out. */
export function endShopperSession(c: Ctx): void {
  deleteCookie(c, SHOPPER_COOKIE, { path: '/', secure: !isLocalhost(c.req.url) });
}

/** The e-mail of a valid, unexpired shopper session, else null. */
export async function readShopperSession(c: Ctx): Promise<string | null> {
  if (!c.env.COOKIE_SECRET) return null;
  const value = await getSignedCookie(c, secret(c.env), SHOPPER_COOKIE);
  if (typeof value !== 'string') return null;
  const match = /^([A-Za-z0-9_-]{1,400})\.(\d{1,12})$/.exec(value);
  if (!match || Number(match[2]) < now()) return null;
  const email = decode(match[1]!);
  return email && email.includes('@') ? email : null;
}
