// Catalog reads through D1's Sessions API, so D1 may answer them from a read replica near the request,
// and the bookmark cookie that gives a vendor or operator who just wrote their own write back on their
// next page (read-your-writes). Writes, carts, checkout, orders and payments keep the plain binding,
// which always runs on the primary.
// https://developers.cloudflare.com/d1/best-practices/read-replication/ (withSession, bookmarks)
import type { Context, MiddlewareHandler } from 'hono';
import { DrizzleD1Database, SQLiteD1Session } from 'drizzle-orm/d1';
import {
  BOOKMARK_COOKIE,
  bookmarkCookieSecret,
  hasAdminSession,
  readSignedCookie,
  vendorSessionStoreId,
  writeSignedCookie,
} from '../lib/cookies';
import { getDb, type Db } from './client';

/**
 * How long a bookmark cookie lives. Replicas normally trail the primary by well under a second; a few
 * minutes covers a lagging one, and after that the vendor reads like everyone else.
 */
const BOOKMARK_MAX_AGE_S = 300;

/**
 * What a bookmark may look like before it is handed to D1: D1's are hex groups separated by dashes
 * (`0000007b-0000b26e-00001538-0c3e87bb…`, about 60 characters). Anything else, or longer, is ignored.
 */
const BOOKMARK_SHAPE = /^[0-9a-f]{1,16}(?:-[0-9a-f]{1,64}){1,7}$/i;
const BOOKMARK_MAX_LENGTH = 128;

/** True when `value` has the shape of a D1 bookmark (and a sane length). */
function isBookmark(value: string | null | undefined): value is string {
  return !!value && value.length <= BOOKMARK_MAX_LENGTH && BOOKMARK_SHAPE.test(value);
}

/**
 * A drizzle client over a D1 session. drizzle 0.45's D1 driver only calls `prepare` and `batch` on
 * its client, which a D1DatabaseSession has; the schema's relational config is reused from the
 * isolate's primary client instead of being rebuilt (the costly part of `drizzle()`) per request.
 */
function sessionClient(env: Pick<Env, 'DB'>, session: D1DatabaseSession): Db {
  const base = getDb(env);
  const client = session as unknown as D1Database;
  const relational = base._.schema
    ? { fullSchema: base._.fullSchema, schema: base._.schema, tableNamesMap: base._.tableNamesMap }
    : undefined;
  const dialect = (base as unknown as { dialect: ConstructorParameters<typeof SQLiteD1Session>[1] }).dialect;
  const db = new DrizzleD1Database(
    'async',
    dialect,
    new SQLiteD1Session(client, dialect, relational),
    relational,
  );
  return Object.assign(db, { $client: client }) as Db;
}

/** One session per request: every catalog read of a page sees the same (or a later) database state. */
const sessions = new WeakMap<Request, Db>();

/**
 * The drizzle client for this request's catalog reads: a D1 session that starts from the visitor's
 * bookmark cookie (a vendor or operator who just wrote), else `first-unconstrained` (any replica).
 * A cookie that is forged, tampered with or not shaped like a bookmark is ignored.
 */
export async function readDb<E extends { Bindings: Env }>(c: Context<E>): Promise<Db> {
  const known = sessions.get(c.req.raw);
  if (known) return known;
  const bookmark = await bookmarkFromCookie(c);
  const db = sessionClient(c.env, c.env.DB.withSession(bookmark ?? 'first-unconstrained'));
  sessions.set(c.req.raw, db);
  return db;
}

/** The bookmark in a valid, signed bookmark cookie, else null. Costs nothing when there is no cookie. */
async function bookmarkFromCookie<E extends { Bindings: Env }>(c: Context<E>): Promise<string | null> {
  if (!c.req.header('cookie')?.includes(`${BOOKMARK_COOKIE}=`)) return null;
  const value = await readSignedCookie(c, BOOKMARK_COOKIE, bookmarkCookieSecret(c.env));
  return isBookmark(value) ? value : null;
}

/**
 * Middleware for the vendor and operator areas: after a write that succeeded (any method but GET, HEAD
 * or OPTIONS, answered below 400) by a signed-in vendor or operator, sets the bookmark cookie to the
 * primary's state as of now, so their next catalog page starts its session there and shows the write.
 * The bookmark comes from one trivial query in a `first-primary` session: the write went through the
 * plain binding (the primary), so that query runs after it there.
 */
export const rememberWrites: MiddlewareHandler<{ Bindings: Env }> = async (c, next) => {
  await next();
  const method = c.req.method;
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS' || c.res.status >= 400) return;
  if ((await vendorSessionStoreId(c)) === null && !(await hasAdminSession(c))) return;
  const session = c.env.DB.withSession('first-primary');
  await session.prepare('select 1').run();
  const bookmark = session.getBookmark();
  if (!isBookmark(bookmark)) return;
  await writeSignedCookie(c, BOOKMARK_COOKIE, bookmark, bookmarkCookieSecret(c.env), {
    path: '/',
    sameSite: 'Lax',
    maxAge: BOOKMARK_MAX_AGE_S,
  });
};
