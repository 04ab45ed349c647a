// Vendor sign-in without passwords: a one-time link e-mailed through notifications (only its SHA-256 is
// stored), then a signed, HttpOnly session cookie naming the store.
import type { Context, MiddlewareHandler } from 'hono';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { StoreRow } from '../catalog/stores';
import { getDb, schema, rowById, firstRow } from '../db/client';
import {
  clearCookie,
  VENDOR_COOKIE,
  vendorCookieSecret,
  vendorSessionStoreId,
  writeSignedCookie,
} from '../lib/cookies';
import { toBase64Url } from '../lib/crypto';
import { UnauthorizedError } from '../lib/errors';
import { wantsHtml } from '../lib/http';
import { sha256Hex } from '../lib/ids';
import { nowSeconds as now } from '../lib/time';
import { dispatchMessages, queueVendorSignIn } from '../notifications';
import { enforceLimits, type RateLimit } from '../db/rate-limit';

/** How long a session lasts: the signed value carries its own expiry (signed cookies have none). */
const SESSION_SECONDS = 7 * 24 * 60 * 60;
/** How long a sign-in link works. */
const LOGIN_TOKEN_SECONDS = 20 * 60;

export type VendorEnv = { Bindings: Env; Variables: { store: StoreRow } };

/** Signs the browser in as the vendor of `storeId`. */
export async function startVendorSession<E extends { Bindings: Env }>(
  c: Context<E>,
  storeId: string,
): Promise<void> {
  await writeSignedCookie(
    c,
    VENDOR_COOKIE,
    `${storeId}.${now() + SESSION_SECONDS}`,
    vendorCookieSecret(c.env),
    {
      path: '/',
      sameSite: 'Lax',
      maxAge: SESSION_SECONDS,
    },
  );
}

/** Signs the vendor out. */
export function endVendorSession<E extends { Bindings: Env }>(c: Context<E>): void {
  clearCookie(c, VENDOR_COOKIE, '/');
}

/** Middleware: the signed-in vendor's store in `c.var.store`; browsers without one go to the sign-in page. */
export const requireVendor: MiddlewareHandler<VendorEnv> = async (c, next) => {
  const storeId = await vendorSessionStoreId(c);
  const store = storeId ? await rowById(getDb(c.env), schema.stores, storeId) : undefined;
  if (!store) {
    if (c.req.method === 'GET' && wantsHtml(c)) return c.redirect('/vendor/login', 303);
    throw new UnauthorizedError('Sign in as a vendor to continue.');
  }
  c.set('store', store);
  await next();
};

function randomToken(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
}

/** At most 5 links per address and 20 requests per IP an hour (as for shoppers). */
const LOGIN_LIMITS = {
  perIp: { scope: 'vendor-login:ip', limit: 20, windowSeconds: 3600 },
  perAddress: { scope: 'vendor-login:email', limit: 5, windowSeconds: 3600 },
} as const satisfies Record<string, RateLimit>;

/**
 * Queues a sign-in link for every store whose account e-mail is `email`. Says nothing about whether
 * any matched (the page answers the same either way). The link is absolute from PUBLIC_URL, never from
 * the request; in development it arrives in the mail catcher at /__mail.
 */
export async function requestLoginLinks(env: Env, email: string, ip: string): Promise<number> {
  const db = getDb(env);
  // Known and unknown addresses count alike, so the limit says nothing about who sells here.
  await enforceLimits(
    db,
    [
      [LOGIN_LIMITS.perIp, ip],
      [LOGIN_LIMITS.perAddress, email.toLowerCase()],
    ],
    'sign-in requests',
  );
  const stores = await db
    .select()
    .from(schema.stores)
    .where(
      and(sql`lower(${schema.stores.email}) = ${email.toLowerCase()}`, isNull(schema.stores.deauthorizedAt)),
    );
  for (const store of stores) {
    const token = randomToken();
    await db.batch([
      db.insert(schema.vendorLoginTokens).values({
        tokenHash: await sha256Hex(token),
        storeId: store.id,
        expiresAt: now() + LOGIN_TOKEN_SECONDS,
      }),
      queueVendorSignIn(db, {
        to: store.email!,
        storeName: store.name,
        path: `/vendor/login/${token}`,
        minutes: LOGIN_TOKEN_SECONDS / 60,
      }),
    ]);
  }
  if (stores.length > 0) await dispatchMessages(env);
  return stores.length;
}

/** True when `token` is shaped like one of ours (saves a query for junk). */
function looksLikeToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}

/** The store of a valid, unused, unexpired token, without using it (the confirmation page). */
export async function peekLoginToken(env: Env, token: string): Promise<StoreRow | null> {
  if (!looksLikeToken(token)) return null;
  const db = getDb(env);
  const row = await firstRow(
    db,
    schema.vendorLoginTokens,
    and(
      eq(schema.vendorLoginTokens.tokenHash, await sha256Hex(token)),
      isNull(schema.vendorLoginTokens.usedAt),
      gt(schema.vendorLoginTokens.expiresAt, now()),
    ),
  );
  if (!row) return null;
  return (await rowById(db, schema.stores, row.storeId)) ?? null;
}

/** Uses a token (once: a conditional update, so two clicks can't both sign in). Returns the store id. */
export async function consumeLoginToken(env: Env, token: string): Promise<string | null> {
  if (!looksLikeToken(token)) return null;
  const db = getDb(env);
  const [row] = await db
    .update(schema.vendorLoginTokens)
    .set({ usedAt: now() })
    .where(
      and(
        eq(schema.vendorLoginTokens.tokenHash, await sha256Hex(token)),
        isNull(schema.vendorLoginTokens.usedAt),
        gt(schema.vendorLoginTokens.expiresAt, now()),
      ),
    )
    .returning({ storeId: schema.vendorLoginTokens.storeId });
  return row?.storeId ?? null;
}
