// The drizzle client over the DB binding. Every domain module gets its database through here.
import { drizzle } from 'drizzle-orm/d1';
import * as schema from './schema';

export type Db = ReturnType<typeof build>;

function build(binding: D1Database) {
  return drizzle(binding, { schema });
}

// Building a client is not free (drizzle walks the whole schema for its relational queries), so one
// client per D1 binding is kept for the life of the isolate.
const clients = new WeakMap<D1Database, Db>();

/** The drizzle client for this environment's D1 binding, built once per binding per isolate. */
export function getDb(env: Pick<Env, 'DB'>): Db {
  let db = clients.get(env.DB);
  if (!db) {
    db = build(env.DB);
    clients.set(env.DB, db);
  }
  return db;
}

export { schema };
