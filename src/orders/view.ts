// What the buyer is shown of an order (page and JSON): our own fields, never a raw Stripe object.
import type { OrderWithLines } from './model';

export interface OrderView {
  id: string;
  status: string;
  paymentStatus: string;
  /** The status in words, honest about what is confirmed. */
  statusLabel: string;
  statusDetail: string;
  currency: string;
  createdAt: number;
  paidAt: number | null;
  lines: {
    productId: string;
    name: string;
    quantity: number;
    unitAmount: number;
    amount: number;
    note: string;
    vendor: { id: string; name: string };
    /** The discount code's part of the line (amount is after it) and who funded it. */
    discountAmount: number;
    discountFundedBy: 'platform' | 'vendor' | null;
  }[];
  subtotal: number;
  shippingAmount: number;
  taxAmount: number;
  total: number;
  amountReceived: number;
  amountRefunded: number;
  payment: { id: string | null; receiptUrl: string | null };
}

/** The words for an order's state. "Processing" until the payment is confirmed. */
export function describeStatus(order: { status: string; paymentStatus: string }): {
  label: string;
  detail: string;
} {
  switch (order.status) {
    case 'paid':
      return { label: 'Paid', detail: 'Your payment was received. Thank you for your order.' };
    case 'partially_refunded':
      return { label: 'Partially refunded', detail: 'Part of your payment was refunded.' };
    case 'refunded':
      return { label: 'Refunded', detail: 'Your payment was refunded in full.' };
    case 'canceled':
      return order.paymentStatus === 'failed'
        ? { label: 'Payment failed', detail: 'The payment did not go through; nothing was charged.' }
        : { label: 'Canceled', detail: 'This order was not paid and has been canceled.' };
  }
  if (order.paymentStatus === 'review')
    return {
      label: 'Under review',
      detail: 'We received a payment and are checking it before your order goes ahead.',
    };
  if (order.paymentStatus === 'failed')
    return { label: 'Payment failed', detail: 'The payment did not go through. You can try again.' };
  return { label: 'Processing', detail: 'We are waiting for the payment to be confirmed.' };
}

/** The buyer's view of an order. */
export function toOrderView({ order, lines }: OrderWithLines): OrderView {
  const { label, detail } = describeStatus(order);
  return {
    id: order.id,
    status: order.status,
    paymentStatus: order.paymentStatus,
    statusLabel: label,
    statusDetail: detail,
    currency: order.currency,
    createdAt: order.createdAt,
    paidAt: order.paidAt,
    lines: lines.map((l) => ({
      productId: l.productId,
      name: l.name,
      quantity: l.quantity,
      unitAmount: l.unitAmount,
      amount: l.amount,
      note: l.note,
      vendor: { id: l.storeId, name: l.storeName },
      discountAmount: l.discountAmount,
      discountFundedBy: l.discountFundedBy,
    })),
    subtotal: order.subtotal,
    shippingAmount: order.shippingAmount,
    taxAmount: order.taxAmount,
    total: order.total,
    amountReceived: order.amountReceived,
    amountRefunded: order.amountRefunded,
    payment: { id: order.paymentIntentId, receiptUrl: order.receiptUrl },
  };
}
