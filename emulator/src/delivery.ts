// Webhook delivery: signs each event exactly like Stripe (`Stripe-Signature: t=..,v1=HMAC-SHA256(secret,
// "t.body")`, by the SDK's own signer), POSTs it to the storefront, records every attempt, and schedules
// retries with backoff.
import Stripe from 'stripe';
import type { EmulatorEnv } from './env';
import type { AttemptRow, Store, StoredEvent } from './store';

/** What one delivery attempt got back. */
export interface AttemptResult {
  event_id: string;
  type: string;
  status: number | null;
  ok: boolean;
  attempt: number;
  error?: string;
}

const encoder = new TextEncoder();
const cryptoProvider = Stripe.createSubtleCryptoProvider();

/**
 * The `Stripe-Signature` header for a payload signed at unix time `t`, computed by the SDK itself
 * (`t=<t>,v1=<HMAC-SHA256(secret, "t.payload")>`), so it is what Stripe and `stripe listen` send.
 */
export function signatureHeader(secret: string, payload: string, t: number): Promise<string> {
  return Stripe.webhooks.generateTestHeaderStringAsync({ payload, secret, timestamp: t, cryptoProvider });
}

/** The secret that signs an event: Connect events (with `account`) use the Connect endpoint's secret. */
export function secretFor(env: EmulatorEnv, event: StoredEvent): string {
  const primary = (env.WEBHOOK_SECRET ?? '').split(',')[0]!.trim() || 'whsec_emulator_local_only';
  const connect = (env.CONNECT_WEBHOOK_SECRET ?? '').split(',')[0]!.trim();
  return event.account && connect ? connect : primary;
}

/** Delay before retry number `attempts` (1-based): base · 2^(n-1), capped at an hour. */
export function backoffMs(baseSeconds: number, attempts: number): number {
  return Math.min(baseSeconds * 1000 * 2 ** Math.max(0, attempts - 1), 3600_000);
}

/** Sends events to the storefront; one in-flight attempt per event unless a duplicate is asked for. */
export class Deliverer {
  private inflight = new Map<string, Promise<AttemptResult>>();

  constructor(
    private readonly store: Store,
    private readonly env: EmulatorEnv,
  ) {}

  /** Delivers an event now, or joins the attempt already under way for it. */
  deliver(eventId: string, trigger: string): Promise<AttemptResult> {
    const current = this.inflight.get(eventId);
    if (current) return current;
    const p = this.attempt(eventId, trigger).finally(() => this.inflight.delete(eventId));
    this.inflight.set(eventId, p);
    return p;
  }

  /** Waits for every attempt under way. */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.inflight.values()]);
  }

  /** One signed POST of the event, recorded; updates the event's delivery state. */
  async attempt(eventId: string, trigger: string): Promise<AttemptResult> {
    const event = this.store.getEvent(eventId);
    if (!event)
      return {
        event_id: eventId,
        type: 'unknown',
        status: null,
        ok: false,
        attempt: 0,
        error: 'no such event',
      };
    const before = this.store.delivery(eventId);
    const attemptNo = (before?.attempts ?? 0) + 1;
    // Reserve the attempt number before the fetch so concurrent duplicates get distinct numbers.
    this.store.setDelivery(eventId, { attempts: attemptNo });
    const config = this.store.config();
    const body = JSON.stringify({ ...event, pending_webhooks: 1 }, null, 2);
    // Signed with real time, not the test clock: the storefront checks a 5-minute tolerance.
    const t = Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
      'cache-control': 'no-cache',
      accept: '*/*; q=0.5, application/xml',
      'stripe-signature': await signatureHeader(config.webhook_secret || secretFor(this.env, event), body, t),
    };
    const url = config.webhook_url || this.env.WEBHOOK_URL || 'http://localhost:8787/webhooks/stripe';
    const started = Date.now();
    let status: number | null = null;
    let error: string | null = null;
    let responseBody: string | null = null;
    try {
      const request = new Request(url, {
        method: 'POST',
        headers,
        body: encoder.encode(body),
        redirect: 'manual',
      });
      const res = this.env.STOREFRONT ? await this.env.STOREFRONT.fetch(request) : await fetch(request);
      status = res.status;
      responseBody = (await res.text()).slice(0, 2000);
      if (status < 200 || status >= 300) error = `HTTP ${status}`;
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
    const ok = status !== null && status >= 200 && status < 300;
    const row: AttemptRow = {
      event_id: eventId,
      attempt: attemptNo,
      at: Math.floor(started / 1000),
      status,
      error,
      duration_ms: Date.now() - started,
      trigger,
      request_headers: config.webhook_capture ? headers : null,
      request_body: config.webhook_capture ? body : null,
      response_body: responseBody,
    };
    this.store.addAttempt(row);
    const cur = this.store.delivery(eventId);
    if (ok) {
      this.store.setDelivery(eventId, {
        state: 'delivered',
        next_at: null,
        last_status: status,
        last_error: null,
      });
    } else if (cur && cur.state !== 'delivered') {
      const attempts = cur.attempts;
      const exhausted = attempts >= config.max_attempts;
      this.store.setDelivery(eventId, {
        state: exhausted ? 'failed' : 'pending',
        next_at: exhausted ? null : Date.now() + backoffMs(config.retry_base_seconds, attempts),
        last_status: status,
        last_error: error,
      });
    }
    return {
      event_id: eventId,
      type: event.type,
      status,
      ok,
      attempt: attemptNo,
      ...(error ? { error } : {}),
    };
  }
}
