// Disputes (chargebacks): the dispute test card opens one after its payment, evidence closes it won or lost
// as Stripe's test mode does (`winning_evidence` / `losing_evidence`), and the balance follows: the amount
// plus the dispute fee withdrawn when it opens, the amount reinstated when it is won (the fee is kept).
import { Hono } from 'hono';
import type { Ctx } from '../context';
import { invalidParam, invalidRequest, noSuch } from '../errors';
import { bool, expandPaths, mergeMetadata, obj, type Params } from '../form';
import { stripeRoute, type AppEnv } from '../http';
import { newId } from '../ids';
import { balanceTransaction, scheduleDispute, type DueDispute } from '../payments';
import { createdFilter, list, render } from '../render';
import type { StripeObject } from '../store';
import type { ChargeObj } from '../types';

/** Stripe's dispute fee in the US: $15.00, withdrawn with the disputed amount and kept whatever the outcome. */
export const DISPUTE_FEE = 1500;

/** The evidence fields of a dispute (API 2026-10-28): every one null until evidence is given. */
const EVIDENCE_FIELDS = [
  'access_activity_log',
  'billing_address',
  'cancellation_policy',
  'cancellation_policy_disclosure',
  'cancellation_rebuttal',
  'customer_communication',
  'customer_email_address',
  'customer_name',
  'customer_purchase_ip',
  'customer_signature',
  'duplicate_charge_documentation',
  'duplicate_charge_explanation',
  'duplicate_charge_id',
  'product_description',
  'receipt',
  'refund_policy',
  'refund_policy_disclosure',
  'refund_refusal_explanation',
  'service_date',
  'service_documentation',
  'shipping_address',
  'shipping_carrier',
  'shipping_date',
  'shipping_documentation',
  'shipping_tracking_number',
  'uncategorized_file',
  'uncategorized_text',
] as const;

/** Statuses in which a dispute still takes evidence. */
const OPEN = ['needs_response', 'warning_needs_response', 'under_review', 'warning_under_review'];

export interface DisputeObj extends StripeObject {
  object: 'dispute';
  amount: number;
  balance_transactions: StripeObject[];
  charge: string;
  currency: string;
  evidence: Record<string, unknown>;
  evidence_details: {
    due_by: number | null;
    enhanced_eligibility: Record<string, unknown>;
    has_evidence: boolean;
    past_due: boolean;
    submission_count: number;
    submission_method: string | null;
  };
  metadata: Record<string, string>;
  payment_intent: string | null;
  status: string;
}

function balanceTxn(ctx: Ctx, account: string | null, id: string): StripeObject {
  return ctx.store.get<StripeObject>(id, account, 'balance_transaction')!;
}

/**
 * Opens a dispute on a succeeded charge, as the cardholder's bank does: the charge becomes `disputed`,
 * the amount and the dispute fee leave the balance, and `charge.dispute.created` then
 * `charge.dispute.funds_withdrawn` are emitted.
 */
export function openDispute(
  ctx: Ctx,
  charge: ChargeObj,
  opts: { amount?: number; reason?: string } = {},
): DisputeObj {
  if (charge.status !== 'succeeded') throw invalidRequest(`Charge ${charge.id} has not succeeded.`);
  if (charge.disputed) throw invalidRequest(`Charge ${charge.id} is already disputed.`, 'charge_disputed');
  const amount = opts.amount ?? charge.amount;
  if (!Number.isInteger(amount) || amount <= 0 || amount > charge.amount)
    throw invalidParam('amount', `The disputed amount must be between 1 and ${charge.amount}.`);
  const id = newId('du');
  const now = ctx.now();
  const withdrawal = balanceTransaction(ctx, ctx.account, {
    amount: -amount,
    currency: charge.currency,
    fee: DISPUTE_FEE,
    fee_description: 'Dispute fee',
    type: 'adjustment',
    source: id,
    description: `Chargeback withdrawal for ${charge.id}`,
    reporting_category: 'dispute',
  });
  const card = (charge.payment_method_details as { card?: { brand?: string } } | undefined)?.card;
  const dispute: DisputeObj = {
    id,
    object: 'dispute',
    amount,
    balance_transactions: [balanceTxn(ctx, ctx.account, withdrawal)],
    charge: charge.id,
    created: now,
    currency: charge.currency,
    enhanced_eligibility_types: [],
    evidence: { ...Object.fromEntries(EVIDENCE_FIELDS.map((f) => [f, null])), enhanced_evidence: {} },
    evidence_details: {
      due_by: now + 21 * 86_400,
      enhanced_eligibility: {},
      has_evidence: false,
      past_due: false,
      submission_count: 0,
      submission_method: null,
    },
    intended_submission_method: null,
    is_charge_refundable: false,
    livemode: false,
    metadata: {},
    network_reason_code: '10.4',
    payment_intent: charge.payment_intent,
    payment_method_details: {
      card: { brand: card?.brand ?? 'visa', case_type: 'chargeback', network_reason_code: '10.4' },
      type: 'card',
    },
    reason: opts.reason ?? 'fraudulent',
    status: 'needs_response',
  };
  ctx.store.put(dispute, ctx.account);
  charge.disputed = true;
  ctx.store.put(charge, ctx.account);
  ctx.emit('charge.dispute.created', dispute);
  ctx.emit('charge.dispute.funds_withdrawn', dispute);
  return dispute;
}

/**
 * Closes a dispute: `won` reinstates the disputed amount (not the fee) and emits
 * `charge.dispute.closed` then `charge.dispute.funds_reinstated`; `lost` keeps it withdrawn.
 */
export function closeDispute(ctx: Ctx, dispute: DisputeObj, outcome: 'won' | 'lost'): DisputeObj {
  assertOpen(dispute);
  const prev = { status: dispute.status };
  dispute.status = outcome;
  if (outcome === 'won') {
    const reinstated = balanceTransaction(ctx, ctx.account, {
      amount: dispute.amount,
      currency: dispute.currency,
      type: 'adjustment',
      source: dispute.id,
      description: `Chargeback reversal for ${dispute.charge}`,
      reporting_category: 'dispute_reversal',
    });
    dispute.balance_transactions = [
      ...dispute.balance_transactions,
      balanceTxn(ctx, ctx.account, reinstated),
    ];
  }
  ctx.store.put(dispute, ctx.account);
  ctx.emit('charge.dispute.closed', dispute, { previous_attributes: prev });
  if (outcome === 'won') ctx.emit('charge.dispute.funds_reinstated', dispute);
  return dispute;
}

function assertOpen(dispute: DisputeObj): void {
  if (!OPEN.includes(dispute.status))
    throw invalidRequest(
      `This dispute is already closed (status: ${dispute.status}).`,
      'dispute_already_closed',
    );
}

/** The dispute with this id in the request's account scope, or Stripe's 404. */
export function getDispute(ctx: Ctx, id: string): DisputeObj {
  const d = ctx.store.get<DisputeObj>(id, ctx.account, 'dispute');
  if (!d) throw noSuch('dispute', id);
  return d;
}

/**
 * Runs the dispute work that requests scheduled, after their own events (so `checkout.session.completed`
 * precedes `charge.dispute.created`, as at Stripe). Returns how many items ran.
 */
export function runDueDisputes(ctx: Ctx): number {
  const due = ctx.store.all<DueDispute>('emulator.dispute_due', null).reverse();
  for (const d of due) {
    ctx.store.put<DueDispute>({ ...d, object: 'emulator.dispute_done' }, null);
    const scoped = ctx.as(d.account);
    if (d.action === 'open') {
      const charge = ctx.store.get<ChargeObj>(d.target, d.account, 'charge');
      if (charge && !charge.disputed && charge.status === 'succeeded') openDispute(scoped, charge);
    } else {
      const dispute = ctx.store.get<DisputeObj>(d.target, d.account, 'dispute');
      if (dispute && OPEN.includes(dispute.status)) closeDispute(scoped, dispute, d.outcome ?? 'lost');
    }
  }
  return due.length;
}

/**
 * POST /v1/disputes/:id: stages or submits evidence and metadata. Submitted evidence puts the dispute
 * under review; in test mode `uncategorized_text` `winning_evidence` / `losing_evidence` then closes it.
 */
function updateDispute(ctx: Ctx, p: Params, id: string): unknown {
  const dispute = getDispute(ctx, id);
  const evidence = obj(p, 'evidence');
  const submit = bool(p, 'submit') ?? true;
  if (evidence || p.submit !== undefined) assertOpen(dispute);
  if (evidence) {
    for (const [key, value] of Object.entries(evidence)) {
      if (!(EVIDENCE_FIELDS as readonly string[]).includes(key))
        throw invalidParam(`evidence[${key}]`, `Received unknown parameter: evidence[${key}]`);
      if (typeof value !== 'string')
        throw invalidParam(`evidence[${key}]`, `Invalid string: evidence[${key}]`);
      dispute.evidence[key] = value === '' ? null : value;
    }
    dispute.evidence_details.has_evidence = true;
  }
  dispute.metadata = mergeMetadata(dispute.metadata, p);
  const prev = { status: dispute.status };
  if (evidence && submit) {
    dispute.evidence_details.submission_count += 1;
    dispute.status = dispute.status.startsWith('warning_') ? 'warning_under_review' : 'under_review';
    const text = dispute.evidence.uncategorized_text;
    if (text === 'winning_evidence' || text === 'losing_evidence')
      scheduleDispute(ctx, {
        action: 'rule',
        target: dispute.id,
        outcome: text === 'winning_evidence' ? 'won' : 'lost',
      });
  }
  ctx.store.put(dispute, ctx.account);
  ctx.emit(
    'charge.dispute.updated',
    dispute,
    prev.status !== dispute.status ? { previous_attributes: prev } : {},
  );
  return render(ctx, dispute, expandPaths(p));
}

/** Disputes: list, retrieve, update (evidence), close (accept). */
export const disputeRoutes = new Hono<AppEnv>()
  .get(
    '/v1/disputes',
    stripeRoute((ctx, p) =>
      list(
        ctx,
        ctx.store
          .all<DisputeObj>('dispute', ctx.account)
          .filter((d) => p.charge === undefined || d.charge === p.charge)
          .filter((d) => p.payment_intent === undefined || d.payment_intent === p.payment_intent)
          .filter(createdFilter(p)),
        '/v1/disputes',
        p,
        expandPaths(p),
      ),
    ),
  )
  .get(
    '/v1/disputes/:id',
    stripeRoute((ctx, p, { id }) => render(ctx, getDispute(ctx, id!), expandPaths(p))),
  )
  .post(
    '/v1/disputes/:id',
    stripeRoute((ctx, p, { id }) => updateDispute(ctx, p, id!)),
  )
  .post(
    '/v1/disputes/:id/close',
    stripeRoute((ctx, p, { id }) =>
      render(ctx, closeDispute(ctx, getDispute(ctx, id!), 'lost'), expandPaths(p)),
    ),
  );
