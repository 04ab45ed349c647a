import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

describe('GET /health', () => {
  it('reports each binding and the Stripe mode', async () => {
    const res = await SELF.fetch('http://localhost/health');
    const body = await res.json<{
      status: string;
      stripe_mode: string;
      checks: Record<string, { ok: boolean }>;
    }>();
    expect(body.stripe_mode).toBe('emulator');
    expect(body.checks.d1?.ok).toBe(true);
    expect(body.checks.cart_object?.ok).toBe(true);
    expect(body.checks.payouts_queue?.ok).toBe(true);
  });

  it('answers unknown paths with problem+json 404', async () => {
    const res = await SELF.fetch('http://localhost/nope', { headers: { accept: 'application/json' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });
});
