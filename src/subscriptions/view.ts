// What the shopper's and the operator's subscription pages show, from the D1 rows.
import type { SubscriptionInvoiceRow, SubscriptionItemRow, SubscriptionRow } from './records';
import { sum } from '../lib/money';

export interface SubscriptionView {
  id: string;
  status: string;
  statusLabel: string;
  currency: string;
  interval: string;
  /** What each period bills, minor units. */
  amount: number;
  currentPeriodStart: number | null;
  currentPeriodEnd: number | null;
  cancelAtPeriodEnd: boolean;
  /** When the next invoice is due; null when none will come (canceled, or ending at period end). */
  nextBillingAt: number | null;
  canceledAt: number | null;
  email: string | null;
  customerId: string;
  orderId: string | null;
  items: {
    productId: string;
    name: string;
    storeId: string;
    storeName: string;
    unitAmount: number;
    quantity: number;
  }[];
  invoices: {
    id: string;
    status: string;
    amount: number;
    currency: string;
    periodStart: number | null;
    periodEnd: number | null;
    createdAt: number;
    orderId: string | null;
    hostedInvoiceUrl: string | null;
    billingReason: string | null;
  }[];
  /** The hosted page of the invoice to pay now (past due), if any. */
  payUrl: string | null;
  /** True while the shopper can still change it. */
  live: boolean;
}

const LABELS: Record<string, string> = {
  active: 'Active',
  trialing: 'Trial',
  past_due: 'Past due: payment failed',
  unpaid: 'Unpaid',
  canceled: 'Canceled',
  incomplete: 'Incomplete',
  incomplete_expired: 'Expired',
  paused: 'Paused',
};

/** The view of a subscription with its items and periods. */
export function toSubscriptionView(d: {
  subscription: SubscriptionRow;
  items: SubscriptionItemRow[];
  invoices: SubscriptionInvoiceRow[];
}): SubscriptionView {
  const s = d.subscription;
  const live = s.status === 'active' || s.status === 'trialing' || s.status === 'past_due';
  const unpaid = d.invoices.find((i) => i.status === 'failed' || i.status === 'open');
  return {
    id: s.id,
    status: s.status,
    statusLabel: LABELS[s.status] ?? s.status,
    currency: s.currency,
    interval: s.interval,
    amount: sum(d.items.map((i) => i.unitAmount * i.quantity)),
    currentPeriodStart: s.currentPeriodStart,
    currentPeriodEnd: s.currentPeriodEnd,
    cancelAtPeriodEnd: s.cancelAtPeriodEnd,
    nextBillingAt: live && !s.cancelAtPeriodEnd ? s.currentPeriodEnd : null,
    canceledAt: s.canceledAt,
    email: s.email,
    customerId: s.customerId,
    orderId: s.orderId,
    items: d.items.map((i) => ({
      productId: i.productId,
      name: i.name,
      storeId: i.storeId,
      storeName: i.storeName,
      unitAmount: i.unitAmount,
      quantity: i.quantity,
    })),
    invoices: d.invoices.map((i) => ({
      id: i.id,
      status: i.status,
      amount: i.amount,
      currency: i.currency,
      periodStart: i.periodStart,
      periodEnd: i.periodEnd,
      createdAt: i.createdAt,
      orderId: i.orderId,
      hostedInvoiceUrl: i.hostedInvoiceUrl,
      billingReason: i.billingReason,
    })),
    payUrl: s.status === 'past_due' || s.status === 'unpaid' ? (unpaid?.hostedInvoiceUrl ?? null) : null,
    live,
  };
}
