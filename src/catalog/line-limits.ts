// What one cart line may hold. The catalog's availability, the product page's form and the cart's own
// rules (cart/rules.ts) all read these, so they live below the cart.

/** Most units of one product per line. */
export const MAX_QTY = 99;
/** Longest special-request note, in characters (code points, so an emoji counts once). */
export const MAX_NOTE_CHARS = 500;
