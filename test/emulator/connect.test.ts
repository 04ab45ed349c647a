// Connected accounts, account links (the onboarding page), login links and Connect events.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type Stripe from 'stripe';
import { emu, onboardedAccount, stripe } from './helpers';

function page(path: string, init?: RequestInit): Promise<Response> {
  return env.STRIPE_EMULATOR!.fetch(`http://stripe-emulator.local${path}`, { redirect: 'manual', ...init });
}

describe('accounts', () => {
  it('creates an Express account that cannot take payouts until onboarded, and emits no account.created', async () => {
    const account = await stripe.accounts.create({
      controller: {
        stripe_dashboard: { type: 'express' },
        fees: { payer: 'application' },
        losses: { payments: 'application' },
      },
      capabilities: { card_payments: { requested: true }, transfers: { requested: true } },
      email: 'new-vendor@example.com',
      business_profile: { name: 'Kiln & Co', url: 'https://kiln.example' },
      metadata: { store: 'kiln' },
    });
    expect(account.id).toMatch(/^acct_/);
    expect(account).toMatchObject({
      object: 'account',
      type: 'express',
      charges_enabled: false,
      payouts_enabled: false,
      details_submitted: false,
      email: 'new-vendor@example.com',
      business_profile: { name: 'Kiln & Co', url: 'https://kiln.example' },
      capabilities: { card_payments: 'inactive', transfers: 'inactive' },
      metadata: { store: 'kiln' },
    });
    expect(account.requirements?.currently_due?.length).toBeGreaterThan(0);
    const created = await stripe.events.list({ type: 'account.created' }, { stripeAccount: account.id });
    expect(created.data).toEqual([]);
    await expect(stripe.accounts.create({} as Stripe.AccountCreateParams)).rejects.toMatchObject({
      statusCode: 400,
      param: 'type',
    });
  });

  it('updates an account and emits account.updated carrying the account', async () => {
    const account = await stripe.accounts.create({ type: 'express' });
    const updated = await stripe.accounts.update(account.id, {
      business_profile: { name: 'Renamed' },
      metadata: { a: '1' },
    });
    expect(updated.business_profile?.name).toBe('Renamed');
    const events = await stripe.events.list({ type: 'account.updated' }, { stripeAccount: account.id });
    expect(events.data).toHaveLength(1);
    expect(events.data[0]).toMatchObject({ account: account.id, type: 'account.updated' });
    expect((events.data[0]!.data.object as Stripe.Account).business_profile?.name).toBe('Renamed');
    expect(events.data[0]!.data.previous_attributes).toHaveProperty('business_profile');
    await expect(stripe.accounts.retrieve('acct_missing')).rejects.toMatchObject({ statusCode: 404 });
  });
});

describe('account links and the onboarding page', () => {
  it('onboards through the form and returns to return_url', async () => {
    const account = await stripe.accounts.create({
      type: 'express',
      capabilities: { transfers: { requested: true } },
    });
    const link = await stripe.accountLinks.create({
      account: account.id,
      type: 'account_onboarding',
      refresh_url: 'http://localhost/vendors/onboarding/refresh',
      return_url: 'http://localhost/vendors/onboarding/return',
    });
    expect(link).toMatchObject({ object: 'account_link' });
    expect(link.expires_at).toBeGreaterThan(link.created);
    expect(link.url).toMatch(/^http:\/\/localhost\/__stripe\/connect\/onboarding\//);
    const path = new URL(link.url).pathname.replace('/__stripe', '');

    const form = await page(path);
    expect(form.status).toBe(200);
    const html = await form.text();
    expect(html).toContain('Business name');
    expect(html).toContain(account.id);

    const submitted = await page(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        business_name: 'Glass House',
        email: 'glass@example.com',
        url: 'https://glass.example',
      }),
    });
    expect(submitted.status).toBe(303);
    expect(submitted.headers.get('location')).toBe('http://localhost/vendors/onboarding/return');

    const after = await stripe.accounts.retrieve(account.id);
    expect(after).toMatchObject({
      charges_enabled: true,
      payouts_enabled: true,
      details_submitted: true,
      email: 'glass@example.com',
      business_profile: { name: 'Glass House', url: 'https://glass.example' },
      capabilities: { transfers: 'active' },
    });
    expect(after.requirements?.currently_due).toEqual([]);

    // Links are single-use: coming back sends the vendor to refresh_url for a new one.
    const reused = await page(path);
    expect(reused.status).toBe(303);
    expect(reused.headers.get('location')).toBe('http://localhost/vendors/onboarding/refresh');
  });

  it('an expired link goes to refresh_url', async () => {
    const account = await stripe.accounts.create({ type: 'express' });
    const link = await stripe.accountLinks.create({
      account: account.id,
      type: 'account_onboarding',
      refresh_url: 'http://localhost/refresh',
      return_url: 'http://localhost/return',
    });
    await emu.advanceClock(link.expires_at - link.created + 1);
    const res = await page(new URL(link.url).pathname.replace('/__stripe', ''));
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('http://localhost/refresh');
  });

  it('validates account link parameters', async () => {
    const account = await stripe.accounts.create({ type: 'express' });
    await expect(
      stripe.accountLinks.create({
        account: account.id,
        type: 'account_onboarding',
        return_url: 'http://x',
      } as Stripe.AccountLinkCreateParams),
    ).rejects.toMatchObject({ statusCode: 400, param: 'refresh_url' });
    await expect(
      stripe.accountLinks.create({
        account: 'acct_missing',
        type: 'account_onboarding',
        refresh_url: 'http://x',
        return_url: 'http://x',
      }),
    ).rejects.toMatchObject({ statusCode: 404 });
  });
});

describe('login links', () => {
  it('opens the Express dashboard of an onboarded account only', async () => {
    const pending = await stripe.accounts.create({ type: 'express' });
    await expect(stripe.accounts.createLoginLink(pending.id)).rejects.toMatchObject({ statusCode: 400 });
    const vendor = await onboardedAccount('dash@example.com');
    const link = await stripe.accounts.createLoginLink(vendor.id);
    expect(link).toMatchObject({
      object: 'login_link',
      url: `http://localhost/__stripe/express/${vendor.id}`,
    });
    const dash = await page(`/express/${vendor.id}`);
    expect(dash.status).toBe(200);
    expect(await dash.text()).toContain('Demo Vendor');
  });
});
