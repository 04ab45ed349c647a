// Test helpers: build Stripe-shaped events, sign them as Stripe does and deliver them to the webhook.
import { SELF } from 'cloudflare:test';
import { cryptoProvider, Stripe } from '../../src/stripe/client';

const PRIMARY_SECRET = 'whsec_test_primary';
export const CONNECT_SECRET = 'whsec_test_connect';
const WEBHOOK_URL = 'http://localhost/webhooks/stripe';

let counter = 0;

/** A fresh id with Stripe's prefix (unique across the file: storage is shared by a file's tests). */
export function stripeId(prefix: string): string {
  counter += 1;
  return `${prefix}_test${Date.now().toString(36)}${counter.toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

/** A Stripe event envelope around `object`. */
export function stripeEvent(
  type: string,
  object: Record<string, unknown>,
  extra: { id?: string; account?: string; created?: number } = {},
): Record<string, unknown> {
  return {
    id: extra.id ?? stripeId('evt'),
    object: 'event',
    api_version: '2026-10-28.endive',
    created: extra.created ?? Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    ...(extra.account ? { account: extra.account } : {}),
    data: { object },
  };
}

/** The Stripe-Signature header for `payload`, as Stripe computes it. */
export function signatureFor(payload: string, secret = PRIMARY_SECRET, timestamp?: number): Promise<string> {
  return Stripe.webhooks.generateTestHeaderStringAsync({
    payload,
    secret,
    cryptoProvider,
    ...(timestamp !== undefined ? { timestamp } : {}),
  });
}

/** Posts a raw body with a given signature header (or none). */
export function postRaw(body: string, signature: string | null): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  if (signature !== null) headers['stripe-signature'] = signature;
  return SELF.fetch(WEBHOOK_URL, { method: 'POST', headers, body });
}

/** Signs and delivers an event; returns the response. */
export async function deliver(
  event: Record<string, unknown>,
  opts: { secret?: string; timestamp?: number } = {},
): Promise<Response> {
  const body = JSON.stringify(event);
  return postRaw(body, await signatureFor(body, opts.secret, opts.timestamp));
}

/** The stored log row of an event, straight from D1. */
export async function storedEvent(
  db: D1Database,
  id: string,
): Promise<{ status: string; attempts: number; last_error: string | null } | null> {
  return db.prepare('SELECT status, attempts, last_error FROM webhook_events WHERE id = ?').bind(id).first();
}

/**
 * A Dispute object as Stripe sends it in `charge.dispute.*` events (no balance transactions yet), for a
 * test to trigger at the emulator or deliver itself; `status` and `reason` as Stripe names them.
 */
export function disputeObject(d: {
  id: string;
  charge: string;
  amount: number;
  status: string;
  reason?: string;
  created?: number;
}): Record<string, unknown> {
  return {
    id: d.id,
    object: 'dispute',
    amount: d.amount,
    charge: d.charge,
    currency: 'usd',
    created: d.created ?? Math.floor(Date.now() / 1000),
    payment_intent: null,
    reason: d.reason ?? 'general',
    status: d.status,
    balance_transactions: [],
  };
}
