// POST /webhooks/stripe: signatures are checked on the raw body against every accepted secret; a bad
// one is refused with 400 and nothing is stored; each event is stored once by its id.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { webhookSecrets } from '../../src/stripe/client';
import { verifyStripeEvent } from '../../src/stripe/verify';
import {
  CONNECT_SECRET,
  deliver,
  postRaw,
  signatureFor,
  storedEvent,
  stripeEvent,
  stripeId,
} from '../helpers/webhook-events';

/** A harmless event no domain handles. */
const unknownEvent = () =>
  stripeEvent('radar.early_fraud_warning.created', {
    id: stripeId('issfr'),
    object: 'radar.early_fraud_warning',
  });

describe('POST /webhooks/stripe signature checks', () => {
  it('refuses a request without a signature and stores nothing', async () => {
    const event = unknownEvent();
    const res = await postRaw(JSON.stringify(event), null);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await storedEvent(env.DB, event.id as string)).toBeNull();
  });

  it('refuses a signature made with another secret', async () => {
    const event = unknownEvent();
    const body = JSON.stringify(event);
    const res = await postRaw(body, await signatureFor(body, 'whsec_someone_else'));
    expect(res.status).toBe(400);
    expect(await storedEvent(env.DB, event.id as string)).toBeNull();
  });

  it('refuses a garbled signature header', async () => {
    const event = unknownEvent();
    const res = await postRaw(JSON.stringify(event), 't=abc,v1=nothex');
    expect(res.status).toBe(400);
    expect(await storedEvent(env.DB, event.id as string)).toBeNull();
  });

  it('refuses a body re-serialised after signing (the signature covers the exact bytes)', async () => {
    const event = unknownEvent();
    const body = JSON.stringify(event);
    const signature = await signatureFor(body);
    const res = await postRaw(JSON.stringify(JSON.parse(body), null, 2), signature);
    expect(res.status).toBe(400);
    expect(await storedEvent(env.DB, event.id as string)).toBeNull();
  });

  it('refuses a signature older than the tolerance (a replayed delivery)', async () => {
    const event = unknownEvent();
    const res = await deliver(event, { timestamp: Math.floor(Date.now() / 1000) - 301 });
    expect(res.status).toBe(400);
    expect(await storedEvent(env.DB, event.id as string)).toBeNull();
  });

  it('accepts the platform secret and the Connect endpoint secret', async () => {
    const platform = unknownEvent();
    expect((await deliver(platform)).status).toBe(200);
    const connect = stripeEvent(
      'account.application.authorized',
      { id: stripeId('ca'), object: 'application' },
      {
        account: stripeId('acct'),
      },
    );
    expect((await deliver(connect, { secret: CONNECT_SECRET })).status).toBe(200);
    expect((await storedEvent(env.DB, connect.id as string))?.status).toBeDefined();
  });

  it('accepts a header carrying one signature per secret while a secret is rolled', async () => {
    const event = unknownEvent();
    const body = JSON.stringify(event);
    const t = Math.floor(Date.now() / 1000);
    const old = await signatureFor(body, 'whsec_retired', t);
    const current = await signatureFor(body, 'whsec_test_primary', t);
    const v1 = (h: string) => h.split(',').find((p) => p.startsWith('v1='))!;
    const res = await postRaw(body, `t=${t},${v1(old)},${v1(current)},v0=ignored`);
    expect(res.status).toBe(200);
  });
});

describe('rotated secrets', () => {
  it('lists every secret of STRIPE_WEBHOOK_SECRET (comma-separated) and the Connect one', () => {
    expect(
      webhookSecrets({
        STRIPE_WEBHOOK_SECRET: 'whsec_new, whsec_old',
        STRIPE_CONNECT_WEBHOOK_SECRET: 'whsec_c',
      }),
    ).toEqual(['whsec_new', 'whsec_old', 'whsec_c']);
  });

  it('verifies an event signed with the old secret while both are configured', async () => {
    const body = JSON.stringify(unknownEvent());
    const secrets = webhookSecrets({
      STRIPE_WEBHOOK_SECRET: 'whsec_new,whsec_old',
      STRIPE_CONNECT_WEBHOOK_SECRET: 'whsec_c',
    });
    expect(await verifyStripeEvent(body, await signatureFor(body, 'whsec_old'), secrets)).not.toBeNull();
    expect(await verifyStripeEvent(body, await signatureFor(body, 'whsec_gone'), secrets)).toBeNull();
  });
});
