// One drizzle client per D1 binding for the hot paths (cart, catalog pages). Building a client is not
// free: drizzle walks the whole schema to set up its relational queries, on every getDb() call.
import { getDb, type Db } from '../db/client';

const clients = new WeakMap<D1Database, Db>();

/** getDb(env), built once per D1 binding and reused by later requests in this isolate. */
export function sharedDb(env: Pick<Env, 'DB'>): Db {
  let db = clients.get(env.DB);
  if (!db) {
    db = getDb(env);
    clients.set(env.DB, db);
  }
  return db;
}
