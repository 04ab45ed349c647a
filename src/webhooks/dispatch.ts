// Dispatch of stored Stripe events to the domains' handlers, and the one way an event is (re)applied.
import { getDb } from '../db/client';
import { customerEventHandlers } from '../orders/customers';
import { orderEventHandlers } from '../orders/events';
import { disputeEventHandlers } from '../disputes/events';
import { flagOrder } from '../orders/state';
import { payoutEventHandlers } from '../payouts/events';
import { vendorEventHandlers } from '../catalog/account-events';
import { subscriptionEventHandlers } from '../subscriptions/events';
import { countAttempt, getStoredEvent, markDone, markFailed } from './log';
import type { HandlerMap, HandlerOutcome, WebhookHandler } from '../stripe/handlers';
import type { Stripe } from '../stripe/client';
import { errorFields } from '../lib/log';

/** Every domain's handlers. A type handled by several domains runs each of them, in this order. */
const REGISTRIES: readonly HandlerMap[] = [
  orderEventHandlers,
  customerEventHandlers,
  vendorEventHandlers,
  payoutEventHandlers,
  subscriptionEventHandlers,
  disputeEventHandlers((db, orderId) => flagOrder(db, orderId, 'disputed')),
];

/** The handlers registered for an event type (empty: the event is stored as `ignored`). */
function handlersFor(type: string): WebhookHandler[] {
  return REGISTRIES.map((registry) => registry[type]).filter((h): h is WebhookHandler => Boolean(h));
}

/** Whether any domain handles this event type (one that none does is logged as `ignored` at once). */
export function isHandled(type: string): boolean {
  return REGISTRIES.some((registry) => Boolean(registry[type]));
}

/** Runs every handler for the event; `processed` if any of them did something. */
async function dispatchEvent(event: Stripe.Event, env: Env): Promise<HandlerOutcome> {
  let outcome: HandlerOutcome = 'ignored';
  for (const handler of handlersFor(event.type)) {
    if ((await handler(event, env)) === 'processed') outcome = 'processed';
  }
  return outcome;
}

/**
 * The reason kept in the log: the innermost cause (a D1 error, not drizzle's wrapper, whose message
 * repeats the query and its parameters, buyers' e-mails included).
 */
function describeError(err: unknown): string {
  let inner = err;
  while (inner instanceof Error && inner.cause instanceof Error) inner = inner.cause;
  return inner instanceof Error ? `${inner.name}: ${inner.message}` : String(inner);
}

export type ProcessResult =
  { status: 'processed' | 'ignored' } | { status: 'failed'; error: string } | { status: 'not_found' };

/**
 * Applies a stored event (by its id in `webhook_events`) and records the result: `processed`,
 * `ignored` (no handler, or nothing to do), or `failed` with the reason. Used by the admin's replay;
 * safe to run again, handlers are idempotent.
 */
export async function processStoredEvent(env: Env, eventId: string): Promise<ProcessResult> {
  const db = getDb(env);
  const row = await getStoredEvent(db, eventId);
  if (!row) return { status: 'not_found' };
  await countAttempt(db, eventId);
  return applyEvent(env, eventId, row.type, () => JSON.parse(row.payload) as Stripe.Event);
}

/**
 * Applies an event the webhook route just verified and stored (storeEvent counted the attempt), as
 * processStoredEvent does, without reading back and parsing again the payload it already holds.
 */
export function applyVerifiedEvent(env: Env, event: Stripe.Event): Promise<ProcessResult> {
  return applyEvent(env, event.id, event.type, () => event);
}

async function applyEvent(
  env: Env,
  eventId: string,
  type: string,
  read: () => Stripe.Event,
): Promise<ProcessResult> {
  const db = getDb(env);
  try {
    const status = await dispatchEvent(read(), env);
    await markDone(db, eventId, status);
    return { status };
  } catch (err) {
    const error = describeError(err);
    console.error(
      JSON.stringify({ msg: 'webhook handler failed', event: eventId, type, ...errorFields(err) }),
    );
    await markFailed(db, eventId, error);
    return { status: 'failed', error };
  }
}
