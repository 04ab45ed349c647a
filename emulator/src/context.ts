// Per-request context of the API: the store, the account scope (Stripe-Account), the public base
// for hosted-page URLs, and the events the request emitted.
import { newId } from './ids';
import type { Store, StoredEvent, StripeObject } from './store';

/** The API version the emulator speaks (the one stripe-node 23 pins). */
export const API_VERSION = '2026-10-28.endive';

export interface RequestInfo {
  id: string | null;
  idempotency_key: string | null;
}

/** Options of one emitted event. */
export interface EmitOptions {
  /** Connected account the event belongs to (Connect events carry `account`); default: the request's. */
  account?: string | null;
  previous_attributes?: Record<string, unknown>;
}

export class Ctx {
  /** Ids of the events this request emitted, in order. */
  readonly emitted: string[];
  /** The request authenticated with a publishable key (Stripe.js): only client-secret calls pass. */
  publishable = false;

  constructor(
    readonly store: Store,
    readonly account: string | null,
    readonly publicUrl: string,
    readonly request: RequestInfo,
    emitted?: string[],
  ) {
    this.emitted = emitted ?? [];
  }

  /** Emulator time in seconds. */
  now(): number {
    return this.store.now();
  }

  /** The same request acting in another account scope (events still collected here). */
  as(account: string | null): Ctx {
    return new Ctx(this.store, account, this.publicUrl, this.request, this.emitted);
  }

  /** Records an event with a snapshot of `object`; it is queued for delivery to the webhook endpoint. */
  emit(type: string, object: StripeObject, opts: EmitOptions = {}): StoredEvent {
    const account = opts.account === undefined ? this.account : opts.account;
    const data: Record<string, unknown> = { object: publicView(object) };
    if (opts.previous_attributes) data.previous_attributes = opts.previous_attributes;
    const event: StoredEvent = {
      id: newId('evt'),
      object: 'event',
      ...(account ? { account } : {}),
      api_version: API_VERSION,
      created: this.now(),
      data,
      livemode: false,
      pending_webhooks: 1,
      request: this.request.id
        ? { id: this.request.id, idempotency_key: this.request.idempotency_key }
        : { id: null, idempotency_key: null },
      type,
    };
    this.store.insertEvent(event);
    this.emitted.push(event.id);
    return event;
  }
}

/** A deep copy without the emulator's internal fields (top-level keys starting with `_`). */
export function publicView<T extends StripeObject>(obj: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (!k.startsWith('_')) out[k] = v;
  return structuredClone(out) as T;
}

/** The previous values of the given keys, for an event's `previous_attributes`. */
export function previous(obj: StripeObject, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = structuredClone(obj[k] ?? null);
  return out;
}
