// The contract between the webhook dispatcher and the domains that handle Stripe events.
import type Stripe from 'stripe';

/** What applying an event did: `processed` (it changed or confirmed state) or `ignored` (nothing to do). */
export type HandlerOutcome = 'processed' | 'ignored';

/**
 * Applies one verified Stripe event. Must be idempotent and safe out of order: it may run twice,
 * concurrently, or after a later event. Throw to make Stripe retry (the event is marked failed).
 */
export type WebhookHandler = (event: Stripe.Event, env: Env) => Promise<HandlerOutcome>;

export type HandlerMap = Partial<Record<Stripe.Event.Type | (string & {}), WebhookHandler>>;
