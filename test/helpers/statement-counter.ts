// Counts what the Worker asks of the platform while a test runs: D1 statements (reads and writes, with
// D1's own `meta.rows_read` / `rows_written`), D1 round trips, Durable Object calls and queue messages.
// The Worker runs in the test's isolate, so wrapping the bindings' prototypes here sees its calls, the
// cart object's and the queue consumers' alike. Statements carrying PROBE (the test's own polling)
// are not counted.

/** A SQL comment that keeps a test's own query out of the counts. */
export const PROBE = '/* statement-counter:probe */';

export interface Counts {
  /** Calls to D1 (a batch is one). */
  d1RoundTrips: number;
  /** Of those, the calls with at least one write (a batch of writes is one transaction). */
  d1WriteTrips: number;
  d1Reads: number;
  d1Writes: number;
  rowsRead: number;
  rowsWritten: number;
  /** RPC calls (and fetches) on Durable Object stubs. */
  doCalls: number;
  queueMessages: number;
}

const zero = (): Counts => ({
  d1RoundTrips: 0,
  d1WriteTrips: 0,
  d1Reads: 0,
  d1Writes: 0,
  rowsRead: 0,
  rowsWritten: 0,
  doCalls: 0,
  queueMessages: 0,
});

let current = zero();

/** The counts since the last reset, and a fresh start. */
export function takeCounts(): Counts {
  const taken = current;
  current = zero();
  return taken;
}

type Meta = { rows_read?: number; rows_written?: number };
type Result = { meta?: Meta };
type Method = (this: unknown, ...args: unknown[]) => Promise<unknown>;

const WRITE = /^\s*(?:insert|update|delete|replace)\b/i;

function record(sqls: string[], results: unknown): void {
  if (sqls.length === 0 || sqls.every((s) => s.includes(PROBE))) return;
  current.d1RoundTrips++;
  if (sqls.some((sql) => WRITE.test(sql))) current.d1WriteTrips++;
  for (const sql of sqls) {
    if (WRITE.test(sql)) current.d1Writes++;
    else current.d1Reads++;
  }
  for (const r of (Array.isArray(results) ? results : [results]) as Result[]) {
    current.rowsRead += r.meta?.rows_read ?? 0;
    current.rowsWritten += r.meta?.rows_written ?? 0;
  }
}

/** Replaces `proto[name]` with `wrap(original)`; returns the undo. */
function patch(proto: object, name: string, wrap: (original: Method) => Method): () => void {
  const descriptor = Object.getOwnPropertyDescriptor(proto, name);
  const original = descriptor?.value as Method | undefined;
  if (!original) return () => {};
  Object.defineProperty(proto, name, { ...descriptor, value: wrap(original) });
  return () => Object.defineProperty(proto, name, descriptor!);
}

/** Counts every RPC call and fetch made through `stub`. */
function countingStub<T extends object>(stub: T): T {
  return new Proxy(stub, {
    get(target, property) {
      const value = Reflect.get(target, property) as unknown;
      if (typeof value !== 'function' || typeof property !== 'string' || property === 'then') return value;
      return (...args: unknown[]) => {
        current.doCalls++;
        return Reflect.apply(value as (...a: unknown[]) => unknown, target, args);
      };
    },
  });
}

/**
 * Starts counting on the bindings of `env` (D1 `DB`, the `CART` namespace, the queues); returns the undo.
 * D1 calls are counted where the binding sends them (`_sendOrThrow` / `_queryOrThrow` of its session
 * class, which both the plain binding and `withSession` use), so `first()` and `raw()` count too.
 */
export function startCounting(env: Env): () => void {
  const undo: (() => void)[] = [];
  // The plain binding's always-primary session and withSession's: patch where the methods live, once.
  const seen = new Set<object>();
  const sessions = [
    (env.DB as unknown as { alwaysPrimarySession?: object }).alwaysPrimarySession,
    env.DB.withSession('first-primary'),
  ];
  for (const session of sessions) {
    let proto = session ? (Object.getPrototypeOf(session) as object | null) : null;
    while (proto && proto !== Object.prototype && !seen.has(proto)) {
      seen.add(proto);
      patchSession(proto);
      proto = Object.getPrototypeOf(proto) as object | null;
    }
  }
  function patchSession(proto: object) {
    undo.push(
      patch(
        proto,
        '_sendOrThrow',
        (original) =>
          async function (this: unknown, ...args: unknown[]) {
            const result = await original.apply(this, args);
            record(Array.isArray(args[1]) ? (args[1] as string[]) : [String(args[1])], result);
            return result;
          },
      ),
      patch(
        proto,
        '_queryOrThrow',
        (original) =>
          async function (this: unknown, ...args: unknown[]) {
            const result = await original.apply(this, args);
            const queries = (args[0] as { queries?: { sql: string }[] } | undefined)?.queries ?? [];
            record(
              queries.map((q) => q.sql),
              result,
            );
            return result;
          },
      ),
    );
  }
  const namespaceProto = Object.getPrototypeOf(env.CART) as object;
  for (const name of ['get', 'getByName'])
    undo.push(
      patch(
        namespaceProto,
        name,
        (original) =>
          function (this: unknown, ...args: unknown[]) {
            return countingStub((original as unknown as (...a: unknown[]) => object).apply(this, args));
          } as unknown as Method,
      ),
    );
  const queueProto = Object.getPrototypeOf(env.PAYOUTS) as object;
  undo.push(
    patch(
      queueProto,
      'send',
      (original) =>
        function (this: unknown, ...args: unknown[]) {
          current.queueMessages++;
          return original.apply(this, args);
        },
    ),
    patch(
      queueProto,
      'sendBatch',
      (original) =>
        function (this: unknown, ...args: unknown[]) {
          current.queueMessages += (args[0] as unknown[]).length;
          return original.apply(this, args);
        },
    ),
  );
  current = zero();
  return () => {
    for (const u of undo.reverse()) u();
  };
}
