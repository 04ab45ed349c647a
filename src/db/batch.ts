// One D1 batch (one transaction) from drizzle statements, run on the D1 binding itself: drizzle's own
// batch can't run raw `sql` statements nor bind the parameters of raw `db.run(sql)` items (they have
// no prepared statement), and the conditional SQL of the order, stock, payout and store rules needs
// raw statements beside builder ones.
import { is, SQL } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core';
import type { Db } from './client';

type Query = { sql: string; params: unknown[] };

/** A raw `sql` statement, a raw `db.run(sql)` item or a drizzle query builder. */
export type Statement = SQL | BatchItem<'sqlite'>;

const dialect = new SQLiteAsyncDialect();

/** The SQL and parameters of a raw `sql` statement, a builder (`toSQL`) or a `db.run(sql)` item (`getQuery`). */
function queryOf(statement: Statement): Query {
  if (is(statement, SQL)) return dialect.sqlToQuery(statement);
  const q = statement as unknown as { toSQL?: () => Query; getQuery?: () => Query };
  if (typeof q.toSQL === 'function') return q.toSQL();
  if (typeof q.getQuery === 'function') return q.getQuery();
  throw new TypeError('not a drizzle statement');
}

// D1 binds numbers, strings, null and bytes; booleans are stored as 0/1 like drizzle does.
const bindable = (v: unknown) => (typeof v === 'boolean' ? (v ? 1 : 0) : v === undefined ? null : v);

/** Runs the statements as one D1 batch (all or nothing, in order); D1's results, one per statement. */
export async function runBatch(db: Db, statements: readonly Statement[]): Promise<D1Result[]> {
  if (statements.length === 0) return [];
  const d1 = db.$client;
  return d1.batch(
    statements.map((s) => {
      const { sql, params } = queryOf(s);
      return d1.prepare(sql).bind(...params.map(bindable));
    }),
  );
}

/** Rows a statement changed, from its D1 result (`meta.changes`). */
export function changes(result: unknown): number {
  const meta = (result as { meta?: { changes?: number } } | undefined)?.meta;
  return meta?.changes ?? 0;
}
