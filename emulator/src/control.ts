// Control endpoints under /_emulator/ (not Stripe's API): delivery modes and draining, resend,
// duplicates, ordered delivery, triggers, injected faults, the checkout and onboarding actions
// the hosted pages perform, a test clock, and reset. Reached only through the service binding
// (tests) or the storefront's dev proxy; JSON in and out.
import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AttemptResult } from './delivery';
import { StripeError, noSuch } from './errors';
import type { AppEnv, EmulatorCore } from './http';
import type { EmulatorConfig } from './store';
import type { AccountObj, ChargeObj, InvoiceObj, SessionObj, SubscriptionObj } from './types';
import { closeDispute, openDispute, type DisputeObj } from './api/disputes';
import { billDue, payOpenInvoice, renewSubscription } from './api/billing';
import { createPaymentMethod, normaliseCardNumber } from './payments';
import { getSession, paySession, sweepExpiredSessions, type PayInput } from './api/checkout';
import { completeOnboarding, getAccount, updateAccountFields } from './api/connect';
import { runTrigger, TRIGGERS, type TriggerBody } from './trigger';

function json(c: Context<AppEnv>, body: unknown, status = 200): Response {
  return c.body(JSON.stringify(body, null, 2), status as ContentfulStatusCode, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
  });
}

async function readJson<T>(c: Context<AppEnv>): Promise<T> {
  const text = new TextDecoder().decode(await c.req.arrayBuffer());
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
    'POST /_emulator/subscriptions/:id/card { card }',
    'POST /_emulator/invoices/:id/pay { card? }',
    'POST /_emulator/charges/:id/dispute { amount?, reason? }',
    'POST /_emulator/disputes/:id/close { outcome: won|lost }',
    'POST /_emulator/reset',
  ],
  triggers: TRIGGERS,
};

/** The answer to a path or method no control endpoint has: 404 with the list of endpoints. */
function unknownEndpoint(c: Context<AppEnv>): Response {
  const path = new URL(c.req.url).pathname.replace(/\/+$/, '');
  return json(
    c,
    {
      error: {
        type: 'invalid_request_error',
        message: `No control endpoint ${c.req.method} ${path}`,
        endpoints: INDEX.endpoints,
      },
    },
    404,
  );
}

/** The control endpoints under /_emulator (JSON in and out). */
export const controlRoutes = new Hono<AppEnv>({ strict: false })
  .get('/_emulator', (c) => json(c, INDEX))

  .all('/_emulator/config', async (c) => {
    const core = c.var.core;
    if (c.req.method === 'POST') {
      const body = await readJson<Partial<EmulatorConfig>>(c);
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
    return json(c, core.store.config());
  })

  .post('/_emulator/deliveries/drain', async (c) => {
    const results = await c.var.core.drain();
    return json(
      c,
      results.map((x) => ({
        event_id: x.event_id,
        type: x.type,
        status: x.status,
        ok: x.ok,
        attempt: x.attempt,
        ...(x.error ? { error: x.error } : {}),
      })),
    );
  })

  .get('/_emulator/deliveries', (c) =>
    json(c, deliveryView(c.var.core, c.req.query('event_id') ?? undefined)),
  )

  .post('/_emulator/events/:id/:action{resend|duplicate}', async (c) => {
    const core = c.var.core;
    const id = c.req.param('id');
    if (!core.store.getEvent(id)) throw noSuch('event', id);
    if (c.req.param('action') === 'resend') return json(c, await core.deliverer.attempt(id, 'resend'));
    // Two deliveries of the same event at the same time, as Stripe's at-least-once delivery allows.
    const both = await Promise.all([
      core.deliverer.attempt(id, 'duplicate'),
      core.deliverer.attempt(id, 'duplicate'),
    ]);
    return json(c, both);
  })

  .post('/_emulator/deliver', async (c) => {
    const core = c.var.core;
    const body = await readJson<{ event_ids?: unknown }>(c);
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
    return json(c, results);
  })

  .post('/_emulator/trigger', async (c) => {
    const ctx = c.var.ctx;
    const body = await readJson<TriggerBody>(c);
    const objects = runTrigger(ctx.as(null), body);
    const events = ctx.emitted.map((id) => ({ id, type: c.var.core.store.getEvent(id)?.type }));
    return json(c, { type: body.type, objects, events });
  })

  .all('/_emulator/faults', async (c) => {
    const core = c.var.core;
    if (c.req.method === 'POST') {
      const body = await readJson<{
        fail_next?: number;
        status?: number;
        fail_transfers_to?: string | string[] | null;
      }>(c);
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
    const config = core.store.config();
    return json(c, {
      fail_next: config.fail_next,
      status: config.fail_status,
      fail_transfers_to: config.fail_transfers_to,
    });
  })

  .post('/_emulator/checkout/sessions/:id/pay', async (c) => {
    const id = c.req.param('id');
    const found = c.var.core.store.getAny<SessionObj>(id, 'checkout.session');
    if (!found) throw noSuch('checkout.session', id, 'session');
    const scoped = c.var.ctx.as(found.account);
    const body = await readJson<PayInput>(c);
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
    return json(c, {
      redirect,
      session: session.id,
      payment_intent: session.payment_intent,
      subscription: session.subscription,
    });
  })

  .post('/_emulator/accounts/:id/complete_onboarding', async (c) => {
    const ctx = c.var.ctx.as(null);
    const account = getAccount(ctx, c.req.param('id'));
    const body = await readJson<{
      business_name?: string;
      email?: string;
      url?: string;
      product_description?: string;
    }>(c);
    return json(c, completeOnboarding(ctx, account, body));
  })

  .post('/_emulator/accounts/:id/update', async (c) => {
    const ctx = c.var.ctx.as(null);
    const account = getAccount(ctx, c.req.param('id'));
    const body =
      await readJson<Partial<Pick<AccountObj, 'charges_enabled' | 'payouts_enabled' | 'details_submitted'>>>(
        c,
      );
    const updated = updateAccountFields(ctx, account, (a) => {
      for (const k of ['charges_enabled', 'payouts_enabled', 'details_submitted'] as const) {
        if (typeof body[k] === 'boolean') a[k] = body[k];
      }
      if (body.payouts_enabled === false && a.capabilities.transfers) a.capabilities.transfers = 'inactive';
      if (body.payouts_enabled === true && a.capabilities.transfers) a.capabilities.transfers = 'active';
    });
    return json(c, updated);
  })

  .post('/_emulator/charges/:id/dispute', async (c) => {
    const id = c.req.param('id');
    // The body first: an answer sent before it is read leaves the request stream dangling.
    const body = await readJson<{ amount?: number; reason?: string }>(c);
    const found = c.var.core.store.getAny<ChargeObj>(id, 'charge');
    if (!found) throw noSuch('charge', id);
    const dispute = openDispute(c.var.ctx.as(found.account), found.obj, {
      ...(body.amount === undefined ? {} : { amount: body.amount }),
      ...(typeof body.reason === 'string' ? { reason: body.reason } : {}),
    });
    return json(c, { dispute: dispute.id, status: dispute.status, amount: dispute.amount });
  })

  .post('/_emulator/disputes/:id/close', async (c) => {
    const id = c.req.param('id');
    const { outcome } = await readJson<{ outcome?: unknown }>(c);
    const found = c.var.core.store.getAny<DisputeObj>(id, 'dispute');
    if (!found) throw noSuch('dispute', id);
    if (outcome !== 'won' && outcome !== 'lost')
      throw new StripeError(400, 'invalid_request_error', 'outcome must be "won" or "lost".');
    const dispute = closeDispute(c.var.ctx.as(found.account), found.obj, outcome);
    return json(c, { dispute: dispute.id, status: dispute.status });
  })

  .post('/_emulator/subscriptions/:id/renew', (c) => {
    const id = c.req.param('id');
    const found = c.var.core.store.getAny<SubscriptionObj>(id, 'subscription');
    if (!found) throw noSuch('subscription', id);
    const { subscription, invoice } = renewSubscription(c.var.ctx.as(found.account), found.obj);
    return json(c, { subscription: subscription.id, invoice: invoice.id });
  })

  .post('/_emulator/subscriptions/:id/card', async (c) => {
    const id = c.req.param('id');
    const found = c.var.core.store.getAny<SubscriptionObj>(id, 'subscription');
    if (!found) throw noSuch('subscription', id);
    const body = await readJson<{ card?: string }>(c);
    const ctx = c.var.ctx.as(found.account);
    const pm = createPaymentMethod(ctx, normaliseCardNumber(body.card ?? '4242424242424242'));
    pm.customer = found.obj.customer;
    ctx.store.put(pm, ctx.account);
    found.obj.default_payment_method = pm.id;
    ctx.store.put(found.obj, ctx.account);
    return json(c, { subscription: id, payment_method: pm.id });
  })

  .post('/_emulator/invoices/:id/pay', async (c) => {
    const id = c.req.param('id');
    const found = c.var.core.store.getAny<InvoiceObj>(id, 'invoice');
    if (!found) throw noSuch('invoice', id);
    const body = await readJson<{ card?: string }>(c);
    const ctx = c.var.ctx.as(found.account);
    const pm = body.card ? createPaymentMethod(ctx, normaliseCardNumber(body.card)).id : undefined;
    const invoice = payOpenInvoice(ctx, found.obj, pm);
    return json(c, { invoice: invoice.id, status: invoice.status });
  })

  .get('/_emulator/clock', (c) => {
    const store = c.var.core.store;
    return json(c, { now: store.now(), offset_seconds: store.clockOffsetMs() / 1000 });
  })

  .post('/_emulator/clock/advance', async (c) => {
    const store = c.var.core.store;
    const body = await readJson<{ seconds?: number }>(c);
    if (typeof body.seconds !== 'number' || !Number.isFinite(body.seconds) || body.seconds < 0) {
      throw new StripeError(
        400,
        'invalid_request_error',
        '`seconds` must be a non-negative number.',
        undefined,
        'seconds',
      );
    }
    const now = store.advanceClock(Math.floor(body.seconds));
    sweepExpiredSessions(c.var.ctx.as(null));
    billDue(c.var.ctx.as(null));
    return json(c, { now, offset_seconds: store.clockOffsetMs() / 1000 });
  })

  .post('/_emulator/reset', async (c) => {
    const core = c.var.core;
    await core.deliverer.settle();
    core.store.reset();
    return json(c, { reset: true });
  })

  // Registered last: Hono runs the first matching handler, and this pattern (which covers `/_emulator`
  // itself too) matches every path above.
  .all('/_emulator/*', unknownEndpoint)
  .onError((err, c) => {
    if (err instanceof StripeError) return json(c, err.body(), err.status);
    throw err;
  });
