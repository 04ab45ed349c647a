// The Durable Object holding all of the emulator's state. One instance serves every request, so
// Stripe objects, idempotency keys and events change one request at a time; webhook deliveries run
// from its alarm (automatic mode) or when a control endpoint asks (drain, resend, ...).
import { DurableObject } from 'cloudflare:workers';
import { handleApi } from './api';
import { Ctx } from './context';
import { handleControl, type EmulatorCore } from './control';
import { Deliverer, type AttemptResult, type EmulatorEnv } from './delivery';
import { Store } from './store';
import { sweepExpiredSessions } from './api/checkout';
import { checkoutPage } from './pages/checkout-page';
import { expressDashboard, onboardingPage } from './pages/connect-pages';
import { messagePage } from './pages/layout';
import { invoicePage, receiptPage } from './pages/receipts';
import { stripeJs } from './pages/stripe-js';

/** The base every browser-facing URL is built from: the override header, else PUBLIC_URL. */
function publicBase(request: Request, env: EmulatorEnv): string {
  const base = request.headers.get('x-emulator-public-url') || env.PUBLIC_URL || new URL(request.url).origin;
  return base.replace(/\/+$/, '');
}

export class StripeEmulator extends DurableObject<EmulatorEnv> implements EmulatorCore {
  readonly store: Store;
  readonly deliverer: Deliverer;

  constructor(state: DurableObjectState, env: EmulatorEnv) {
    super(state, env);
    this.store = new Store(state.storage.sql);
    this.deliverer = new Deliverer(this.store, env);
  }

  /** A context for work not tied to an API request (pages, controls, alarm). */
  makeCtx(publicUrl: string): Ctx {
    return new Ctx(this.store, null, publicUrl, { id: null, idempotency_key: null });
  }

  override async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const publicUrl = publicBase(request, this.env);
    const path = url.pathname;
    let result: { response: Response; ctx: Ctx | null };
    if (path.startsWith('/v1/')) {
      result = await handleApi(this.store, request, url, publicUrl);
    } else if (path === '/_emulator' || path.startsWith('/_emulator/')) {
      result = await handleControl(this, request, url, publicUrl);
    } else {
      const ctx = this.makeCtx(publicUrl);
      result = { response: await this.page(ctx, request, path), ctx };
    }
    if (result.ctx && result.ctx.emitted.length > 0) await this.reschedule();
    return result.response;
  }

  private async page(ctx: Ctx, request: Request, path: string): Promise<Response> {
    const method = request.method.toUpperCase();
    let m: RegExpExecArray | null;
    if (path === '/v3/stripe.js' || path === '/v3/' || path === '/v3') return stripeJs();
    if ((m = /^\/c\/pay\/([^/]+)\/?$/.exec(path)) && (method === 'GET' || method === 'POST')) {
      return checkoutPage(ctx, request, decodeURIComponent(m[1]!));
    }
    if ((m = /^\/connect\/onboarding\/([^/]+)\/?$/.exec(path)) && (method === 'GET' || method === 'POST')) {
      return onboardingPage(ctx, request, decodeURIComponent(m[1]!));
    }
    if ((m = /^\/express\/([^/]+)\/?$/.exec(path)) && method === 'GET')
      return expressDashboard(ctx, decodeURIComponent(m[1]!));
    if ((m = /^\/receipts\/([^/]+)\/?$/.exec(path)) && method === 'GET')
      return receiptPage(ctx, decodeURIComponent(m[1]!));
    if ((m = /^\/invoices\/([^/]+)\/?$/.exec(path)) && method === 'GET')
      return invoicePage(ctx, decodeURIComponent(m[1]!));
    if (path === '/' && method === 'GET') {
      return messagePage(
        'Stripe emulator',
        'The local Stripe emulator is running. API under /v1, controls under /_emulator.',
      );
    }
    return messagePage('Not found', 'There is nothing at this address.', undefined, 404);
  }

  /**
   * Delivers every pending event now, oldest first, each at most once per drain (a failing
   * endpoint does not loop), including events emitted while draining. Waits for attempts already
   * under way and reports them too.
   */
  async drain(): Promise<AttemptResult[]> {
    const results: AttemptResult[] = [];
    const tried = new Set<string>();
    for (;;) {
      const next = this.store.pendingDeliveries().find((d) => !tried.has(d.event_id));
      if (!next) break;
      tried.add(next.event_id);
      results.push(await this.deliverer.deliver(next.event_id, 'drain'));
    }
    await this.reschedule();
    return results;
  }

  /** Sets the alarm for the next due delivery (automatic mode) or session expiry. */
  private async reschedule(): Promise<void> {
    const times: number[] = [];
    if (this.store.config().auto_deliver) {
      const next = this.store.nextDeliveryAt();
      if (next !== null) times.push(next);
    }
    const expiry = this.store.nextExpiry();
    if (expiry !== null) times.push(expiry * 1000 - this.store.clockOffsetMs());
    if (times.length === 0) {
      await this.ctx.storage.deleteAlarm();
      return;
    }
    const at = Math.max(Math.min(...times), Date.now() + 5);
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }

  /** Expires sessions past `expires_at` and, in automatic mode, delivers what is due, in order. */
  override async alarm(): Promise<void> {
    sweepExpiredSessions(this.systemCtx());
    if (this.store.config().auto_deliver) {
      for (const d of this.store.pendingDeliveries(Date.now())) {
        if (!this.store.config().auto_deliver) break;
        await this.deliverer.deliver(d.event_id, 'auto');
      }
    }
    await this.reschedule();
  }

  private systemCtx(): Ctx {
    return this.makeCtx(this.env.PUBLIC_URL?.replace(/\/+$/, '') ?? '');
  }
}
