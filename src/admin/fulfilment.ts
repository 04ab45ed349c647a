// An operator's fulfilment actions that are more than one call: cancelling a vendor's part.
import { cancelPart } from '../fulfilment/cancel';

/** Cancels a vendor's part (not yet shipped in full) with the operator's reason, refunding what did not ship. */
export async function cancelPartAsOperator(env: Env, orderId: string, storeId: string, reason: string) {
  return { part: await cancelPart(env, orderId, storeId, { reason, by: 'operator' }) };
}
