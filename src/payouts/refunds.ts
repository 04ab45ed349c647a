// What a refund does to vendor payouts: reduce or cancel unsent transfers, reverse sent ones in proportion.

export interface OrderRefund {
  orderId: string;
  /** Stripe refund id (re_...). */
  refundId: string;
  /** Amount of this refund, minor units. */
  amount: number;
}

/**
 * Applies a refund to the order's vendor transfers. Idempotent per refund id: a second call for
 * the same refund changes nothing. (Filled in by the marketplace work.)
 */
export async function onOrderRefunded(_env: Env, _refund: OrderRefund): Promise<void> {}
