// The drizzle client over the DB binding, and one-row reads. Every domain module gets its database through here.
import { eq, type SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
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

/**
 * The one row of `table` where `where` holds (the first, if several do), or undefined: a one-row read by a
 * condition, through drizzle's core select (its relational `findFirst` costs more to build per call).
 */
export function firstRow<T extends SQLiteTable>(
  db: Db,
  table: T,
  where: SQL | undefined,
): Promise<T['$inferSelect'] | undefined> {
  return db
    .select()
    .from(table as SQLiteTable)
    .where(where)
    .limit(1)
    .get();
}

/** The row of `table` whose `id` is `id` (a text id, or an integer one), or undefined. */
export function rowById<T extends SQLiteTable & { id: SQLiteColumn }>(
  db: Db,
  table: T,
  id: string | number,
): Promise<T['$inferSelect'] | undefined> {
  return firstRow(db, table, eq(table.id, id));
}
