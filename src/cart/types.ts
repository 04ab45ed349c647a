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
}

/** Messages the cart object pushes to open tabs over its WebSocket. */
export type CartSocketMessage = { type: 'cart'; cart: CartState };
