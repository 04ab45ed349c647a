// The webhook event log: stored once, duplicates answered without effect, unknown types ignored,
// handler failures answered 500 with the reason kept, and the operators' listing.
import { SELF } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { processStoredEvent } from '../../src/webhooks/dispatch';
import { startCounting, takeCounts } from '../helpers/statement-counter';
import { deliver, storedEvent, stripeEvent, stripeId } from '../helpers/webhook-events';

const ADMIN = { authorization: 'Bearer test-admin-token', accept: 'application/json' };

function customerEvent(
  type: 'customer.created' | 'customer.updated',
  customer: Record<string, unknown>,
  created?: number,
) {
  return stripeEvent(type, { object: 'customer', created: 1_700_000_000, ...customer }, { created });
}

async function customerRow(id: string) {
  return env.DB.prepare('SELECT email, name FROM customers WHERE id = ?')
    .bind(id)
    .first<{ email: string; name: string }>();
}

describe('webhook event log', () => {
  it('stores an event of an unhandled type as ignored and answers 200', async () => {
    const event = stripeEvent('price.created', { id: stripeId('price'), object: 'price' });
    const res = await deliver(event);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ received: true, status: 'ignored' });
    expect(await storedEvent(env.DB, event.id as string)).toMatchObject({ status: 'ignored', attempts: 1 });
  });

  it('logs an unhandled event in one D1 write; its redelivery is a duplicate that writes nothing more', async () => {
    const event = stripeEvent('price.updated', { id: stripeId('price'), object: 'price' });
    const stop = startCounting(env);
    try {
      takeCounts();
      const first = await deliver(event);
      expect(await first.json()).toEqual({ received: true, id: event.id, status: 'ignored' });
      expect(takeCounts()).toMatchObject({ d1RoundTrips: 1, d1WriteTrips: 1 });
      const again = await deliver(event);
      expect(await again.json()).toMatchObject({ status: 'ignored', duplicate: true });
      expect(takeCounts()).toMatchObject({ d1RoundTrips: 1 });
    } finally {
      stop();
    }
    const row = await env.DB.prepare('SELECT status, attempts, processed_at FROM webhook_events WHERE id = ?')
      .bind(event.id)
      .first();
    expect(row).toMatchObject({ status: 'ignored', attempts: 1 });
    expect(typeof row?.processed_at).toBe('number');
  });

  it('applies an event once: the same event again answers 200 and changes nothing', async () => {
    const id = stripeId('cus');
    const event = customerEvent('customer.created', { id, email: 'first@example.com', name: 'Ada' });
    expect((await deliver(event)).status).toBe(200);
    expect(await customerRow(id)).toMatchObject({ email: 'first@example.com' });

    // Meanwhile the row changed (a newer event); the duplicate must not write its old data back.
    await env.DB.prepare("UPDATE customers SET email = 'later@example.com' WHERE id = ?").bind(id).run();
    const again = await deliver(event);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ duplicate: true, status: 'processed' });
    expect(await customerRow(id)).toMatchObject({ email: 'later@example.com' });
    expect(await storedEvent(env.DB, event.id as string)).toMatchObject({ status: 'processed', attempts: 1 });
  });

  it('stores concurrent deliveries of one event once', async () => {
    const id = stripeId('cus');
    const event = customerEvent('customer.created', { id, email: 'c@example.com', name: 'Con' });
    const responses = await Promise.all(Array.from({ length: 5 }, () => deliver(event)));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const count = await env.DB.prepare('SELECT count(*) AS n FROM webhook_events WHERE id = ?')
      .bind(event.id)
      .first<{ n: number }>();
    expect(count?.n).toBe(1);
    expect(await customerRow(id)).toMatchObject({ email: 'c@example.com' });
  });

  it('keeps the newest customer data when events arrive out of order', async () => {
    const id = stripeId('cus');
    const now = Math.floor(Date.now() / 1000);
    await deliver(customerEvent('customer.updated', { id, email: 'new@example.com', name: 'New' }, now));
    await deliver(customerEvent('customer.created', { id, email: 'old@example.com', name: 'Old' }, now - 60));
    expect(await customerRow(id)).toMatchObject({ email: 'new@example.com', name: 'New' });
  });

  it('answers 500 when a handler fails, marks the event failed with the reason, and retries apply', async () => {
    // A customer without an id can't be stored: the handler throws.
    const event = stripeEvent('customer.created', { object: 'customer', email: 'x@example.com' });
    const res = await deliver(event);
    expect(res.status).toBe(500);
    const row = await storedEvent(env.DB, event.id as string);
    expect(row?.status).toBe('failed');
    expect(row?.last_error).toMatch(/NOT NULL|constraint/i);

    // Stripe retries a failed event: it is applied again (and fails again, counted).
    expect((await deliver(event)).status).toBe(500);
    expect((await storedEvent(env.DB, event.id as string))?.attempts).toBe(2);
  });

  it('re-runs a stored event on demand (the admin replay)', async () => {
    const id = stripeId('cus');
    const event = customerEvent('customer.created', { id, email: 'r@example.com', name: 'Re' });
    await deliver(event);
    await env.DB.prepare('DELETE FROM customers WHERE id = ?').bind(id).run();
    expect(await processStoredEvent(env, event.id as string)).toEqual({ status: 'processed' });
    expect(await customerRow(id)).toMatchObject({ email: 'r@example.com' });
    expect(await processStoredEvent(env, 'evt_missing')).toEqual({ status: 'not_found' });
  });
});

describe('GET /webhooks/stripe/logs', () => {
  it('requires the operator token', async () => {
    const res = await SELF.fetch('http://localhost/webhooks/stripe/logs', {
      headers: { accept: 'application/json' },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  it('lists recent events newest first, filtered by type and status, without payloads', async () => {
    const type = 'product.created';
    const first = stripeEvent(type, { id: stripeId('prod'), object: 'product' }, { created: 1_800_000_000 });
    const second = stripeEvent(type, { id: stripeId('prod'), object: 'product' }, { created: 1_800_000_100 });
    await deliver(first);
    await deliver(second);
    const res = await SELF.fetch(`http://localhost/webhooks/stripe/logs?type=${type}&status=ignored`, {
      headers: ADMIN,
    });
    expect(res.status).toBe(200);
    const body = await res.json<{
      events: { id: string; type: string; status: string; payload?: unknown }[];
    }>();
    expect(body.events.map((e) => e.id)).toEqual([second.id, first.id]);
    expect(
      body.events.every((e) => e.type === type && e.status === 'ignored' && e.payload === undefined),
    ).toBe(true);

    const failedOnly = await SELF.fetch(`http://localhost/webhooks/stripe/logs?type=${type}&status=failed`, {
      headers: ADMIN,
    });
    expect((await failedOnly.json<{ events: unknown[] }>()).events).toEqual([]);
  });

  it('refuses an unknown status filter with 422', async () => {
    const res = await SELF.fetch('http://localhost/webhooks/stripe/logs?status=exploded', { headers: ADMIN });
    expect(res.status).toBe(422);
  });
});
