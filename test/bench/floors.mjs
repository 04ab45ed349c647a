// The bench's floor routes, built into the bench's own entry (run.mjs wraps the production bundle with it;
// none of this is in the app). A floor is what a route's I/O costs in this runtime with none of the app's
// work around it:
//
//   GET /__bench/ok                 the bare route: "ok" from the same Worker and isolate
//   GET /__bench/d1, /d1-session    one `select 1` round trip to local D1 (plain, or in a session)
//   GET /__bench/do                 one call to a cart object that reads and writes nothing
//   GET /__bench/do-write           one call to a cart object that writes one line and its meta row in a
//                                   transaction, as a cart change does
//   GET /__bench/stripe             one call to the Stripe emulator (GET /v1/account, the platform's) through the app's binding
//   GET /__bench/replay/:key        the D1 calls a route made, captured from the route itself (below) and
//                                   sent again as they were made (a batch as a batch, in a session when the
//                                   route used one), same SQL and same parameters, so the same rows: local D1's
//                                   work for this route's reads, without parsing, pricing or rendering
//
// Capturing: `POST /__bench/capture/:key` with `{ path, headers }` runs that request through the app with a
// D1 binding that records each call; `POST /__bench/capture-cart/:key` with `{ cartId, op, productId }` has a
// cart object record the D1 calls of a view (`viewPricedJson`) or an add (`addItemPriced`), which it makes
// from inside the object. Captured calls live in this isolate's memory for the run.

/** @typedef {{ sql: string, params: unknown[] }} Statement */
/** @typedef {{ method: 'batch' | 'raw' | 'all' | 'first' | 'run', session: boolean, statements: Statement[] }} Call */

/** @type {Map<string, Call[]>} */
const captured = new Map();

/**
 * A D1 binding (or session) that records every call it sends into `calls` and otherwise behaves as the
 * real one: drizzle's D1 driver calls only `prepare`, `bind`, `raw`/`all`/`first`/`run` and `batch`.
 */
function recorder(client, calls, session = false) {
  const statement = (real, sql, params = []) => {
    const send =
      (method) =>
      (...args) => {
        calls.push({ method, session, statements: [{ sql, params }] });
        return real[method](...args);
      };
    return {
      real,
      sql,
      params,
      bind: (...values) => statement(real.bind(...values), sql, values),
      raw: send('raw'),
      all: send('all'),
      first: send('first'),
      run: send('run'),
    };
  };
  return {
    prepare: (sql) => statement(client.prepare(sql), sql),
    batch(statements) {
      calls.push({
        method: 'batch',
        session,
        statements: statements.map((s) => ({ sql: s.sql, params: s.params })),
      });
      return client.batch(statements.map((s) => s.real));
    },
    withSession: (constraint) => recorder(client.withSession(constraint), calls, true),
    getBookmark: () => client.getBookmark?.() ?? null,
    exec: (query) => client.exec(query),
  };
}

/** Sends the captured calls again, one after another, as they were made. Answers how many rows came back. */
async function replay(db, calls) {
  const session = calls.some((c) => c.session) ? db.withSession('first-unconstrained') : null;
  let rows = 0;
  for (const call of calls) {
    const client = call.session && session ? session : db;
    const bound = call.statements.map((s) => client.prepare(s.sql).bind(...s.params));
    if (call.method === 'batch') for (const r of await client.batch(bound)) rows += r.results?.length ?? 0;
    else if (call.method === 'raw') rows += (await bound[0].raw()).length;
    else if (call.method === 'all') rows += (await bound[0].all()).results.length;
    else if (call.method === 'first') rows += (await bound[0].first()) ? 1 : 0;
    else await bound[0].run();
  }
  return rows;
}

/** The cart object with the bench's extra methods (the floor's write, capturing its D1 calls). */
export function benchCartObject(Base) {
  return class CartObject extends Base {
    /** One line and the meta row written in a transaction: the storage work of a cart change. */
    async benchWrite() {
      const sql = this.ctx.storage.sql;
      // Tables made once per object, as the cart's own schema is.
      if (!this.benchTables) {
        sql.exec('CREATE TABLE IF NOT EXISTS bench_lines (id TEXT PRIMARY KEY, qty INTEGER NOT NULL)');
        sql.exec('CREATE TABLE IF NOT EXISTS bench_meta (id INTEGER PRIMARY KEY, version INTEGER NOT NULL)');
        this.benchTables = true;
      }
      this.ctx.storage.transactionSync(() => {
        sql.exec(
          `INSERT INTO bench_lines (id, qty) VALUES ('line', 1) ON CONFLICT (id) DO UPDATE SET qty = qty % 99 + 1`,
        );
        sql.exec(
          'INSERT INTO bench_meta (id, version) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET version = version + 1',
        );
      });
      return 'written';
    }

    /** The D1 calls this object makes for a view (`view`) or an add of `productId` (`add`). */
    async benchCapture(op, productId) {
      const env = this.env;
      /** @type {Call[]} */
      const calls = [];
      this.env = { ...env, DB: recorder(env.DB, calls) };
      try {
        if (op === 'add') await this.addItemPriced(productId, 1, '');
        else await this.viewPricedJson();
      } finally {
        this.env = env;
      }
      return calls;
    }
  };
}

/** The floor routes; null for any other request (it goes to the app). */
export function floorRoute(request, env, ctx, app) {
  const url = new URL(request.url);
  const p = url.pathname;
  if (!p.startsWith('/__bench/')) return null;
  if (p === '/__bench/ok') return new Response('ok');
  if (p === '/__bench/d1')
    return env.DB.prepare('select 1 as one')
      .first()
      .then((r) => new Response(String(r.one)));
  if (p === '/__bench/d1-session')
    return env.DB.withSession('first-unconstrained')
      .prepare('select 1 as one')
      .first()
      .then((r) => new Response(String(r.one)));
  if (p === '/__bench/do')
    return env.CART.getByName('bench-floor')
      .ping()
      .then((r) => new Response(r));
  if (p === '/__bench/do-write')
    return env.CART.getByName('bench-floor')
      .benchWrite()
      .then((r) => new Response(r));
  if (p === '/__bench/stripe')
    // A small Stripe call: the platform's account, through the binding the app's Stripe client uses.
    return env.STRIPE_EMULATOR.fetch('http://stripe-emulator.local/v1/account', {
      headers: { authorization: 'Bearer sk_test_emulator' },
    }).then(async (r) => new Response(String((await r.json()).object)));
  if (p.startsWith('/__bench/replay/')) {
    const calls = captured.get(p.slice('/__bench/replay/'.length));
    if (!calls) return new Response('nothing captured', { status: 404 });
    // With `do`, a call to a cart object first (a cart route's floor: the object, then its reads).
    const object = url.searchParams.get('do');
    const before =
      object === 'write'
        ? env.CART.getByName('bench-floor').benchWrite()
        : object === 'call'
          ? env.CART.getByName('bench-floor').ping()
          : Promise.resolve();
    return before.then(() => replay(env.DB, calls)).then((rows) => new Response(String(rows)));
  }
  if (request.method === 'POST' && p.startsWith('/__bench/capture/'))
    return request.json().then(async ({ path, headers }) => {
      /** @type {Call[]} */
      const calls = [];
      const res = await app.fetch(
        new Request(new URL(path, url), { headers }),
        { ...env, DB: recorder(env.DB, calls) },
        ctx,
      );
      await res.arrayBuffer();
      captured.set(p.slice('/__bench/capture/'.length), calls);
      return Response.json({ status: res.status, calls });
    });
  if (request.method === 'POST' && p.startsWith('/__bench/capture-cart/'))
    return request.json().then(async ({ cartId, op, productId }) => {
      const calls = await env.CART.getByName(cartId).benchCapture(op, productId);
      captured.set(p.slice('/__bench/capture-cart/'.length), calls);
      return Response.json({ status: 200, calls });
    });
  return null;
}
