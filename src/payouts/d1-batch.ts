// One D1 transaction from conditional SQL. drizzle's batch can't run raw `sql` statements (it looks
// for a prepared statement they don't have), so these are compiled here and sent to D1's own batch.
import { is, SQL } from 'drizzle-orm';
import { SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core';

/** A raw `sql` statement or a drizzle query builder (anything with toSQL()). */
export type Statement = SQL | { toSQL(): { sql: string; params: unknown[] } };

const dialect = new SQLiteAsyncDialect();

/** Runs the statements as one D1 batch (all or nothing, in order); D1's results, one per statement. */
export async function runBatch(d1: D1Database, statements: readonly Statement[]): Promise<D1Result[]> {
  if (statements.length === 0) return [];
  const prepared = statements.map((s) => {
    const q = is(s, SQL) ? dialect.sqlToQuery(s) : s.toSQL();
    return d1.prepare(q.sql).bind(...q.params);
  });
  return d1.batch(prepared);
}

/** Rows a statement changed, from its D1 result. */
export function changes(result: D1Result | undefined): number {
  return result?.meta?.changes ?? 0;
}
