// The fields of the stored Stripe objects that the emulator's own logic reads or writes. Every object
// carries more fields (Stripe's full shape); these interfaces only type what the code touches.
import type { StripeObject } from './store';

export type Metadata = Record<string, string>;

export interface Address {
  city: string | null;
  country: string | null;
  line1: string | null;
  line2: string | null;
  postal_code: string | null;
  state: string | null;
}

export interface CardDetails {
  brand: string;
  last4: string;
  exp_month: number;
  exp_year: number;
  funding: string;
  country: string;
  fingerprint: string;
}

export interface PaymentMethodObj extends StripeObject {
  object: 'payment_method';
  card: CardDetails;
  customer: string | null;
  billing_details: {
    address: Address | null;
    email: string | null;
    name: string | null;
    phone: string | null;
  };
  /** The card number the outcome is decided from (never rendered). */
  _number: string;
}

export interface ChargeObj extends StripeObject {
  object: 'charge';
  amount: number;
  amount_refunded: number;
  currency: string;
  status: 'succeeded' | 'failed' | 'pending';
  paid: boolean;
  refunded: boolean;
  disputed: boolean;
  payment_intent: string | null;
  transfer_group: string | null;
  balance_transaction: string | null;
  customer: string | null;
  metadata: Metadata;
}

export interface PaymentIntentObj extends StripeObject {
  object: 'payment_intent';
  amount: number;
  amount_received: number;
  currency: string;
  status: string;
  client_secret: string;
  customer: string | null;
  latest_charge: string | null;
  payment_method: string | null;
  metadata: Metadata;
  transfer_group: string | null;
  description: string | null;
  receipt_email: string | null;
  shipping: unknown;
  last_payment_error: Record<string, unknown> | null;
  canceled_at: number | null;
  cancellation_reason: string | null;
  /** The Checkout Session that created it, if any. */
  _session?: string;
  /** The invoice it pays, if any. */
  _invoice?: string;
}

export interface RefundObj extends StripeObject {
  object: 'refund';
  amount: number;
  charge: string;
  payment_intent: string | null;
  currency: string;
}

export interface TransferReversalObj extends StripeObject {
  object: 'transfer_reversal';
  amount: number;
  transfer: string;
}

export interface TransferObj extends StripeObject {
  object: 'transfer';
  amount: number;
  amount_reversed: number;
  currency: string;
  destination: string;
  destination_payment: string;
  reversed: boolean;
  reversals: {
    object: 'list';
    data: TransferReversalObj[];
    has_more: boolean;
    total_count: number;
    url: string;
  };
  source_transaction: string | null;
  transfer_group: string | null;
  metadata: Metadata;
}

export interface AccountObj extends StripeObject {
  object: 'account';
  type: string;
  email: string | null;
  charges_enabled: boolean;
  payouts_enabled: boolean;
  details_submitted: boolean;
  capabilities: Record<string, string>;
  business_profile: Record<string, unknown>;
  requirements: Record<string, unknown>;
  metadata: Metadata;
  controller?: Record<string, unknown>;
  default_currency: string;
  country: string;
}

export interface CustomerObj extends StripeObject {
  object: 'customer';
  email: string | null;
  name: string | null;
  metadata: Metadata;
}

export interface PriceObj extends StripeObject {
  object: 'price';
  currency: string;
  unit_amount: number;
  product: string;
  recurring: { interval: string; interval_count: number; usage_type: string } | null;
  type: 'one_time' | 'recurring';
}

export interface LineItemObj extends StripeObject {
  object: 'item';
  amount_subtotal: number;
  amount_total: number;
  currency: string;
  description: string | null;
  price: PriceObj;
  quantity: number;
}

export interface ShippingRateObj extends StripeObject {
  object: 'shipping_rate';
  display_name: string;
  fixed_amount: { amount: number; currency: string };
}

export interface SessionObj extends StripeObject {
  object: 'checkout.session';
  mode: 'payment' | 'subscription' | 'setup';
  status: 'open' | 'complete' | 'expired';
  payment_status: 'paid' | 'unpaid' | 'no_payment_required';
  amount_subtotal: number;
  amount_total: number;
  currency: string;
  customer: string | null;
  customer_email: string | null;
  customer_creation: string | null;
  client_reference_id: string | null;
  expires_at: number;
  success_url: string | null;
  cancel_url: string | null;
  return_url?: string;
  url: string | null;
  payment_intent: string | null;
  subscription: string | null;
  invoice: string | null;
  metadata: Metadata;
  locale: string | null;
  shipping_address_collection: { allowed_countries: string[] } | null;
  shipping_options: Array<{ shipping_amount: number; shipping_rate: string }>;
  shipping_cost: Record<string, unknown> | null;
  total_details: { amount_discount: number; amount_shipping: number; amount_tax: number };
  _line_items: LineItemObj[];
  _payment_intent_data: Record<string, unknown> | null;
  _subscription_data: Record<string, unknown> | null;
  _setup_intent_data?: { metadata: Record<string, string> } | null;
}

export interface SubscriptionObj extends StripeObject {
  object: 'subscription';
  status: string;
  customer: string;
  cancel_at_period_end: boolean;
  canceled_at: number | null;
  ended_at: number | null;
  latest_invoice: string | null;
  metadata: Metadata;
  currency: string;
  items: { object: 'list'; data: Array<Record<string, unknown> & { price: PriceObj; quantity: number }> };
}

export interface InvoiceObj extends StripeObject {
  object: 'invoice';
  status: string;
  total: number;
  customer: string | null;
}
