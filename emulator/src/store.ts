// The emulator's state in its Durable Object's SQLite: Stripe objects as JSON, idempotency records,
// events with their delivery state and attempts, control settings, and a test clock offset.
// All methods are synchronous so a request's reads and writes never interleave with another's.

/** Any stored Stripe object: it has an id and an `object` type name. */
export interface StripeObject {
  id: string;
  object: string;
  [key: string]: unknown;
}

/** What the list endpoints return. */
export interface ListObject<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  url: string;
}

export interface StoredEvent {
  id: string;
  object: 'event';
  account?: string;
  type: string;
  created: number;
  [key: string]: unknown;
}

export type DeliveryState = 'pending' | 'delivered' | 'failed';

export type DeliveryRow = {
  event_id: string;
  type: string;
  account: string | null;
  state: DeliveryState;
  attempts: number;
  next_at: number | null;
  last_status: number | null;
  last_error: string | null;
};

export interface AttemptRow {
  event_id: string;
  attempt: number;
  at: number;
  status: number | null;
  error: string | null;
  duration_ms: number;
  trigger: string;
  request_headers: Record<string, string> | null;
  request_body: string | null;
  response_body: string | null;
}

/** Settings changed through POST /_emulator/config and /_emulator/faults. */
export interface EmulatorConfig {
  auto_deliver: boolean;
  webhook_capture: boolean;
  /** First retry delay; doubles per attempt (Stripe: hours; here seconds so dev sees retries). */
  retry_base_seconds: number;
  max_attempts: number;
  /** Overrides WEBHOOK_URL (with the STOREFRONT binding only its path matters): point it at a
   * failing path to exercise retries. Null = the configured endpoint. */
  webhook_url: string | null;
  /** Overrides both signing secrets (e.g. a wrong one, to see the app refuse and the retries). */
  webhook_secret: string | null;
  fail_next: number;
  fail_status: number;
  fail_transfers_to: string[];
}

const DEFAULT_CONFIG: EmulatorConfig = {
  auto_deliver: true,
  webhook_capture: false,
  retry_base_seconds: 5,
  max_attempts: 8,
  webhook_url: null,
  webhook_secret: null,
  fail_next: 0,
  fail_status: 500,
  fail_transfers_to: [],
};

const SCHEMA = `
CREATE TABLE IF NOT EXISTS objects (
  id TEXT PRIMARY KEY, type TEXT NOT NULL, account TEXT, seq INTEGER NOT NULL,
  expires_at INTEGER, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS objects_type ON objects (type, account, seq);
CREATE INDEX IF NOT EXISTS objects_expiry ON objects (expires_at) WHERE expires_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS idempotency (
  account TEXT NOT NULL, key TEXT NOT NULL, method TEXT NOT NULL, path TEXT NOT NULL, params TEXT NOT NULL,
  status INTEGER NOT NULL, body TEXT NOT NULL, request_id TEXT NOT NULL, created INTEGER NOT NULL,
  PRIMARY KEY (account, key));
CREATE TABLE IF NOT EXISTS events (
  id TEXT PRIMARY KEY, seq INTEGER NOT NULL, type TEXT NOT NULL, account TEXT, created INTEGER NOT NULL,
  data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS events_seq ON events (seq);
CREATE TABLE IF NOT EXISTS deliveries (
  event_id TEXT PRIMARY KEY, seq INTEGER NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
  next_at INTEGER, last_status INTEGER, last_error TEXT);
CREATE INDEX IF NOT EXISTS deliveries_state ON deliveries (state, seq);
CREATE TABLE IF NOT EXISTS attempts (
  n INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL, attempt INTEGER NOT NULL, at INTEGER NOT NULL,
  status INTEGER, error TEXT, duration_ms INTEGER NOT NULL, trigger TEXT NOT NULL,
  request_headers TEXT, request_body TEXT, response_body TEXT);
CREATE INDEX IF NOT EXISTS attempts_event ON attempts (event_id, n);
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

/** Synchronous access to the emulator's SQLite state. */
export class Store {
  private seq: number;
  private configCache: EmulatorConfig | null = null;

  constructor(private readonly sql: SqlStorage) {
    sql.exec(SCHEMA);
    const row = sql
      .exec<{ s: number | null }>(
        'SELECT max(s) AS s FROM (SELECT max(seq) AS s FROM objects UNION ALL SELECT max(seq) FROM events)',
      )
      .one();
    this.seq = row.s ?? 0;
  }

  /** Monotonic sequence: orders lists (newest first) and deliveries (oldest first). */
  nextSeq(): number {
    return ++this.seq;
  }

  // ---- clock ---------------------------------------------------------------------------------

  /** Milliseconds the test clock is ahead of real time (POST /_emulator/clock/advance). */
  clockOffsetMs(): number {
    return Number(this.setting('clock_offset_ms') ?? '0');
  }

  /** Emulator time in seconds: Stripe's `created` and `expires_at` unit. */
  now(): number {
    return Math.floor((Date.now() + this.clockOffsetMs()) / 1000);
  }

  advanceClock(seconds: number): number {
    this.setSetting('clock_offset_ms', String(this.clockOffsetMs() + seconds * 1000));
    return this.now();
  }

  // ---- objects -------------------------------------------------------------------------------

  /** The object with this id if it lives in this account scope (null = platform). */
  get<T extends StripeObject>(id: string, account: string | null, type?: string): T | undefined {
    const row = this.sql
      .exec<{ data: string; type: string; account: string | null }>(
        'SELECT data, type, account FROM objects WHERE id = ?',
        id,
      )
      .toArray()[0];
    if (!row || (row.account ?? null) !== account || (type && row.type !== type)) return undefined;
    return JSON.parse(row.data) as T;
  }

  /** The object with this id in any account scope (used for expansion and hosted pages). */
  getAny<T extends StripeObject>(id: string, type?: string): { obj: T; account: string | null } | undefined {
    const row = this.sql
      .exec<{ data: string; type: string; account: string | null }>(
        'SELECT data, type, account FROM objects WHERE id = ?',
        id,
      )
      .toArray()[0];
    if (!row || (type && row.type !== type)) return undefined;
    return { obj: JSON.parse(row.data) as T, account: row.account ?? null };
  }

  /** Inserts or replaces an object; `expiresAt` indexes open checkout sessions for the expiry sweep. */
  put<T extends StripeObject>(obj: T, account: string | null, expiresAt: number | null = null): T {
    const existing = this.sql
      .exec<{ seq: number }>('SELECT seq FROM objects WHERE id = ?', obj.id)
      .toArray()[0];
    const seq = existing?.seq ?? this.nextSeq();
    this.sql.exec(
      'INSERT OR REPLACE INTO objects (id, type, account, seq, expires_at, data) VALUES (?, ?, ?, ?, ?, ?)',
      obj.id,
      obj.object,
      account,
      seq,
      expiresAt,
      JSON.stringify(obj),
    );
    return obj;
  }

  /** Every object of a type in an account scope, newest first. */
  all<T extends StripeObject>(type: string, account: string | null): T[] {
    const rows =
      account === null
        ? this.sql.exec<{ data: string }>(
            'SELECT data FROM objects WHERE type = ? AND account IS NULL ORDER BY seq DESC',
            type,
          )
        : this.sql.exec<{ data: string }>(
            'SELECT data FROM objects WHERE type = ? AND account = ? ORDER BY seq DESC',
            type,
            account,
          );
    return rows.toArray().map((r) => JSON.parse(r.data) as T);
  }

  /** Every object of a type in all scopes, newest first. */
  allScopes<T extends StripeObject>(type: string): Array<{ obj: T; account: string | null }> {
    return this.sql
      .exec<{ data: string; account: string | null }>(
        'SELECT data, account FROM objects WHERE type = ? ORDER BY seq DESC',
        type,
      )
      .toArray()
      .map((r) => ({ obj: JSON.parse(r.data) as T, account: r.account ?? null }));
  }

  /** Ids of objects whose `expires_at` has passed (open checkout sessions). */
  expiredIds(now: number): string[] {
    return this.sql
      .exec<{ id: string }>('SELECT id FROM objects WHERE expires_at IS NOT NULL AND expires_at <= ?', now)
      .toArray()
      .map((r) => r.id);
  }

  /** The soonest `expires_at` still ahead, if any. */
  nextExpiry(): number | null {
    return this.sql.exec<{ e: number | null }>('SELECT min(expires_at) AS e FROM objects').one().e ?? null;
  }

  // ---- idempotency ---------------------------------------------------------------------------

  idempotent(
    account: string | null,
    key: string,
  ):
    | {
        method: string;
        path: string;
        params: string;
        status: number;
        body: string;
        request_id: string;
        created: number;
      }
    | undefined {
    return this.sql
      .exec<{
        method: string;
        path: string;
        params: string;
        status: number;
        body: string;
        request_id: string;
        created: number;
      }>(
        'SELECT method, path, params, status, body, request_id, created FROM idempotency WHERE account = ? AND key = ?',
        account ?? '',
        key,
      )
      .toArray()[0];
  }

  saveIdempotent(
    account: string | null,
    key: string,
    rec: { method: string; path: string; params: string; status: number; body: string; request_id: string },
  ): void {
    this.sql.exec(
      'INSERT OR REPLACE INTO idempotency (account, key, method, path, params, status, body, request_id, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      account ?? '',
      key,
      rec.method,
      rec.path,
      rec.params,
      rec.status,
      rec.body,
      rec.request_id,
      this.now(),
    );
  }

  /** Keys are kept 24 hours, like Stripe's. */
  pruneIdempotency(): void {
    this.sql.exec('DELETE FROM idempotency WHERE created < ?', this.now() - 24 * 3600);
  }

  // ---- events and deliveries -----------------------------------------------------------------

  insertEvent(event: StoredEvent): void {
    const seq = this.nextSeq();
    this.sql.exec(
      'INSERT INTO events (id, seq, type, account, created, data) VALUES (?, ?, ?, ?, ?, ?)',
      event.id,
      seq,
      event.type,
      event.account ?? null,
      event.created,
      JSON.stringify(event),
    );
    this.sql.exec(
      "INSERT INTO deliveries (event_id, seq, state, attempts, next_at) VALUES (?, ?, 'pending', 0, ?)",
      event.id,
      seq,
      Date.now(),
    );
  }

  getEvent(id: string): StoredEvent | undefined {
    const row = this.sql.exec<{ data: string }>('SELECT data FROM events WHERE id = ?', id).toArray()[0];
    return row ? (JSON.parse(row.data) as StoredEvent) : undefined;
  }

  updateEvent(event: StoredEvent): void {
    this.sql.exec('UPDATE events SET data = ? WHERE id = ?', JSON.stringify(event), event.id);
  }

  /** Events of one account scope (null = platform), newest first. */
  events(account: string | null | undefined): StoredEvent[] {
    const rows =
      account === undefined
        ? this.sql.exec<{ data: string }>('SELECT data FROM events ORDER BY seq DESC')
        : account === null
          ? this.sql.exec<{ data: string }>('SELECT data FROM events WHERE account IS NULL ORDER BY seq DESC')
          : this.sql.exec<{ data: string }>(
              'SELECT data FROM events WHERE account = ? ORDER BY seq DESC',
              account,
            );
    return rows.toArray().map((r) => JSON.parse(r.data) as StoredEvent);
  }

  delivery(eventId: string): DeliveryRow | undefined {
    return this.sql
      .exec<DeliveryRow>(
        `SELECT d.event_id, e.type, e.account, d.state, d.attempts, d.next_at, d.last_status, d.last_error
         FROM deliveries d JOIN events e ON e.id = d.event_id WHERE d.event_id = ?`,
        eventId,
      )
      .toArray()[0];
  }

  /** Pending deliveries in event order; `dueBy` (ms) keeps only those whose retry time has come. */
  pendingDeliveries(dueBy?: number): DeliveryRow[] {
    const base = `SELECT d.event_id, e.type, e.account, d.state, d.attempts, d.next_at, d.last_status, d.last_error
      FROM deliveries d JOIN events e ON e.id = d.event_id WHERE d.state = 'pending'`;
    return (
      dueBy === undefined
        ? this.sql.exec<DeliveryRow>(`${base} ORDER BY d.seq`)
        : this.sql.exec<DeliveryRow>(`${base} AND d.next_at <= ? ORDER BY d.seq`, dueBy)
    ).toArray();
  }

  allDeliveries(limit: number): DeliveryRow[] {
    return this.sql
      .exec<DeliveryRow>(
        `SELECT d.event_id, e.type, e.account, d.state, d.attempts, d.next_at, d.last_status, d.last_error
         FROM deliveries d JOIN events e ON e.id = d.event_id ORDER BY d.seq DESC LIMIT ?`,
        limit,
      )
      .toArray();
  }

  nextDeliveryAt(): number | null {
    return (
      this.sql
        .exec<{ t: number | null }>("SELECT min(next_at) AS t FROM deliveries WHERE state = 'pending'")
        .one().t ?? null
    );
  }

  setDelivery(eventId: string, patch: Partial<Omit<DeliveryRow, 'event_id' | 'type' | 'account'>>): void {
    const cur = this.delivery(eventId);
    if (!cur) return;
    const next = { ...cur, ...patch };
    this.sql.exec(
      'UPDATE deliveries SET state = ?, attempts = ?, next_at = ?, last_status = ?, last_error = ? WHERE event_id = ?',
      next.state,
      next.attempts,
      next.next_at,
      next.last_status,
      next.last_error,
      eventId,
    );
  }

  addAttempt(a: AttemptRow): void {
    this.sql.exec(
      `INSERT INTO attempts (event_id, attempt, at, status, error, duration_ms, trigger, request_headers, request_body, response_body)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      a.event_id,
      a.attempt,
      a.at,
      a.status,
      a.error,
      a.duration_ms,
      a.trigger,
      a.request_headers ? JSON.stringify(a.request_headers) : null,
      a.request_body,
      a.response_body,
    );
  }

  attempts(eventId?: string, limit = 200): AttemptRow[] {
    const rows =
      eventId === undefined
        ? this.sql.exec<Record<string, SqlStorageValue>>(
            'SELECT * FROM attempts ORDER BY n DESC LIMIT ?',
            limit,
          )
        : this.sql.exec<Record<string, SqlStorageValue>>(
            'SELECT * FROM attempts WHERE event_id = ? ORDER BY n',
            eventId,
          );
    return rows.toArray().map((r) => ({
      event_id: r.event_id as string,
      attempt: r.attempt as number,
      at: r.at as number,
      status: (r.status as number | null) ?? null,
      error: (r.error as string | null) ?? null,
      duration_ms: r.duration_ms as number,
      trigger: r.trigger as string,
      request_headers: r.request_headers
        ? (JSON.parse(r.request_headers as string) as Record<string, string>)
        : null,
      request_body: (r.request_body as string | null) ?? null,
      response_body: (r.response_body as string | null) ?? null,
    }));
  }

  // ---- settings ------------------------------------------------------------------------------

  private setting(key: string): string | undefined {
    return this.sql.exec<{ value: string }>('SELECT value FROM settings WHERE key = ?', key).toArray()[0]
      ?.value;
  }

  private setSetting(key: string, value: string): void {
    this.sql.exec('INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)', key, value);
  }

  config(): EmulatorConfig {
    if (!this.configCache) {
      const raw = this.setting('config');
      this.configCache = { ...DEFAULT_CONFIG, ...(raw ? (JSON.parse(raw) as Partial<EmulatorConfig>) : {}) };
    }
    return this.configCache;
  }

  setConfig(patch: Partial<EmulatorConfig>): EmulatorConfig {
    const next = { ...this.config(), ...patch };
    this.setSetting('config', JSON.stringify(next));
    this.configCache = next;
    return next;
  }

  /** Wipes every object, event, key and setting. */
  reset(): void {
    for (const t of ['objects', 'idempotency', 'events', 'deliveries', 'attempts', 'settings']) {
      this.sql.exec(`DELETE FROM ${t}`);
    }
    this.configCache = null;
  }
}
