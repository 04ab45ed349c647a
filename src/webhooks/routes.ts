// Stripe webhooks: verify on the raw body (400, nothing stored), store once, apply (500 on failure so
// Stripe retries). The operators' view of the log is an admin route (admin/routes.tsx).
import { Hono } from 'hono';
import { getDb } from '../db/client';
import { BadRequestError, PayloadTooLargeError, problemResponse } from '../lib/errors';
import { webhookSecrets } from '../stripe/client';
import { applyVerifiedEvent, isHandled } from './dispatch';
import { markDone, storeEvent } from './log';
import { verifyStripeEvent } from '../stripe/verify';

/** Stripe's events are far below this; anything larger is not from Stripe. */
const MAX_EVENT_BYTES = 1024 * 1024;

export const webhookRoutes = new Hono<{ Bindings: Env }>().post('/webhooks/stripe', async (c) => {
  if (Number(c.req.header('content-length') ?? '0') > MAX_EVENT_BYTES)
    throw new PayloadTooLargeError('The event is too large.');
  // The signature covers the exact bytes: read them as text, never re-serialise.
  const raw = await c.req.text();
  if (raw.length > MAX_EVENT_BYTES) throw new PayloadTooLargeError('The event is too large.');
  const event = await verifyStripeEvent(raw, c.req.header('stripe-signature'), webhookSecrets(c.env));
  if (!event)
    return problemResponse(new BadRequestError('The Stripe-Signature header is missing or invalid.'));

  const db = getDb(c.env);
  const handled = isHandled(event.type);
  const stored = await storeEvent(db, event, raw, handled);
  if (!stored.inserted && (stored.status === 'processed' || stored.status === 'ignored')) {
    return c.json({ received: true, id: event.id, status: stored.status, duplicate: true });
  }
  if (!handled) {
    // No handler takes it: stored as ignored by the write above (or, for a row an earlier release left
    // unfinished, marked so now); nothing to apply.
    if (!stored.inserted) await markDone(db, event.id, 'ignored');
    return c.json({ received: true, id: event.id, status: 'ignored' });
  }
  // Stored and its attempt counted above: applied from the verified event, not read back from D1.
  const result = await applyVerifiedEvent(c.env, event);
  if (result.status === 'failed') {
    // The reason is in the event log; Stripe gets a 500 and retries.
    return c.json({ received: true, id: event.id, status: 'failed' }, 500);
  }
  return c.json({ received: true, id: event.id, status: result.status });
});
