// CartObject: one SQLite-backed Durable Object per visitor's cart; the only writer of its cart.
// Every change runs synchronously on the object's single thread, so concurrent tabs can't lose one
// another's changes; each real change bumps `version`, re-arms the inactivity alarm and is pushed to
// every open tab over hibernating WebSockets.
import { DurableObject } from 'cloudflare:workers';
import { storeConfig } from '../lib/config';
import { lineCountProblem, noteProblem, normalizeNote, qtyProblem } from './rules';
import { changeAndPriceFrom, viewCart, type PricedAnswer, type PricedResult } from './service';
import type {
  CartFailure,
  CartFailureCode,
  CartLine,
  CartReplacement,
  CartResult,
  CartSocketMessage,
  CartState,
  LineLimit,
} from './types';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Reads push the inactivity deadline back at most once a day: a view is activity, but not worth a write each time. */
const TOUCH_EVERY_MS = DAY_MS;
/** Open tabs per cart; the oldest socket is closed beyond this. */
const MAX_SOCKETS = 32;
/** Purchases remembered for `clearAfterPurchase` idempotency. */
const PURCHASES_KEPT = 50;

type LineRow = {
  product_id: string;
  qty: number;
  note: string;
  seen_unit_amount: number;
  added_at: number;
};

export class CartObject extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  /** The cart as stored; loaded on first use. Only this object writes it, so the copy stays true. */
  private cached: CartState | null = null;
  private touchedAt = 0;
  /** When the inactivity alarm is set for (null: none; undefined: not read yet). */
  private alarmAt: number | null | undefined = undefined;
  private schemaReady = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    // Tabs keep their socket alive with "ping" without waking a hibernated object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('ping', 'pong'));
  }

  /** Liveness probe for /health; reads and writes nothing. */
  async ping(): Promise<'pong'> {
    return 'pong';
  }

  /** The cart as stored. A read counts as activity for the inactivity alarm (at most one write a day). */
  async getState(): Promise<CartState> {
    const state = this.load();
    if (state.version > 0 && Date.now() - this.touchedAt > TOUCH_EVERY_MS) await this.touch();
    return state;
  }

  /**
   * The cart priced from D1 here, as the JSON text GET /cart answers: the text crosses back to the route
   * cheaper than the cart's lines going out and its priced view being built and serialised there.
   */
  async viewPricedJson(): Promise<{ version: number; json: string }> {
    const state = await this.getState();
    const view = await viewCart(this.env, state.id, state);
    return { version: view.version, json: JSON.stringify(view) };
  }

  /**
   * Adds `qty` (1..99) units of a product, creating the line or growing it; a non-empty `note`
   * replaces the line's note. `seenUnitAmount` is the price the shopper saw, kept to report changes.
   * `limit` (from the catalog) refuses growing a line the product can't supply.
   */
  async addItem(
    productId: string,
    qty: number,
    note: string,
    seenUnitAmount: number,
    limit?: LineLimit,
  ): Promise<CartResult> {
    const state = this.load();
    const qtyError = qtyProblem(qty, 1);
    if (qtyError) return this.fail('invalid_qty', qtyError, 'qty');
    const noteError = noteProblem(note);
    if (noteError) return this.fail('invalid_note', noteError, 'note');
    const existing = state.lines.find((l) => l.productId === productId);
    if (!existing) {
      const countError = lineCountProblem(state.lines.length + 1);
      if (countError) return this.fail('too_many_lines', countError, 'productId');
    }
    const newQty = (existing?.qty ?? 0) + qty;
    const tooMany = qtyProblem(newQty, 1);
    if (tooMany)
      return this.fail(
        'invalid_qty',
        `Your cart already has ${existing?.qty ?? 0} of this product; a line holds at most 99.`,
        'qty',
      );
    const limitError = this.limitProblem(limit, existing?.qty ?? 0, newQty);
    if (limitError) return this.fail('unavailable', limitError, 'productId');

    const cleanNote = normalizeNote(note);
    const line: CartLine = existing
      ? { ...existing, qty: newQty, note: cleanNote || existing.note }
      : {
          productId,
          qty: newQty,
          note: cleanNote,
          seenUnitAmount: safeAmount(seenUnitAmount),
          addedAt: Date.now(),
        };
    const lines = existing
      ? state.lines.map((l) => (l.productId === productId ? line : l))
      : [...state.lines, line];
    return this.commit(lines);
  }

  /**
   * `addItem` with the product's limit and price read from D1 here, and the new cart priced from the
   * same read: the cart API's add in one call to this object (its lines are known here, so one query
   * covers the product and the rest of the cart). Changes made by other tabs while D1 answers are kept.
   */
  async addItemPriced(productId: string, qty: number, note: string): Promise<PricedAnswer> {
    return answerOf(
      await changeAndPriceFrom(this.env, this.load(), [productId], (limits) => {
        const limit = limits[productId]!;
        return this.addItem(productId, qty, note, limit.unitAmount ?? 0, limit);
      }),
    );
  }

  /** `setItem` with the limit read from D1 here and the new cart priced, like `addItemPriced`. */
  async setItemPriced(productId: string, patch: { qty?: number; note?: string }): Promise<PricedAnswer> {
    return answerOf(
      await changeAndPriceFrom(this.env, this.load(), [productId], (limits) => {
        const limit = limits[productId]!;
        return this.setItem(
          productId,
          {
            ...patch,
            // Changing the quantity on a page that shows today's price accepts that price.
            ...(patch.qty && limit.unitAmount !== undefined ? { seenUnitAmount: limit.unitAmount } : {}),
          },
          patch.qty ? limit : undefined,
        );
      }),
    );
  }

  /**
   * Sets a line's quantity (0 removes it) and/or note. Raising the quantity is checked against
   * `limit`; `seenUnitAmount` records that the shopper has now seen the current price.
   */
  async setItem(
    productId: string,
    patch: { qty?: number; note?: string; seenUnitAmount?: number },
    limit?: LineLimit,
  ): Promise<CartResult> {
    const state = this.load();
    const existing = state.lines.find((l) => l.productId === productId);
    if (patch.qty !== undefined) {
      const qtyError = qtyProblem(patch.qty, 0);
      if (qtyError) return this.fail('invalid_qty', qtyError, 'qty');
    }
    if (patch.note !== undefined) {
      const noteError = noteProblem(patch.note);
      if (noteError) return this.fail('invalid_note', noteError, 'note');
    }
    if (!existing) return this.fail('not_in_cart', 'That product is not in your cart.', 'productId');
    if (patch.qty === 0) return this.commit(state.lines.filter((l) => l.productId !== productId));
    const qty = patch.qty ?? existing.qty;
    const limitError = this.limitProblem(limit, existing.qty, qty);
    if (limitError) return this.fail('unavailable', limitError, 'qty');
    const line: CartLine = {
      ...existing,
      qty,
      note: patch.note !== undefined ? normalizeNote(patch.note) : existing.note,
      seenUnitAmount:
        patch.seenUnitAmount !== undefined ? safeAmount(patch.seenUnitAmount) : existing.seenUnitAmount,
    };
    return this.commit(state.lines.map((l) => (l.productId === productId ? line : l)));
  }

  /** Removes a line; removing a product that is not in the cart changes nothing. */
  async removeItem(productId: string): Promise<CartResult> {
    const state = this.load();
    return this.commit(state.lines.filter((l) => l.productId !== productId));
  }

  /**
   * Replaces the whole cart, only if it is still at `ifVersion` (optimistic concurrency: a tab that
   * read an older cart gets `stale_version` and the current cart instead of overwriting another
   * tab's change). A qty of 0 drops the line; a missing note keeps the line's note.
   */
  async replace(
    items: CartReplacement,
    ifVersion: number,
    seenUnitAmounts: Record<string, number>,
    limits: Record<string, LineLimit> = {},
  ): Promise<CartResult> {
    const state = this.load();
    const next: CartLine[] = [];
    const current = new Map(state.lines.map((l) => [l.productId, l]));
    for (const [productId, item] of Object.entries(items)) {
      const qtyError = qtyProblem(item.qty, 0);
      if (qtyError) return this.fail('invalid_qty', qtyError, `items.${productId}.qty`);
      if (item.note !== undefined) {
        const noteError = noteProblem(item.note);
        if (noteError) return this.fail('invalid_note', noteError, `items.${productId}.note`);
      }
      if (item.qty === 0) continue;
      const existing = current.get(productId);
      const limitError = this.limitProblem(limits[productId], existing?.qty ?? 0, item.qty);
      if (limitError) return this.fail('unavailable', limitError, `items.${productId}.qty`);
      next.push({
        productId,
        qty: item.qty,
        note: item.note !== undefined ? normalizeNote(item.note) : (existing?.note ?? ''),
        seenUnitAmount: existing?.seenUnitAmount ?? safeAmount(seenUnitAmounts[productId] ?? 0),
        addedAt: existing?.addedAt ?? Date.now(),
      });
    }
    const countError = lineCountProblem(next.length);
    if (countError) return this.fail('too_many_lines', countError, 'items');
    if (ifVersion !== state.version)
      return this.fail(
        'stale_version',
        `The cart changed since version ${ifVersion}; it is now at version ${state.version}.`,
      );
    // Lines already in the cart keep their place; new ones follow in the order given.
    const order = new Map(state.lines.map((l, i) => [l.productId, i]));
    next.sort((a, b) => (order.get(a.productId) ?? Infinity) - (order.get(b.productId) ?? Infinity));
    return this.commit(next);
  }

  /**
   * Holds a discount code (normalised; `null` removes it). The object only keeps it: every read prices
   * it against D1 again. A change bumps the version and is pushed to every open tab like any other.
   */
  async setDiscountCode(code: string | null): Promise<CartState> {
    const state = this.load();
    const wanted = code ?? undefined;
    if (state.discountCode === wanted) return state;
    const now = Date.now();
    const next: CartState = { ...state, version: state.version + 1, updatedAt: now };
    if (wanted === undefined) delete next.discountCode;
    else next.discountCode = wanted;
    this.ctx.storage.transactionSync(() => {
      this.ensureSchema();
      this.ensureDiscountTable();
      this.sql.exec('DELETE FROM cart_discount');
      if (wanted !== undefined) this.sql.exec('INSERT INTO cart_discount (id, code) VALUES (1, ?)', wanted);
      this.sql.exec(
        'UPDATE cart_meta SET version = ?, updated_at = ?, touched_at = ? WHERE id = 1',
        next.version,
        now,
        now,
      );
    });
    this.cached = next;
    this.touchedAt = now;
    await this.armAlarm(now);
    this.broadcast(next);
    return next;
  }

  /** Empties the cart. */
  async clear(): Promise<CartState> {
    await this.commit([]);
    return this.load();
  }

  /**
   * After an order paid: if the cart is still at `paidVersion` it is emptied; if the shopper changed
   * it since (another tab, after checkout began), only the purchased quantities are taken out.
   * Idempotent per purchase (`purchaseKey`, default: the version and the lines), so a webhook
   * delivered twice takes nothing out twice.
   */
  async clearAfterPurchase(
    paidVersion: number,
    purchased: { productId: string; qty: number }[],
    purchaseKey?: string,
  ): Promise<CartState> {
    const state = this.load();
    const key =
      purchaseKey ??
      `v${paidVersion}:${[...purchased]
        .sort((a, b) => a.productId.localeCompare(b.productId))
        .map((p) => `${p.productId}*${p.qty}`)
        .join(',')}`;
    if (this.purchaseApplied(key)) return state;
    let lines: CartLine[];
    if (state.version === paidVersion) {
      lines = [];
    } else {
      const bought = new Map<string, number>();
      for (const p of purchased) bought.set(p.productId, (bought.get(p.productId) ?? 0) + Math.max(0, p.qty));
      lines = state.lines
        .map((l) => ({ ...l, qty: l.qty - (bought.get(l.productId) ?? 0) }))
        .filter((l) => l.qty > 0);
    }
    await this.commit(lines, key);
    // The code was spent on what was bought: an emptied cart lets it go.
    if (lines.length === 0 && this.load().discountCode !== undefined) await this.setDiscountCode(null);
    return this.load();
  }

  /** WebSocket upgrade for `GET /cart/live`: accepted with the hibernation API, sent the cart at once. */
  async fetch(request: Request): Promise<Response> {
    if (request.headers.get('upgrade')?.toLowerCase() !== 'websocket')
      return new Response('Expected a WebSocket upgrade.', { status: 426 });
    const sockets = this.ctx.getWebSockets();
    for (const old of sockets.slice(0, Math.max(0, sockets.length - MAX_SOCKETS + 1)))
      old.close(1008, 'Too many open tabs for this cart.');
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    server.send(JSON.stringify({ type: 'cart', cart: this.load() } satisfies CartSocketMessage));
    return new Response(null, { status: 101, webSocket: client });
  }

  /** A tab may ask for the current cart again ("state"); anything else is ignored. */
  async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    if (message === 'state')
      ws.send(JSON.stringify({ type: 'cart', cart: this.load() } satisfies CartSocketMessage));
  }

  /** Completes the close handshake (the hibernation API leaves that to us). */
  async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    // 1005/1006/1015 are reserved for the runtime and can't be sent back.
    const sendable = code >= 1000 && code <= 4999 && code !== 1005 && code !== 1006 && code !== 1015;
    try {
      ws.close(sendable ? code : 1000, reason);
    } catch {
      // Already closed: nothing left to do.
    }
  }

  /** A broken socket is dropped; the tab reconnects on its own. */
  async webSocketError(ws: WebSocket): Promise<void> {
    try {
      ws.close(1011, 'error');
    } catch {
      // Already closed.
    }
  }

  /**
   * Inactivity alarm: deletes the cart CART_TTL_DAYS after the last activity. Runs at least once and
   * may repeat, so it re-checks the deadline and re-arms when activity happened since it was set.
   */
  async alarm(): Promise<void> {
    this.alarmAt = null; // this one has fired
    const state = this.load();
    if (state.version === 0) return;
    const deadline = this.touchedAt + this.ttlMs();
    if (Date.now() < deadline) {
      await this.ctx.storage.setAlarm(deadline);
      this.alarmAt = deadline;
      return;
    }
    await this.ctx.storage.deleteAlarm();
    this.alarmAt = null;
    await this.ctx.storage.deleteAll();
    this.cached = null;
    this.schemaReady = false;
    this.touchedAt = 0;
    this.broadcast(this.load());
  }

  // ------------------------------------------------------------------ storage

  private ttlMs(): number {
    return storeConfig(this.env).cartTtlDays * DAY_MS;
  }

  private cartId(): string {
    return this.ctx.id.name ?? this.ctx.id.toString();
  }

  /** Tables are created on the first write: a cart that is only looked at leaves nothing stored. */
  private hasSchema(): boolean {
    if (this.schemaReady) return true;
    const found = this.sql
      .exec<{ n: number }>(
        `SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'cart_meta'`,
      )
      .one().n;
    this.schemaReady = found > 0;
    return this.schemaReady;
  }

  private ensureSchema(): void {
    if (this.hasSchema()) return;
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS cart_lines (
        product_id TEXT PRIMARY KEY,
        qty INTEGER NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        seen_unit_amount INTEGER NOT NULL,
        added_at INTEGER NOT NULL,
        position INTEGER NOT NULL
      );
      CREATE TABLE IF NOT EXISTS cart_meta (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        version INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        touched_at INTEGER NOT NULL
      );
      CREATE TABLE IF NOT EXISTS cart_purchases (key TEXT PRIMARY KEY, applied_at INTEGER NOT NULL);
      INSERT OR IGNORE INTO cart_meta (id, version, updated_at, touched_at) VALUES (1, 0, 0, 0);
    `);
    this.schemaReady = true;
  }

  private load(): CartState {
    if (this.cached) return this.cached;
    if (!this.hasSchema()) {
      this.cached = { id: this.cartId(), version: 0, lines: [], updatedAt: 0 };
      return this.cached;
    }
    const meta = this.sql
      .exec<{ version: number; updated_at: number; touched_at: number }>(
        'SELECT version, updated_at, touched_at FROM cart_meta WHERE id = 1',
      )
      .toArray()[0];
    const lines = this.sql
      .exec<LineRow>(
        'SELECT product_id, qty, note, seen_unit_amount, added_at FROM cart_lines ORDER BY position, added_at',
      )
      .toArray()
      .map((r) => ({
        productId: r.product_id,
        qty: r.qty,
        note: r.note,
        seenUnitAmount: r.seen_unit_amount,
        addedAt: r.added_at,
      }));
    this.touchedAt = meta?.touched_at ?? 0;
    this.cached = { id: this.cartId(), version: meta?.version ?? 0, lines, updatedAt: meta?.updated_at ?? 0 };
    const code = this.storedDiscountCode();
    if (code !== undefined) this.cached.discountCode = code;
    return this.cached;
  }

  /** The held discount code (its table is made by the first code, also in carts older than it). */
  private ensureDiscountTable(): void {
    this.sql.exec(
      'CREATE TABLE IF NOT EXISTS cart_discount (id INTEGER PRIMARY KEY CHECK (id = 1), code TEXT NOT NULL)',
    );
  }

  private storedDiscountCode(): string | undefined {
    const table = this.sql
      .exec<{ n: number }>(
        `SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'cart_discount'`,
      )
      .one().n;
    if (table === 0) return undefined;
    return this.sql.exec<{ code: string }>('SELECT code FROM cart_discount WHERE id = 1').toArray()[0]?.code;
  }

  /**
   * Writes `lines` as the new cart when they differ from the current one: one SQLite transaction,
   * version + 1, alarm re-armed, every tab told. An identical cart writes nothing and keeps its version.
   */
  private async commit(lines: CartLine[], purchaseKey?: string): Promise<CartResult> {
    const state = this.load();
    const changed = !sameLines(state.lines, lines);
    if (!changed && !purchaseKey) return { ok: true, changed: false, cart: state };
    const now = Date.now();
    const next: CartState = changed ? { ...state, version: state.version + 1, lines, updatedAt: now } : state;
    this.ctx.storage.transactionSync(() => {
      this.ensureSchema();
      if (changed) {
        // Only rows that differ are written: an add touches one row, not the whole cart.
        const before = new Map(state.lines.map((l, i) => [l.productId, { line: l, position: i }]));
        const keep = new Set(lines.map((l) => l.productId));
        for (const old of state.lines)
          if (!keep.has(old.productId))
            this.sql.exec('DELETE FROM cart_lines WHERE product_id = ?', old.productId);
        lines.forEach((l, position) => {
          const prev = before.get(l.productId);
          if (prev && prev.position === position && sameLines([prev.line], [l])) return;
          this.sql.exec(
            `INSERT INTO cart_lines (product_id, qty, note, seen_unit_amount, added_at, position) VALUES (?, ?, ?, ?, ?, ?)
             ON CONFLICT (product_id) DO UPDATE SET qty = excluded.qty, note = excluded.note,
               seen_unit_amount = excluded.seen_unit_amount, position = excluded.position`,
            l.productId,
            l.qty,
            l.note,
            l.seenUnitAmount,
            l.addedAt,
            position,
          );
        });
        this.sql.exec(
          'UPDATE cart_meta SET version = ?, updated_at = ?, touched_at = ? WHERE id = 1',
          next.version,
          now,
          now,
        );
      }
      if (purchaseKey) {
        this.sql.exec(
          'INSERT OR IGNORE INTO cart_purchases (key, applied_at) VALUES (?, ?)',
          purchaseKey,
          now,
        );
        this.sql.exec(
          'DELETE FROM cart_purchases WHERE key NOT IN (SELECT key FROM cart_purchases ORDER BY applied_at DESC LIMIT ?)',
          PURCHASES_KEPT,
        );
      }
    });
    this.cached = next;
    if (changed) {
      this.touchedAt = now;
      await this.armAlarm(now);
      this.broadcast(next);
    }
    return { ok: true, changed, cart: next };
  }

  /** Pushes the inactivity deadline back after a read. */
  private async touch(): Promise<void> {
    const now = Date.now();
    this.ensureSchema();
    this.sql.exec('UPDATE cart_meta SET touched_at = ? WHERE id = 1', now);
    this.touchedAt = now;
    await this.armAlarm(now);
  }

  /**
   * Makes sure the inactivity alarm fires no later than TTL after `now`. An alarm up to a day early is
   * left alone (the handler re-arms for the real deadline from `touched_at`), so a busy cart writes its
   * alarm about once a day rather than on every change.
   */
  private async armAlarm(now: number): Promise<void> {
    const deadline = now + this.ttlMs();
    if (this.alarmAt === undefined) this.alarmAt = await this.ctx.storage.getAlarm();
    if (this.alarmAt === null || this.alarmAt > deadline || deadline - this.alarmAt > DAY_MS) {
      await this.ctx.storage.setAlarm(deadline);
      this.alarmAt = deadline;
    }
  }

  private purchaseApplied(key: string): boolean {
    if (!this.hasSchema()) return false;
    return this.sql.exec('SELECT 1 FROM cart_purchases WHERE key = ?', key).toArray().length > 0;
  }

  private broadcast(cart: CartState): void {
    const message = JSON.stringify({ type: 'cart', cart } satisfies CartSocketMessage);
    for (const ws of this.ctx.getWebSockets()) {
      try {
        ws.send(message);
      } catch {
        // A socket closing right now misses this push; it gets the cart again when it reconnects.
      }
    }
  }

  private limitProblem(limit: LineLimit | undefined, fromQty: number, toQty: number): string | null {
    if (!limit || toQty <= fromQty || toQty <= limit.maxQty) return null;
    if (limit.maxQty <= 0) return limit.reason ?? 'This product is not available.';
    return limit.reason ?? `Only ${limit.maxQty} available.`;
  }

  private fail(code: CartFailureCode, message: string, field?: string): CartResult {
    const error: CartFailure = { code, message, cart: this.load(), ...(field ? { field } : {}) };
    return { ok: false, error };
  }
}

function sameLines(a: readonly CartLine[], b: readonly CartLine[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((l, i) => {
    const o = b[i]!;
    return (
      l.productId === o.productId &&
      l.qty === o.qty &&
      l.note === o.note &&
      l.seenUnitAmount === o.seenUnitAmount
    );
  });
}

/** The priced cart as the JSON text the API answers: a string crosses back to the route cheaper than the object. */
function answerOf({ result, view }: PricedResult): PricedAnswer {
  if (!result.ok) return result;
  // changeAndPriceFrom prices every change it makes; an unpriced success would be a bug there.
  if (!view) throw new Error('A cart change came back without its priced view.');
  return { ok: true, version: result.cart.version, json: JSON.stringify(view) };
}

function safeAmount(n: number): number {
  return Number.isSafeInteger(n) && n >= 0 ? n : 0;
}
