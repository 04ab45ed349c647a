// Connect: connected accounts (Express by default), account links, login links, transfers and
// transfer reversals, with Stripe's balance rules for separate charges and transfers.
import { Hono } from 'hono';
import type { Ctx } from '../context';
import { previous } from '../context';
import { StripeError, invalidParam, invalidRequest, missingParam, noSuch } from '../errors';
import { expandPaths, int, mergeMetadata, obj, oneOf, str, type Params } from '../form';
import { newId } from '../ids';
import { availableBalance, balanceTransaction } from '../payments';
import { createdFilter, embeddedList, list, render } from '../render';
import { stripeRoute, type AppEnv } from '../http';
import type { StripeObject } from '../store';
import type { AccountObj, ChargeObj, TransferObj, TransferReversalObj } from '../types';

/** The platform's own account (GET /v1/account without Stripe-Account). */
export const PLATFORM_ACCOUNT_ID = 'acct_1EmulatorPlatform0';

const DUE_BEFORE_ONBOARDING = [
  'business_profile.mcc',
  'business_profile.url',
  'business_type',
  'external_account',
  'representative.first_name',
  'representative.last_name',
  'tos_acceptance.date',
  'tos_acceptance.ip',
];

function requirements(due: string[]): Record<string, unknown> {
  return {
    alternatives: [],
    current_deadline: null,
    currently_due: due,
    disabled_reason: due.length ? 'requirements.past_due' : null,
    errors: [],
    eventually_due: due,
    past_due: due,
    pending_verification: [],
  };
}

function businessProfile(
  p: Params | undefined,
  existing: Record<string, unknown> = {},
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    annual_revenue: null,
    estimated_worker_count: null,
    mcc: null,
    name: null,
    product_description: null,
    support_address: null,
    support_email: null,
    support_phone: null,
    support_url: null,
    url: null,
    ...existing,
  };
  for (const k of [
    'mcc',
    'name',
    'product_description',
    'support_email',
    'support_phone',
    'support_url',
    'url',
  ]) {
    const v = p?.[k];
    if (typeof v === 'string') out[k] = v === '' ? null : v;
  }
  return out;
}

/** An account by id (platform scope), or Stripe's 404. */
export function getAccount(ctx: Ctx, id: string, param = 'account'): AccountObj {
  const a = ctx.store.get<AccountObj>(id, null, 'account');
  if (!a) {
    throw new StripeError(
      404,
      'invalid_request_error',
      `No such account: '${id}'`,
      'resource_missing',
      param,
    );
  }
  return a;
}

function platformAccount(ctx: Ctx): AccountObj {
  return {
    id: PLATFORM_ACCOUNT_ID,
    object: 'account',
    business_profile: businessProfile(undefined, { name: 'Harbor Market (emulator)' }),
    business_type: 'company',
    capabilities: { card_payments: 'active', transfers: 'active' },
    charges_enabled: true,
    controller: { type: 'account' },
    country: 'US',
    created: ctx.now(),
    default_currency: 'usd',
    details_submitted: true,
    email: 'platform@example.com',
    external_accounts: embeddedList([], `/v1/accounts/${PLATFORM_ACCOUNT_ID}/external_accounts`),
    future_requirements: requirements([]),
    metadata: {},
    payouts_enabled: true,
    requirements: requirements([]),
    settings: { dashboard: { display_name: 'Harbor Market', timezone: 'Etc/UTC' } },
    tos_acceptance: { date: null, ip: null, user_agent: null },
    type: 'standard',
  };
}

/** Creates a connected account (acct_...) from `POST /v1/accounts` params, before onboarding. */
export function createAccount(ctx: Ctx, p: Params): AccountObj {
  const controller = obj(p, 'controller');
  let type = oneOf(p, 'type', ['express', 'standard', 'custom'] as const);
  if (!type && !controller) throw missingParam('type');
  const dashboard = str(obj(controller, 'stripe_dashboard'), 'type');
  if (!type) type = dashboard === 'full' ? 'standard' : dashboard === 'none' ? 'custom' : 'express';
  const capsParam = obj(p, 'capabilities') ?? {};
  const capabilities: Record<string, string> = {};
  for (const [name, v] of Object.entries(capsParam)) {
    if (typeof v === 'object' && !Array.isArray(v) && v.requested === 'true') capabilities[name] = 'inactive';
  }
  if (Object.keys(capabilities).length === 0) capabilities.transfers = 'inactive';
  const email = str(p, 'email') ?? null;
  const account: AccountObj = {
    id: newId('acct', 16),
    object: 'account',
    business_profile: businessProfile(obj(p, 'business_profile')),
    business_type: str(p, 'business_type') ?? null,
    capabilities,
    charges_enabled: false,
    controller: {
      fees: { payer: str(obj(controller, 'fees'), 'payer') ?? 'application' },
      is_controller: true,
      losses: { payments: str(obj(controller, 'losses'), 'payments') ?? 'application' },
      requirement_collection: str(controller, 'requirement_collection') ?? 'stripe',
      stripe_dashboard: {
        type: dashboard ?? (type === 'standard' ? 'full' : type === 'custom' ? 'none' : 'express'),
      },
      type: 'application',
    },
    country: str(p, 'country') ?? 'US',
    created: ctx.now(),
    default_currency: (str(p, 'default_currency') ?? 'usd').toLowerCase(),
    details_submitted: false,
    email,
    external_accounts: embeddedList([], '/v1/accounts/acct/external_accounts'),
    future_requirements: requirements([]),
    metadata: mergeMetadata({}, p),
    payouts_enabled: false,
    requirements: requirements(DUE_BEFORE_ONBOARDING),
    settings: {
      dashboard: { display_name: null, timezone: 'Etc/UTC' },
      payouts: {
        debit_negative_balances: true,
        schedule: { delay_days: 2, interval: 'daily' },
        statement_descriptor: null,
      },
    },
    tos_acceptance: { date: null, ip: null, user_agent: null },
    type,
  };
  account.external_accounts = embeddedList([], `/v1/accounts/${account.id}/external_accounts`);
  // Stripe sends no `account.created` to a platform for accounts it creates.
  return ctx.store.put(account, null);
}

/** Applies changes to an account and emits `account.updated` (a Connect event: it carries `account`). */
export function updateAccountFields(
  ctx: Ctx,
  account: AccountObj,
  change: (a: AccountObj) => void,
): AccountObj {
  const before = structuredClone(account);
  change(account);
  const changed = Object.keys(account).filter(
    (k) => JSON.stringify(account[k]) !== JSON.stringify(before[k]),
  );
  ctx.store.put(account, null);
  if (changed.length) {
    ctx.emit('account.updated', account, {
      account: account.id,
      previous_attributes: previous(before, changed),
    });
  }
  return account;
}

/** What submitting the onboarding form does: the account can take charges and receive payouts. */
export function completeOnboarding(
  ctx: Ctx,
  account: AccountObj,
  details: {
    business_name?: string;
    url?: string;
    email?: string;
    product_description?: string;
    mcc?: string;
  } = {},
): AccountObj {
  return updateAccountFields(ctx, account, (a) => {
    a.details_submitted = true;
    a.charges_enabled = true;
    a.payouts_enabled = true;
    for (const k of Object.keys(a.capabilities)) a.capabilities[k] = 'active';
    a.requirements = requirements([]);
    a.business_profile = {
      ...a.business_profile,
      name: details.business_name ?? a.business_profile.name ?? 'Demo Vendor',
      url: details.url ?? a.business_profile.url ?? 'https://example.com',
      mcc: details.mcc ?? a.business_profile.mcc ?? '5734',
      product_description: details.product_description ?? a.business_profile.product_description ?? null,
    };
    if (details.email) a.email = details.email;
    if (!a.email) a.email = `vendor+${a.id.slice(5, 13).toLowerCase()}@example.com`;
    a.business_type = (a.business_type as string | null) ?? 'individual';
    a.tos_acceptance = { date: ctx.now(), ip: '127.0.0.1', user_agent: 'stripe-emulator' };
    a.external_accounts = embeddedList(
      [
        {
          id: `ba_${a.id.slice(5)}`,
          object: 'bank_account',
          account: a.id,
          bank_name: 'STRIPE TEST BANK',
          country: a.country,
          currency: a.default_currency,
          default_for_currency: true,
          last4: '6789',
          routing_number: '110000000',
          status: 'new',
        },
      ],
      `/v1/accounts/${a.id}/external_accounts`,
    );
  });
}

function updateAccount(ctx: Ctx, p: Params, id: string): unknown {
  const account = getAccount(ctx, id, 'account');
  updateAccountFields(ctx, account, (a) => {
    if (p.business_profile !== undefined)
      a.business_profile = businessProfile(obj(p, 'business_profile'), a.business_profile);
    const email = str(p, 'email');
    if (email !== undefined) a.email = email;
    a.metadata = mergeMetadata(a.metadata, p);
    const caps = obj(p, 'capabilities');
    for (const [name, v] of Object.entries(caps ?? {})) {
      if (typeof v !== 'object' || Array.isArray(v)) continue;
      if (v.requested === 'true' && !a.capabilities[name])
        a.capabilities[name] = a.details_submitted ? 'active' : 'inactive';
      if (v.requested === 'false') delete a.capabilities[name];
    }
    const currency = str(p, 'default_currency');
    if (currency) a.default_currency = currency.toLowerCase();
    const bt = str(p, 'business_type');
    if (bt) a.business_type = bt;
  });
  return render(ctx, account, expandPaths(p));
}

function createAccountLink(ctx: Ctx, p: Params): unknown {
  const accountId = str(p, 'account', { required: true })!;
  const account = getAccount(ctx, accountId, 'account');
  const type = oneOf(p, 'type', ['account_onboarding', 'account_update'] as const, { required: true })!;
  const refresh = str(p, 'refresh_url', { required: true })!;
  const ret = str(p, 'return_url', { required: true })!;
  if (type === 'account_update' && account.type === 'express') {
    throw invalidParam(
      'type',
      'You cannot create `account_update` type Account Links for Express accounts.',
      'parameter_invalid_string',
    );
  }
  const now = ctx.now();
  const linkId = newId('link', 24);
  // Account links are short-lived (minutes) and single-use; the page enforces both.
  const link = {
    id: linkId,
    object: 'account_link',
    created: now,
    expires_at: now + 300,
    url: `${ctx.publicUrl}/connect/onboarding/${linkId}`,
    account: account.id,
    type,
    refresh_url: refresh,
    return_url: ret,
    visited: false,
    used: false,
  };
  ctx.store.put(link, null);
  return { object: 'account_link', created: link.created, expires_at: link.expires_at, url: link.url };
}

function createLoginLink(ctx: Ctx, id: string): unknown {
  const account = getAccount(ctx, id, 'account');
  const dashboard = (account.controller?.stripe_dashboard as { type?: string } | undefined)?.type;
  if (account.type !== 'express' && dashboard !== 'express') {
    throw invalidRequest('Login links can only be created for Express accounts.', undefined, 'account');
  }
  if (!account.details_submitted) {
    throw invalidRequest(
      'Cannot create a login link for an account that has not completed onboarding.',
      undefined,
      'account',
    );
  }
  return { object: 'login_link', created: ctx.now(), url: `${ctx.publicUrl}/express/${account.id}` };
}

/** A transfer in platform scope, or Stripe's 404. */
export function getTransfer(ctx: Ctx, id: string, param = 'id'): TransferObj {
  const t = ctx.store.get<TransferObj>(id, null, 'transfer');
  if (!t) throw noSuch('transfer', id, param);
  return t;
}

/** Creates a transfer to a connected account, enforcing Stripe's balance and capability rules. */
export function createTransfer(
  ctx: Ctx,
  f: {
    amount: number;
    currency: string;
    destination: string;
    transfer_group?: string | null;
    source_transaction?: string | null;
    metadata?: Record<string, string>;
    description?: string | null;
  },
): TransferObj {
  if (f.amount <= 0)
    throw invalidParam('amount', 'Amount must be greater than zero.', 'parameter_invalid_integer');
  const dest = ctx.store.get<AccountObj>(f.destination, null, 'account');
  if (!dest)
    throw new StripeError(
      400,
      'invalid_request_error',
      `No such destination: '${f.destination}'`,
      'resource_missing',
      'destination',
    );
  if (ctx.store.config().fail_transfers_to.includes(dest.id)) {
    throw new StripeError(
      400,
      'invalid_request_error',
      `Transfers to ${dest.id} are failing: the destination account cannot receive transfers (emulator fault).`,
      'account_invalid',
      'destination',
    );
  }
  if (dest.capabilities.transfers !== 'active' && dest.capabilities.crypto_transfers !== 'active') {
    throw new StripeError(
      400,
      'invalid_request_error',
      'Your destination account needs to have at least one of the following capabilities enabled: transfers, crypto_transfers, legacy_payments',
      'insufficient_capabilities_for_transfer',
      'destination',
    );
  }
  if (f.source_transaction) {
    const charge = ctx.store.get<ChargeObj>(f.source_transaction, null, 'charge');
    if (!charge) throw noSuch('charge', f.source_transaction, 'source_transaction');
    if (charge.status !== 'succeeded') {
      throw invalidRequest(
        `The source_transaction ${charge.id} has not succeeded.`,
        undefined,
        'source_transaction',
      );
    }
    if (charge.currency !== f.currency) {
      throw invalidParam(
        'currency',
        `The currency of source_transaction's balance transaction (${charge.currency}) must be the same as the transfer currency (${f.currency})`,
      );
    }
    const already = ctx.store
      .all<TransferObj>('transfer', null)
      .filter((t) => t.source_transaction === charge.id)
      .reduce((s, t) => s + t.amount - t.amount_reversed, 0);
    if (already + f.amount > charge.amount) {
      throw invalidRequest(
        `Insufficient funds in the source transaction: transfers from charge ${charge.id} would total ${already + f.amount}, more than its amount (${charge.amount}).`,
        'balance_insufficient',
        'amount',
      );
    }
  } else if (availableBalance(ctx, null, f.currency) < f.amount) {
    throw invalidRequest(
      'You have insufficient available funds in your Stripe account. Try adding funds directly to your available balance by creating Charges using the 4000000000000077 test card. See: https://stripe.com/docs/testing#available-balance',
      'balance_insufficient',
    );
  }
  const id = newId('tr');
  const paymentId = newId('py');
  const now = ctx.now();
  const platform = ctx.as(null);
  const destinationPayment: ChargeObj = {
    id: paymentId,
    object: 'charge',
    amount: f.amount,
    amount_captured: f.amount,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: balanceTransaction(platform, dest.id, {
      amount: f.amount,
      currency: f.currency,
      type: 'payment',
      source: paymentId,
      reporting_category: 'charge',
    }),
    billing_details: { address: null, email: null, name: null, phone: null, tax_id: null },
    calculated_statement_descriptor: null,
    captured: true,
    created: now,
    currency: f.currency,
    customer: null,
    description: null,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: null,
    failure_message: null,
    fraud_details: {},
    livemode: false,
    metadata: {},
    on_behalf_of: null,
    outcome: null,
    paid: true,
    payment_intent: null,
    payment_method: null,
    payment_method_details: { stripe_account: {}, type: 'stripe_account' },
    receipt_email: null,
    receipt_number: null,
    receipt_url: null,
    refunded: false,
    review: null,
    shipping: null,
    source: null,
    source_transfer: id,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: 'succeeded',
    transfer_data: null,
    transfer_group: f.transfer_group ?? null,
  };
  ctx.store.put(destinationPayment, dest.id);
  const transfer: TransferObj = {
    id,
    object: 'transfer',
    amount: f.amount,
    amount_reversed: 0,
    balance_transaction: balanceTransaction(platform, null, {
      amount: -f.amount,
      currency: f.currency,
      type: 'transfer',
      source: id,
      reporting_category: 'transfer',
    }),
    created: now,
    currency: f.currency,
    description: f.description ?? null,
    destination: dest.id,
    destination_payment: paymentId,
    livemode: false,
    metadata: f.metadata ?? {},
    reversals: embeddedList([], `/v1/transfers/${id}/reversals`),
    reversed: false,
    source_transaction: f.source_transaction ?? null,
    source_type: 'card',
    transfer_group: f.transfer_group ?? null,
  };
  ctx.store.put(transfer, null);
  platform.emit('transfer.created', transfer);
  return transfer;
}

/** Reverses part or all of a transfer; never more than what remains of it. */
export function createReversal(
  ctx: Ctx,
  transfer: TransferObj,
  f: { amount?: number; metadata?: Record<string, string>; description?: string | null },
): TransferReversalObj {
  const remaining = transfer.amount - transfer.amount_reversed;
  if (remaining <= 0) {
    throw invalidRequest(
      `Transfer ${transfer.id} has already been fully reversed.`,
      'transfer_already_reversed',
    );
  }
  const amount = f.amount ?? remaining;
  if (amount <= 0)
    throw invalidParam('amount', 'Amount must be greater than zero.', 'parameter_invalid_integer');
  if (amount > remaining) {
    throw invalidRequest(
      `Transfer reversal amount (${amount}) is greater than the amount remaining on the transfer (${remaining}).`,
      'amount_too_large',
      'amount',
    );
  }
  if (availableBalance(ctx, transfer.destination, transfer.currency) < amount) {
    throw invalidRequest(
      `Insufficient funds in the destination account ${transfer.destination} to reverse ${amount}.`,
      'balance_insufficient',
    );
  }
  const id = newId('trr');
  const refundId = newId('pyr');
  const platform = ctx.as(null);
  ctx.store.put(
    {
      id: refundId,
      object: 'refund',
      amount,
      balance_transaction: balanceTransaction(platform, transfer.destination, {
        amount: -amount,
        currency: transfer.currency,
        type: 'payment_refund',
        source: refundId,
        reporting_category: 'refund',
      }),
      charge: transfer.destination_payment,
      created: ctx.now(),
      currency: transfer.currency,
      customer: null,
      customer_account: null,
      metadata: {},
      payment_intent: null,
      payment_method: null,
      reason: null,
      receipt_number: null,
      source_transfer_reversal: id,
      status: 'succeeded',
      transfer_reversal: null,
    },
    transfer.destination,
  );
  const reversal: TransferReversalObj = {
    id,
    object: 'transfer_reversal',
    amount,
    balance_transaction: balanceTransaction(platform, null, {
      amount,
      currency: transfer.currency,
      type: 'transfer_cancel',
      source: id,
      reporting_category: 'transfer_reversal',
    }),
    created: ctx.now(),
    currency: transfer.currency,
    destination_payment_refund: refundId,
    metadata: f.metadata ?? {},
    source_refund: null,
    transfer: transfer.id,
  };
  ctx.store.put(reversal, null);
  const prev = previous(transfer, ['amount_reversed', 'reversed', 'reversals']);
  transfer.amount_reversed += amount;
  transfer.reversed = transfer.amount_reversed >= transfer.amount;
  const data = [reversal, ...transfer.reversals.data];
  transfer.reversals = embeddedList(data, `/v1/transfers/${transfer.id}/reversals`);
  ctx.store.put(transfer, null);
  platform.emit('transfer.reversed', transfer, { previous_attributes: prev });
  return reversal;
}

function transferCreate(ctx: Ctx, p: Params): unknown {
  const transfer = createTransfer(ctx, {
    amount: int(p, 'amount', { required: true })!,
    currency: str(p, 'currency', { required: true })!.toLowerCase(),
    destination: str(p, 'destination', { required: true })!,
    transfer_group: str(p, 'transfer_group') ?? null,
    source_transaction: str(p, 'source_transaction') ?? null,
    metadata: mergeMetadata({}, p),
    description: str(p, 'description') ?? null,
  });
  return render(ctx, transfer, expandPaths(p));
}

/** Connected accounts, account and login links, transfers and their reversals. */
export const connectRoutes = new Hono<AppEnv>()
  .post(
    '/v1/accounts',
    stripeRoute((ctx, p) => render(ctx, createAccount(ctx, p), expandPaths(p))),
  )
  .get(
    '/v1/accounts',
    stripeRoute((ctx, p) =>
      list(
        ctx,
        ctx.store.all<AccountObj>('account', null).filter(createdFilter(p)),
        '/v1/accounts',
        p,
        expandPaths(p),
      ),
    ),
  )
  .get(
    '/v1/account',
    stripeRoute((ctx, p) =>
      ctx.account ? render(ctx, getAccount(ctx, ctx.account), expandPaths(p)) : platformAccount(ctx),
    ),
  )
  .get(
    '/v1/accounts/:id',
    stripeRoute((ctx, p, { id }) =>
      id === PLATFORM_ACCOUNT_ID
        ? platformAccount(ctx)
        : render(ctx, getAccount(ctx, id!, 'account'), expandPaths(p)),
    ),
  )
  .post(
    '/v1/accounts/:id',
    stripeRoute((ctx, p, { id }) => updateAccount(ctx, p, id!)),
  )
  .delete(
    '/v1/accounts/:id',
    stripeRoute((ctx, _p, { id }) => {
      const a = getAccount(ctx, id!, 'account');
      ctx.store.put({ id: a.id, object: 'deleted_account', deleted: true }, null);
      return { id: a.id, object: 'account', deleted: true };
    }),
  )
  .post(
    '/v1/accounts/:id/login_links',
    stripeRoute((ctx, _p, { id }) => createLoginLink(ctx, id!)),
  )
  .post(
    '/v1/account_links',
    stripeRoute((ctx, p) => createAccountLink(ctx, p)),
  )

  .post(
    '/v1/transfers',
    stripeRoute((ctx, p) => transferCreate(ctx, p)),
  )
  .get(
    '/v1/transfers',
    stripeRoute((ctx, p) =>
      list(
        ctx,
        ctx.store
          .all<TransferObj>('transfer', null)
          .filter((t) => p.transfer_group === undefined || t.transfer_group === p.transfer_group)
          .filter((t) => p.destination === undefined || t.destination === p.destination)
          .filter(createdFilter(p)),
        '/v1/transfers',
        p,
        expandPaths(p),
      ),
    ),
  )
  .get(
    '/v1/transfers/:id',
    stripeRoute((ctx, p, { id }) => render(ctx, getTransfer(ctx, id!), expandPaths(p))),
  )
  .post(
    '/v1/transfers/:id',
    stripeRoute((ctx, p, { id }) => {
      const t = getTransfer(ctx, id!);
      t.metadata = mergeMetadata(t.metadata, p);
      const d = str(p, 'description');
      if (d !== undefined) t.description = d;
      ctx.store.put(t, null);
      ctx.as(null).emit('transfer.updated', t);
      return render(ctx, t, expandPaths(p));
    }),
  )
  .post(
    '/v1/transfers/:id/reversals',
    stripeRoute((ctx, p, { id }) => {
      const t = getTransfer(ctx, id!);
      const r = createReversal(ctx, t, {
        amount: int(p, 'amount', { min: 1 }),
        metadata: mergeMetadata({}, p),
        description: str(p, 'description') ?? null,
      });
      return render(ctx, r, expandPaths(p));
    }),
  )
  .get(
    '/v1/transfers/:id/reversals',
    stripeRoute((ctx, p, { id }) => {
      const t = getTransfer(ctx, id!);
      return list(
        ctx,
        t.reversals.data as unknown as StripeObject[],
        `/v1/transfers/${t.id}/reversals`,
        p,
        expandPaths(p),
      );
    }),
  )
  .get(
    '/v1/transfers/:id/reversals/:rid',
    stripeRoute((ctx, p, { id, rid }) => {
      getTransfer(ctx, id!);
      const r = ctx.store.get<TransferReversalObj>(rid!, null, 'transfer_reversal');
      if (!r || r.transfer !== id) throw noSuch('transfer_reversal', rid!);
      return render(ctx, r, expandPaths(p));
    }),
  );
