// Events: retrieve (with the emulator's own `delivery_attempts` field) and list with Stripe's filters.
import { Hono } from 'hono';
import type { Ctx } from '../context';
import { noSuch } from '../errors';
import { arr, bool, str, type Params } from '../form';
import { createdFilter, list } from '../render';
import { stripeRoute, type AppEnv } from '../http';
import type { StoredEvent, StripeObject } from '../store';

/** `type` filters accept Stripe's wildcard form (`charge.*`). */
function typeMatcher(p: Params): (e: StoredEvent) => boolean {
  const type = str(p, 'type');
  const types = arr(p, 'types').filter((t): t is string => typeof t === 'string');
  const patterns = [...(type ? [type] : []), ...types];
  if (patterns.length === 0) return () => true;
  const res = patterns.map((t) => new RegExp(`^${t.replace(/[.]/g, '\\.').replace(/\*/g, '.*')}$`));
  return (e) => res.some((re) => re.test(e.type));
}

/** The event as the API shows it, with its delivery state (a non-Stripe field). */
export function eventWithDeliveries(ctx: Ctx, event: StoredEvent): StoredEvent {
  const delivery = ctx.store.delivery(event.id);
  const attempts = ctx.store.attempts(event.id).map((a) => ({
    attempt: a.attempt,
    at: a.at,
    status: a.status,
    error: a.error,
    duration_ms: a.duration_ms,
    trigger: a.trigger,
  }));
  return {
    ...event,
    pending_webhooks: delivery?.state === 'pending' ? 1 : 0,
    delivery_state: delivery?.state ?? null,
    delivery_attempts: attempts,
  };
}

/** Events, with the emulator’s delivery state on each. */
export const eventRoutes = new Hono<AppEnv>()
  .get(
    '/v1/events/:id',
    stripeRoute((ctx, _p, { id }) => {
      // Lenient on scope: the platform can look up its Connect events by id too.
      const event = ctx.store.getEvent(id!);
      if (!event || (ctx.account && event.account !== ctx.account)) throw noSuch('event', id!);
      return eventWithDeliveries(ctx, event);
    }),
  )
  .get(
    '/v1/events',
    stripeRoute((ctx, p) => {
      const delivered = bool(p, 'delivery_success');
      const events = ctx.store
        .events(ctx.account)
        .filter(typeMatcher(p))
        .filter(createdFilter(p))
        .filter(
          (e) => delivered === undefined || (ctx.store.delivery(e.id)?.state === 'delivered') === delivered,
        );
      return list(ctx, events as unknown as StripeObject[], '/v1/events', p);
    }),
  );
