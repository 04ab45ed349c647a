// Refunds, transfers and reversals: the balance rules of separate charges and transfers.
import { describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import { emu, onboardedAccount, paidSession, stripe } from './helpers';

describe('refunds', () => {
  it('refunds partially then fully, never beyond what remains', async () => {
    const { pi, charge } = await paidSession({}, 5000);
    const partial = await stripe.refunds.create({
      payment_intent: pi.id,
      amount: 2000,
      metadata: { order_id: 'ord_r1' },
    });
    expect(partial.id).toMatch(/^re_/);
    expect(partial).toMatchObject({
      object: 'refund',
      amount: 2000,
      charge: charge.id,
      payment_intent: pi.id,
      status: 'succeeded',
      metadata: { order_id: 'ord_r1' },
    });
    let after = await stripe.charges.retrieve(charge.id);
    expect(after).toMatchObject({ amount_refunded: 2000, refunded: false });

    await expect(stripe.refunds.create({ charge: charge.id, amount: 3001 })).rejects.toMatchObject({
      statusCode: 400,
      code: 'amount_too_large',
    });

    const rest = await stripe.refunds.create({ charge: charge.id });
    expect(rest.amount).toBe(3000);
    after = await stripe.charges.retrieve(charge.id);
    expect(after).toMatchObject({ amount_refunded: 5000, refunded: true });
    await expect(stripe.refunds.create({ charge: charge.id, amount: 1 })).rejects.toMatchObject({
      statusCode: 400,
      code: 'charge_already_refunded',
    });

    const listed = await stripe.refunds.list({ charge: charge.id });
    expect(listed.data.map((r) => r.amount).sort()).toEqual([2000, 3000]);
  });

  it('refuses refunds of unpaid intents and unknown charges', async () => {
    const pi = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd' });
    await expect(stripe.refunds.create({ payment_intent: pi.id })).rejects.toMatchObject({ statusCode: 400 });
    await expect(stripe.refunds.create({ charge: 'ch_missing' })).rejects.toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
    });
  });
});

describe('transfers', () => {
  it('transfers from a charge to an onboarded vendor, lists by transfer_group, and reverses partially', async () => {
    const vendor = await onboardedAccount();
    expect(vendor).toMatchObject({ charges_enabled: true, payouts_enabled: true, details_submitted: true });
    const group = `ord_${crypto.randomUUID().slice(0, 8)}`;
    const { charge } = await paidSession({ payment_intent_data: { transfer_group: group } }, 10000);

    const transfer = await stripe.transfers.create(
      {
        amount: 9000,
        currency: 'usd',
        destination: vendor.id,
        transfer_group: group,
        source_transaction: charge.id,
        metadata: { line: 'l1' },
      },
      { idempotencyKey: `transfer-${group}` },
    );
    expect(transfer.id).toMatch(/^tr_/);
    expect(transfer).toMatchObject({
      object: 'transfer',
      amount: 9000,
      amount_reversed: 0,
      reversed: false,
      destination: vendor.id,
      transfer_group: group,
      source_transaction: charge.id,
      metadata: { line: 'l1' },
    });
    const again = await stripe.transfers.create(
      {
        amount: 9000,
        currency: 'usd',
        destination: vendor.id,
        transfer_group: group,
        source_transaction: charge.id,
        metadata: { line: 'l1' },
      },
      { idempotencyKey: `transfer-${group}` },
    );
    expect(again.id).toBe(transfer.id);

    const listed = await stripe.transfers.list({ transfer_group: group });
    expect(listed.data.map((t) => t.id)).toEqual([transfer.id]);

    // The source charge can't fund more than its amount.
    await expect(
      stripe.transfers.create({
        amount: 1001,
        currency: 'usd',
        destination: vendor.id,
        source_transaction: charge.id,
      }),
    ).rejects.toMatchObject({ statusCode: 400, code: 'balance_insufficient' });

    const r1 = await stripe.transfers.createReversal(transfer.id, {
      amount: 3000,
      metadata: { refund: 're_1' },
    });
    expect(r1).toMatchObject({
      object: 'transfer_reversal',
      amount: 3000,
      transfer: transfer.id,
      metadata: { refund: 're_1' },
    });
    const r2 = await stripe.transfers.createReversal(transfer.id, { amount: 6000 });
    expect(r2.amount).toBe(6000);
    const reversed = await stripe.transfers.retrieve(transfer.id);
    expect(reversed).toMatchObject({ amount_reversed: 9000, reversed: true });
    expect(reversed.reversals.data.map((r) => r.id)).toEqual([r2.id, r1.id]);
    await expect(stripe.transfers.createReversal(transfer.id, { amount: 1 })).rejects.toMatchObject({
      statusCode: 400,
    });
  });

  it('never reverses more than remains of a transfer', async () => {
    const vendor = await onboardedAccount();
    const { charge } = await paidSession({}, 4000);
    const transfer = await stripe.transfers.create({
      amount: 3000,
      currency: 'usd',
      destination: vendor.id,
      source_transaction: charge.id,
    });
    await expect(stripe.transfers.createReversal(transfer.id, { amount: 3001 })).rejects.toMatchObject({
      statusCode: 400,
      code: 'amount_too_large',
    });
    const partial = await stripe.transfers.createReversal(transfer.id, { amount: 1000 });
    expect(partial.amount).toBe(1000);
    expect((await stripe.transfers.retrieve(transfer.id)).reversed).toBe(false);
  });

  it('without source_transaction, needs the platform’s available balance', async () => {
    const vendor = await onboardedAccount();
    const balance = await stripe.balance.retrieve();
    const available = balance.available.find((b) => b.currency === 'usd')?.amount ?? 0;
    await expect(
      stripe.transfers.create({ amount: available + 1, currency: 'usd', destination: vendor.id }),
    ).rejects.toMatchObject({ statusCode: 400, code: 'balance_insufficient' });

    const { charge } = await paidSession({}, 10000);
    const bt = await stripe.balanceTransactions.retrieve(charge.balance_transaction as string);
    expect(bt).toMatchObject({ amount: 10000, fee: 320, net: 9680, type: 'charge' });
    const after = (await stripe.balance.retrieve()).available.find((b) => b.currency === 'usd')!.amount;
    expect(after).toBe(available + 9680);
    const ok = await stripe.transfers.create({ amount: 9680, currency: 'usd', destination: vendor.id });
    expect(ok.amount).toBe(9680);
    const vendorBalance = await stripe.balance.retrieve({}, { stripeAccount: vendor.id });
    expect(vendorBalance.available.find((b) => b.currency === 'usd')?.amount).toBe(9680);
  });

  it('fails for a vendor whose onboarding is incomplete, an unknown one, or one set to fail', async () => {
    const { charge } = await paidSession({}, 5000);
    const pending = await stripe.accounts.create({
      type: 'express',
      capabilities: { transfers: { requested: true } },
    });
    await expect(
      stripe.transfers.create({
        amount: 100,
        currency: 'usd',
        destination: pending.id,
        source_transaction: charge.id,
      }),
    ).rejects.toMatchObject({ statusCode: 400, code: 'insufficient_capabilities_for_transfer' });
    await expect(
      stripe.transfers.create({
        amount: 100,
        currency: 'usd',
        destination: 'acct_nobody',
        source_transaction: charge.id,
      }),
    ).rejects.toMatchObject({ statusCode: 400, param: 'destination' });

    const vendor = await onboardedAccount();
    await emu.faults({ fail_transfers_to: vendor.id });
    const err = await stripe.transfers
      .create({ amount: 100, currency: 'usd', destination: vendor.id, source_transaction: charge.id })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(err).toMatchObject({ statusCode: 400, code: 'account_invalid' });
    await emu.faults({ fail_transfers_to: null });
    const ok = await stripe.transfers.create({
      amount: 100,
      currency: 'usd',
      destination: vendor.id,
      source_transaction: charge.id,
    });
    expect(ok.destination).toBe(vendor.id);
  });

  it('404s unknown transfers', async () => {
    await expect(stripe.transfers.retrieve('tr_missing')).rejects.toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
    });
  });
});
