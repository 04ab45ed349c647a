// Control endpoints under /_emulator/ (not Stripe's API): delivery modes and draining, resend,
// duplicates, ordered delivery, triggers, injected faults, the checkout and onboarding actions
// the hosted pages perform, a test clock, and reset. Reached only through the service binding
// (tests) or the storefront's dev proxy; JSON in and out.
import type { Ctx } from './context';
import type { AttemptResult, Deliverer } from './delivery';
import { StripeError, noSuch } from './errors';
import type { EmulatorConfig, Store } from './store';
import type { AccountObj, SessionObj, SubscriptionObj } from './types';
import { renewSubscription } from './api/billing';
import { getSession, paySession, sweepExpiredSessions, type PayInput } from './api/checkout';
import { completeOnboarding, getAccount, updateAccountFields } from './api/connect';
import { runTrigger, TRIGGERS, type TriggerBody } from './trigger';

/** What the control endpoints need from the Durable Object. */
export interface EmulatorCore {
  store: Store;
  deliverer: Deliverer;
  makeCtx(publicUrl: string): Ctx;
  drain(): Promise<AttemptResult[]>;
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body, null, 2), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  });
}

async function readJson<T>(request: Request): Promise<T> {
  const text = new TextDecoder().decode(await request.arrayBuffer());
  if (!text.trim()) return {} as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new StripeError(400, 'invalid_request_error', 'The body must be JSON.');
  }
}

function deliveryView(core: EmulatorCore, eventId?: string) {
  const pending = core.store.pendingDeliveries().map((d) => ({ ...d }));
  const deliveries = eventId ? [core.store.delivery(eventId)].filter(Boolean) : core.store.allDeliveries(500);
  return {
    config: core.store.config(),
    pending,
    deliveries,
    attempts: core.store.attempts(eventId),
  };
}

const INDEX = {
  endpoints: [
    'GET  /_emulator/config | POST { auto_deliver?, webhook_capture?, retry_base_seconds?, max_attempts?, webhook_url?, webhook_secret? }',
    'POST /_emulator/deliveries/drain',
    'GET  /_emulator/deliveries[?event_id=evt_...]',
    'POST /_emulator/events/:id/resend',
    'POST /_emulator/events/:id/duplicate',
    'POST /_emulator/deliver { event_ids: [...] }',
    'POST /_emulator/trigger { type, amount?, currency?, metadata?, transfer_group?, account?, object? }',
    'GET  /_emulator/faults | POST { fail_next?, status?: 500|429, fail_transfers_to?: "acct_..." | [..] | null }',
    'POST /_emulator/checkout/sessions/:id/pay { card, email?, name?, shipping?, shipping_rate? }',
    'POST /_emulator/accounts/:id/complete_onboarding { business_name?, email?, url?, product_description? }',
    'POST /_emulator/accounts/:id/update { charges_enabled?, payouts_enabled?, details_submitted? }',
    'POST /_emulator/subscriptions/:id/renew',
    'GET  /_emulator/clock | POST /_emulator/clock/advance { seconds }',
    'POST /_emulator/reset',
  ],
  triggers: TRIGGERS,
};

/** Handles one /_emulator/... request. */
export async function handleControl(
  core: EmulatorCore,
  request: Request,
  url: URL,
  publicUrl: string,
): Promise<{ response: Response; ctx: Ctx | null }> {
  const ctx = core.makeCtx(publicUrl);
  const path = url.pathname.replace(/\/+$/, '');
  const method = request.method.toUpperCase();
  const m = (re: RegExp) => re.exec(path);
  let r: RegExpExecArray | null;
  try {
    if (path === '/_emulator' && method === 'GET') return { response: json(INDEX), ctx };

    if (path === '/_emulator/config') {
      if (method === 'POST') {
        const body = await readJson<Partial<EmulatorConfig>>(request);
        const patch: Partial<EmulatorConfig> = {};
        if (typeof body.auto_deliver === 'boolean') patch.auto_deliver = body.auto_deliver;
        if (typeof body.webhook_capture === 'boolean') patch.webhook_capture = body.webhook_capture;
        if (typeof body.retry_base_seconds === 'number' && body.retry_base_seconds >= 0)
          patch.retry_base_seconds = body.retry_base_seconds;
        if (typeof body.max_attempts === 'number' && body.max_attempts >= 1)
          patch.max_attempts = Math.floor(body.max_attempts);
        if (body.webhook_url === null || typeof body.webhook_url === 'string')
          patch.webhook_url = body.webhook_url || null;
        if (body.webhook_secret === null || typeof body.webhook_secret === 'string')
          patch.webhook_secret = body.webhook_secret || null;
        core.store.setConfig(patch);
      }
      return { response: json(core.store.config()), ctx };
    }

    if (path === '/_emulator/deliveries/drain' && method === 'POST') {
      const results = await core.drain();
      return {
        response: json(
          results.map((x) => ({
            event_id: x.event_id,
            type: x.type,
            status: x.status,
            ok: x.ok,
            attempt: x.attempt,
            ...(x.error ? { error: x.error } : {}),
          })),
        ),
        ctx,
      };
    }

    if (path === '/_emulator/deliveries' && method === 'GET') {
      return { response: json(deliveryView(core, url.searchParams.get('event_id') ?? undefined)), ctx };
    }

    if ((r = m(/^\/_emulator\/events\/([^/]+)\/(resend|duplicate)$/)) && method === 'POST') {
      const id = decodeURIComponent(r[1]!);
      if (!core.store.getEvent(id)) throw noSuch('event', id);
      if (r[2] === 'resend') return { response: json(await core.deliverer.attempt(id, 'resend')), ctx };
      // Two deliveries of the same event at the same time, as Stripe's at-least-once delivery allows.
      const both = await Promise.all([
        core.deliverer.attempt(id, 'duplicate'),
        core.deliverer.attempt(id, 'duplicate'),
      ]);
      return { response: json(both), ctx };
    }

    if (path === '/_emulator/deliver' && method === 'POST') {
      const body = await readJson<{ event_ids?: unknown }>(request);
      if (!Array.isArray(body.event_ids) || body.event_ids.some((x) => typeof x !== 'string')) {
        throw new StripeError(
          400,
          'invalid_request_error',
          '`event_ids` must be an array of event ids.',
          'parameter_invalid_array',
          'event_ids',
        );
      }
      for (const id of body.event_ids as string[])
        if (!core.store.getEvent(id)) throw noSuch('event', id, 'event_ids');
      const results: AttemptResult[] = [];
      for (const id of body.event_ids as string[]) results.push(await core.deliverer.attempt(id, 'ordered'));
      return { response: json(results), ctx };
    }

    if (path === '/_emulator/trigger' && method === 'POST') {
      const body = await readJson<TriggerBody>(request);
      const scoped = ctx.as(null);
      const objects = runTrigger(scoped, body);
      const events = ctx.emitted.map((id) => ({ id, type: core.store.getEvent(id)?.type }));
      return { response: json({ type: body.type, objects, events }), ctx };
    }

    if (path === '/_emulator/faults') {
      if (method === 'POST') {
        const body = await readJson<{
          fail_next?: number;
          status?: number;
          fail_transfers_to?: string | string[] | null;
        }>(request);
        const patch: Partial<EmulatorConfig> = {};
        if (typeof body.fail_next === 'number') patch.fail_next = Math.max(0, Math.floor(body.fail_next));
        if (body.status !== undefined) {
          if (![500, 502, 503, 429].includes(body.status)) {
            throw new StripeError(
              400,
              'invalid_request_error',
              '`status` must be 500, 502, 503 or 429.',
              undefined,
              'status',
            );
          }
          patch.fail_status = body.status;
        }
        if (body.fail_transfers_to === null) patch.fail_transfers_to = [];
        else if (typeof body.fail_transfers_to === 'string') {
          patch.fail_transfers_to = [
            ...new Set([...core.store.config().fail_transfers_to, body.fail_transfers_to]),
          ];
        } else if (Array.isArray(body.fail_transfers_to)) patch.fail_transfers_to = body.fail_transfers_to;
        core.store.setConfig(patch);
      }
      const c = core.store.config();
      return {
        response: json({
          fail_next: c.fail_next,
          status: c.fail_status,
          fail_transfers_to: c.fail_transfers_to,
        }),
        ctx,
      };
    }

    if ((r = m(/^\/_emulator\/checkout\/sessions\/([^/]+)\/pay$/)) && method === 'POST') {
      const id = decodeURIComponent(r[1]!);
      const found = core.store.getAny<SessionObj>(id, 'checkout.session');
      if (!found) throw noSuch('checkout.session', id, 'session');
      const scoped = ctx.as(found.account);
      const body = await readJson<PayInput>(request);
      if (typeof body.card !== 'string') {
        throw new StripeError(
          400,
          'invalid_request_error',
          'Missing required param: card.',
          'parameter_missing',
          'card',
        );
      }
      const { redirect, session } = paySession(scoped, getSession(scoped, id), body);
      return {
        response: json({
          redirect,
          session: session.id,
          payment_intent: session.payment_intent,
          subscription: session.subscription,
        }),
        ctx,
      };
    }

    if ((r = m(/^\/_emulator\/accounts\/([^/]+)\/(complete_onboarding|update)$/)) && method === 'POST') {
      const account = getAccount(ctx.as(null), decodeURIComponent(r[1]!));
      if (r[2] === 'complete_onboarding') {
        const body = await readJson<{
          business_name?: string;
          email?: string;
          url?: string;
          product_description?: string;
        }>(request);
        return { response: json(completeOnboarding(ctx.as(null), account, body)), ctx };
      }
      const body =
        await readJson<
          Partial<Pick<AccountObj, 'charges_enabled' | 'payouts_enabled' | 'details_submitted'>>
        >(request);
      const updated = updateAccountFields(ctx.as(null), account, (a) => {
        for (const k of ['charges_enabled', 'payouts_enabled', 'details_submitted'] as const) {
          if (typeof body[k] === 'boolean') a[k] = body[k];
        }
        if (body.payouts_enabled === false && a.capabilities.transfers) a.capabilities.transfers = 'inactive';
        if (body.payouts_enabled === true && a.capabilities.transfers) a.capabilities.transfers = 'active';
      });
      return { response: json(updated), ctx };
    }

    if ((r = m(/^\/_emulator\/subscriptions\/([^/]+)\/renew$/)) && method === 'POST') {
      const id = decodeURIComponent(r[1]!);
      const found = core.store.getAny<SubscriptionObj>(id, 'subscription');
      if (!found) throw noSuch('subscription', id);
      const { subscription, invoice } = renewSubscription(ctx.as(found.account), found.obj);
      return { response: json({ subscription: subscription.id, invoice: invoice.id }), ctx };
    }

    if (path === '/_emulator/clock' && method === 'GET') {
      return {
        response: json({ now: core.store.now(), offset_seconds: core.store.clockOffsetMs() / 1000 }),
        ctx,
      };
    }
    if (path === '/_emulator/clock/advance' && method === 'POST') {
      const body = await readJson<{ seconds?: number }>(request);
      if (typeof body.seconds !== 'number' || !Number.isFinite(body.seconds) || body.seconds < 0) {
        throw new StripeError(
          400,
          'invalid_request_error',
          '`seconds` must be a non-negative number.',
          undefined,
          'seconds',
        );
      }
      const now = core.store.advanceClock(Math.floor(body.seconds));
      sweepExpiredSessions(ctx.as(null));
      return { response: json({ now, offset_seconds: core.store.clockOffsetMs() / 1000 }), ctx };
    }

    if (path === '/_emulator/reset' && method === 'POST') {
      await core.deliverer.settle();
      core.store.reset();
      return { response: json({ reset: true }), ctx };
    }

    return {
      response: json(
        {
          error: {
            type: 'invalid_request_error',
            message: `No control endpoint ${method} ${path}`,
            endpoints: INDEX.endpoints,
          },
        },
        404,
      ),
      ctx,
    };
  } catch (err) {
    if (err instanceof StripeError) return { response: json(err.body(), err.status), ctx };
    throw err;
  }
}
