// The typed data each message is rendered from, and what a template returns.

/** A rendered message: one-line subject, plain-text part, HTML part (escaped from the data). */
export interface Rendered {
  subject: string;
  text: string;
  html: string;
}

/** What every template knows besides its data. */
export interface TemplateContext {
  /** The marketplace's name (STORE_NAME). */
  marketplace: string;
  /** The public origin, for the footer link. */
  publicUrl: string;
}

/** A template: typed data in, a rendered message out. */
export type Template<D> = (data: D, ctx: TemplateContext) => Promise<Rendered>;

export interface MailLine {
  name: string;
  quantity: number;
  /** Minor units. */
  unitAmount: number;
  amount: number;
  vendor: string;
  note?: string;
  /** The discount code's part of the line (amount is after it) and who funded it. */
  discountAmount?: number;
  discountFundedBy?: string | null;
}

/** A postal address as Stripe reports it (shipping or billing), with the recipient's name. */
export interface MailAddress {
  name?: string | null;
  line1?: string | null;
  line2?: string | null;
  city?: string | null;
  state?: string | null;
  postalCode?: string | null;
  country?: string | null;
}

export interface OrderReceiptData {
  orderId: string;
  currency: string;
  lines: MailLine[];
  subtotal: number;
  shippingAmount: number;
  taxAmount: number;
  total: number;
  shippingAddress: MailAddress | null;
  /** Absolute, signed, expiring link to the order page. */
  orderUrl: string;
}

export interface VendorNewOrderData {
  orderId: string;
  storeName: string;
  currency: string;
  /** Only this vendor's lines. */
  lines: MailLine[];
  /** Sum of this vendor's lines. */
  total: number;
  shippingAddress: MailAddress | null;
  dashboardUrl: string;
}

export interface PaymentFailedData {
  orderId: string;
  currency: string;
  total: number;
  lines: MailLine[];
  /** Where the shopper can try again (the cart). */
  retryUrl: string;
  orderUrl: string;
}

export interface RefundIssuedData {
  orderId: string;
  currency: string;
  /** This refund. */
  amount: number;
  /** All refunds of the order so far, this one included. */
  totalRefunded: number;
  orderTotal: number;
  lines: MailLine[];
  orderUrl: string;
}

export interface VendorSignInData {
  storeName: string;
  url: string;
  minutes: number;
}

export interface ShopperSignInData {
  url: string;
  minutes: number;
}

export interface ContactMessageData {
  storeName: string;
  fromName: string;
  fromEmail: string;
  message: string;
}

export interface SubscriptionWelcomeData {
  name?: string | null;
  planName: string;
  currency: string;
  /** Per interval, minor units. */
  amount: number;
  interval: 'day' | 'week' | 'month' | 'year';
  manageUrl?: string | null;
}

export interface ShipmentNoticeData {
  orderId: string;
  storeName: string;
  lines: MailLine[];
  carrier?: string | null;
  trackingNumber?: string | null;
  trackingUrl?: string | null;
  shippingAddress: MailAddress | null;
  orderUrl: string;
}
