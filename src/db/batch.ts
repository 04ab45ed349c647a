// One D1 batch (one transaction) from drizzle statements, run on the D1 binding itself: drizzle's own
// batch can't run raw `sql` statements nor bind the parameters of raw `db.run(sql)` items (they have
// no prepared statement), and the conditional SQL of the order, stock, payout and store rules needs
// raw statements beside builder ones. Independent reads go together the same way (`readTogether`).
import { getTableColumns, is, SQL, type Table } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core';
import type { Db } from './client';

/** SQL text and its parameters, as sent to D1. */
type Query = { sql: string; params: unknown[] };

/** A raw `sql` statement, a raw `db.run(sql)` item or a drizzle query builder. */
export type Statement = SQL | BatchItem<'sqlite'>;

const dialect = new SQLiteAsyncDialect();

/**
 * The SQL and parameters of a raw `sql` statement, a builder (`toSQL`), a `db.run(sql)` item (`getQuery`),
 * or SQL text with its parameters as it is.
 */
function queryOf(statement: Statement | Query): Query {
  if (is(statement, SQL)) return dialect.sqlToQuery(statement);
  if (typeof (statement as Query).sql === 'string') return statement as Query;
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

/**
 * A read that can be sent alone or in one D1 round trip with others (`readTogether`): its SQL and
 * parameters (null when the answer is known without D1), and how its rows (D1's objects, keyed by column
 * name or alias) become its value.
 */
export interface Read<T> {
  query: Statement | Query | null;
  value: (rows: Record<string, unknown>[]) => T;
}

type Values<R extends readonly Read<unknown>[]> = {
  -readonly [K in keyof R]: R[K] extends Read<infer T> ? T : never;
};

/**
 * Runs independent reads in one D1 round trip: a lone statement as itself, several as one batch (a read-only
 * transaction, so they also see one state of the database). Each read gets its own rows back.
 */
export async function readTogether<const R extends readonly Read<unknown>[]>(
  db: Db,
  reads: R,
): Promise<Values<R>> {
  const d1 = db.$client;
  const sent = reads.flatMap((r, i) => (r.query ? [{ i, ...queryOf(r.query) }] : []));
  const rows: Record<string, unknown>[][] = reads.map(() => []);
  if (sent.length === 1) {
    const only = sent[0]!;
    rows[only.i] = (
      await d1
        .prepare(only.sql)
        .bind(...only.params.map(bindable))
        .all()
    ).results;
  } else if (sent.length > 1) {
    const results = await d1.batch(sent.map((s) => d1.prepare(s.sql).bind(...s.params.map(bindable))));
    sent.forEach((s, k) => (rows[s.i] = results[k]!.results as Record<string, unknown>[]));
  }
  return reads.map((r, i) => r.value(rows[i]!)) as Values<R>;
}

/**
 * A table's row as drizzle would give it, from a D1 object of `SELECT *` on that table: each column read
 * by its SQL name and decoded by its own mode (booleans, JSON).
 */
export function tableRowOf<T extends Table>(table: T, raw: Record<string, unknown>): T['$inferSelect'] {
  const row: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const value = raw[column.name];
    row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return row;
}
