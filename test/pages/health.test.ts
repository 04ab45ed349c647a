// GET /health: a check per binding, 503 when one fails.
import { SELF } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { healthRoutes } from '../../src/ops/health';

type Health = {
  status: string;
  stripe_mode: string;
  checks: Record<string, { ok: boolean; detail?: string }>;
};

describe('GET /health', () => {
  it('answers 200 with every check ok', async () => {
    const res = await SELF.fetch('http://localhost/health');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await res.json<Health>();
    expect(body.status).toBe('ok');
    expect(Object.keys(body.checks).sort()).toEqual([
      'cart_object',
      'd1',
      'mail',
      'payouts_queue',
      'public_url',
      'stripe',
    ]);
    expect(Object.values(body.checks).every((c) => c.ok)).toBe(true);
  });

  it('answers 503 and names the failing binding when D1 fails', async () => {
    const brokenDb = {
      prepare() {
        throw new Error('D1 is unreachable');
      },
    } as unknown as D1Database;
    // The raw error text is the operator's (Bearer ADMIN_TOKEN); see test/http/health-detail.test.ts.
    const res = await healthRoutes.request(
      '/health',
      { headers: { authorization: `Bearer ${env.ADMIN_TOKEN}` } },
      { ...env, DB: brokenDb },
    );
    expect(res.status).toBe(503);
    const body = await res.json<Health>();
    expect(body.status).toBe('degraded');
    expect(body.checks.d1).toMatchObject({ ok: false, detail: 'D1 is unreachable' });
    expect(body.checks.cart_object?.ok).toBe(true);
  });

  it('answers 503 when the queue is not bound', async () => {
    const res = await healthRoutes.request('/health', {}, { ...env, PAYOUTS: undefined });
    expect(res.status).toBe(503);
    expect((await res.json<Health>()).checks.payouts_queue?.ok).toBe(false);
  });

  it('answers 503 when mail cannot leave: no NOTIFY queue, or a transport that needs a setting', async () => {
    const unbound = await healthRoutes.request('/health', {}, { ...env, NOTIFY: undefined });
    expect(unbound.status).toBe(503);
    expect((await unbound.json<Health>()).checks.mail?.ok).toBe(false);
    const misconfigured = await healthRoutes.request(
      '/health',
      { headers: { authorization: `Bearer ${env.ADMIN_TOKEN}` } },
      { ...env, MAIL_TRANSPORT: 'pigeon' },
    );
    expect(misconfigured.status).toBe(503);
    expect((await misconfigured.json<Health>()).checks.mail).toMatchObject({
      ok: false,
      detail: expect.stringContaining('MAIL_TRANSPORT') as unknown,
    });
  });
});
