// The Durable Object holding all of the emulator's state. One instance serves every request, so
// Stripe objects, idempotency keys and events change one request at a time; webhook deliveries run
// from its alarm (automatic mode) or when a control endpoint asks (drain, resend, ...).
import { DurableObject } from 'cloudflare:workers';
import type { Hono } from 'hono';
import { createApp } from './app';
import { Ctx } from './context';
import { Deliverer, type AttemptResult } from './delivery';
import type { EmulatorEnv } from './env';
import type { AppEnv, EmulatorCore } from './http';
import { Store } from './store';
import { sweepExpiredSessions } from './api/checkout';

export class StripeEmulator extends DurableObject<EmulatorEnv> implements EmulatorCore {
  readonly store: Store;
  readonly deliverer: Deliverer;
  private readonly app: Hono<AppEnv>;

  constructor(state: DurableObjectState, env: EmulatorEnv) {
    super(state, env);
    this.store = new Store(state.storage.sql);
    this.deliverer = new Deliverer(this.store, env);
    this.app = createApp(this);
  }

  /** A context for work not tied to an API request (pages, controls, alarm). */
  makeCtx(publicUrl: string): Ctx {
    return new Ctx(this.store, null, publicUrl, { id: null, idempotency_key: null });
  }

  override fetch(request: Request): Promise<Response> {
    return Promise.resolve(this.app.fetch(request, this.env));
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
  async reschedule(): Promise<void> {
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
