// The Stripe.js stand-in and the small hosted pages (receipt, control index).
import { env } from 'cloudflare:workers';
import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { paidSession } from './helpers';

describe('Stripe.js stand-in', () => {
  it('is an external script defining Stripe(), served through the storefront proxy', async () => {
    const res = await SELF.fetch('http://localhost/__stripe/v3/stripe.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/javascript');
    const js = await res.text();
    expect(js).toContain('window.Stripe = Stripe');
    expect(js).toContain('confirmPayment');
    expect(js).toContain('/confirm');
    expect(js).toContain('redirect_status');
    // Valid JavaScript.
    expect(() => new Function(js)).not.toThrow();
  });
});

describe('receipts', () => {
  it('shows the amount paid at the charge’s receipt_url', async () => {
    const { charge } = await paidSession({}, 3150);
    const path = new URL(charge.receipt_url!).pathname.replace('/__stripe', '');
    const res = await env.STRIPE_EMULATOR!.fetch(`http://stripe-emulator.local${path}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('$31.50');
    const missing = await env.STRIPE_EMULATOR!.fetch('http://stripe-emulator.local/receipts/ch_missing');
    expect(missing.status).toBe(404);
  });
});

describe('control index', () => {
  it('lists the control endpoints and answers unknown ones with 404', async () => {
    const index = await env.STRIPE_EMULATOR!.fetch('http://stripe-emulator.local/_emulator');
    expect((await index.json<{ endpoints: string[] }>()).endpoints.length).toBeGreaterThan(5);
    const unknown = await env.STRIPE_EMULATOR!.fetch('http://stripe-emulator.local/_emulator/nope', {
      method: 'POST',
    });
    expect(unknown.status).toBe(404);
  });
});
