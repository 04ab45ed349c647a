// One D1 batch (one transaction) from drizzle statements, run on the D1 binding itself: drizzle's own
// batch can't bind parameters of raw `db.run(sql)` items (they have no prepared statement), and the
// conditional SQL of the order and stock rules needs raw statements beside builder ones.
import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from '../db/client';

type Query = { sql: string; params: unknown[] };

/** The SQL and parameters of a builder (`toSQL`) or of a raw `db.run(sql)` item (`getQuery`). */
function queryOf(item: BatchItem<'sqlite'>): Query {
  const q = item as unknown as { toSQL?: () => Query; getQuery?: () => Query };
  if (typeof q.toSQL === 'function') return q.toSQL();
  if (typeof q.getQuery === 'function') return q.getQuery();
  throw new TypeError('not a drizzle statement');
}

// D1 binds numbers, strings, null and bytes; booleans are stored as 0/1 like drizzle does.
const bindable = (v: unknown) => (typeof v === 'boolean' ? (v ? 1 : 0) : v === undefined ? null : v);

/** Runs the statements as one D1 batch (all or nothing); each result carries `meta.changes`. */
export async function runBatch(db: Db, items: readonly BatchItem<'sqlite'>[]): Promise<D1Result[]> {
  const d1 = db.$client as D1Database;
  return d1.batch(
    items.map((item) => {
      const { sql, params } = queryOf(item);
      return d1.prepare(sql).bind(...params.map(bindable));
    }),
  );
}
