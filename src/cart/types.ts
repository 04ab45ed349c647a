// The cart's shapes, shared by the cart object, the cart API, pricing and checkout.

/** One line as the CartObject stores it. Prices are not stored as truth: only what was seen when added. */
export interface CartLine {
  productId: string;
  qty: number;
  /** Free-text special request, up to 500 characters. */
  note: string;
  /** The unit amount shown when the line was added, to report price changes since. */
  seenUnitAmount: number;
  addedAt: number;
}

/** The whole cart as the CartObject returns it. */
export interface CartState {
  id: string;
  /** Bumped on every real change; 0 for a cart never written. */
  version: number;
  lines: CartLine[];
  updatedAt: number;
  /** The discount code the shopper entered (normalised), re-evaluated against D1 on every read. */
  discountCode?: string;
}

/** A line priced from D1 on read. */
export interface PricedLine {
  productId: string;
  qty: number;
  note: string;
  name: string;
  slug: string;
  image: string | null;
  storeId: string;
  storeName: string;
  storeSlug: string;
  unitAmount: number;
  currency: string;
  /** unitAmount * qty. */
  amount: number;
  /** False when the product is gone, inactive, out of stock or its store can't sell. */
  available: boolean;
  /** Why it is unavailable, for the shopper. */
  unavailableReason?: string;
  /** The unit amount seen when added, when it differs from the current one. */
  previousUnitAmount?: number;
  /** Units left, when the product has limited stock. */
  stock: number | null;
  /** 'month', 'year', ... for a subscription product; null for a one-off purchase. */
  recurringInterval: string | null;
  /** The product page's path ('' when the product is gone). */
  href: string;
  /** The discount code's part of this line (0 when none applies). */
  discountAmount?: number;
}

/** The code a cart holds, as priced on this read. */
interface CartDiscount {
  code: string;
  /** False when the code no longer applies (unknown, expired, used up, below minimum, out of scope). */
  applied: boolean;
  /** Why it does not apply, for the shopper. */
  reason?: string;
  /** Taken off the lines, minor units. */
  amount: number;
  /** Taken off shipping (free-shipping codes). */
  shippingOff: number;
  fundedBy?: 'platform' | 'vendor';
}

/** The cart API's answer (`GET /cart`): the seed's `items` map plus priced lines. */
export interface CartView {
  id: string;
  version: number;
  currency: string;
  items: Record<string, { price: number; qty: number }>;
  lines: PricedLine[];
  /** Sum of available lines, minor units. */
  subtotal: number;
  count: number;
  /** Lines that can't be bought now or changed price since added. */
  notices: string[];
  /** The discount code the cart holds, when it holds one. */
  discount?: CartDiscount;
  /** subtotal minus the discount on the lines. */
  discountedSubtotal?: number;
}

/** Messages the cart object pushes to open tabs over its WebSocket. */
export type CartSocketMessage = { type: 'cart'; cart: CartState };

/**
 * How many units of a product the cart may grow a line to, and why not more. Routes read it from
 * D1 and hand it to the object, which applies it only when a line's quantity goes up (a shopper can
 * always lower or remove a line that became unavailable).
 */
export interface LineLimit {
  /** 0 when the product can't be bought at all. */
  maxQty: number;
  /** Said to the shopper when the limit refuses a change. */
  reason?: string;
  /** The current unit amount, remembered as `seenUnitAmount` for a new line. */
  unitAmount?: number;
}

/** Why the object refused a change. The cart is unchanged; `cart` is its current state. */
export type CartFailureCode =
  'invalid_qty' | 'invalid_note' | 'too_many_lines' | 'unavailable' | 'not_in_cart' | 'stale_version';

export interface CartFailure {
  code: CartFailureCode;
  message: string;
  /** The offending input field ('qty', 'note', 'items.prod_x.qty'), for the problem's `errors`. */
  field?: string;
  cart: CartState;
}

/** What every mutating RPC method answers: the new cart (and whether it changed), or why not. */
export type CartResult = { ok: true; changed: boolean; cart: CartState } | { ok: false; error: CartFailure };

/** The body of a whole-cart replacement (`POST /cart`): quantity and optional note per product. */
export type CartReplacement = Record<string, { qty: number; note?: string }>;
