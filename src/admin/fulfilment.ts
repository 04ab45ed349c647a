// An operator's fulfilment actions that are more than one call: cancelling a vendor's part.
import { getDb } from '../db/client';
import { cancelPartState } from '../fulfilment/shipments';

/** Cancels a vendor's part (not yet shipped in full) with the operator's reason. */
export async function cancelPartAsOperator(env: Env, orderId: string, storeId: string, reason: string) {
  const { part, changed } = await cancelPartState(getDb(env), orderId, storeId, reason);
  return { part, changed };
}
