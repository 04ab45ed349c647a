// Stripe's dispute events (charge.dispute.created / updated / closed / funds_withdrawn /
// funds_reinstated): each merges what it says into the dispute's row, then the order's money, the
// vendors' notices and the order's flag follow the row's newest state, so any delivery order and any
// number of redeliveries give the same cents.
import { eq, or } from 'drizzle-orm';
import { runBatch, tableRowOf, type Read, type Statement } from '../db/batch';
import type { Db } from '../db/client';
import { getDb, schema } from '../db/client';
import { dispatchMessages, queueVendorDisputeNotice } from '../notifications';
import { releaseDueTransfers } from '../fulfilment/release';
import { disputeShares, recoverDisputedAmount, returnDisputedAmount } from '../payouts/disputes';
import { getStripe, type Stripe } from '../stripe/client';
import type { HandlerMap, WebhookHandler } from '../stripe/handlers';
import { getDispute, knownStatus, mergeDispute, type DisputeRow, type DisputeSnapshot } from './record';

const idOf = (ref: string | { id: string } | null | undefined): string | null =>
  ref == null ? null : typeof ref === 'string' ? ref : ref.id;

/** What the order module does when one of its orders is disputed (flag it for operators). */
export type FlagDisputed = (db: Db, orderId: string) => Promise<unknown>;

/**
 * The order a disputed charge paid for: by the ids recorded at payment, else through the charge's
 * `transfer_group` (the order id, set at checkout) for a dispute that arrives before the payment
 * events. Null for a charge that is not ours, or that Stripe does not know.
 */
async function orderOfDispute(env: Env, db: Db, dispute: Stripe.Dispute): Promise<string | null> {
  const chargeId = idOf(dispute.charge);
  const paymentIntentId = idOf(dispute.payment_intent);
  if (!chargeId && !paymentIntentId) return null;
  const known = await db
    .select({ id: schema.orders.id })
    .from(schema.orders)
    .where(
      or(
        chargeId ? eq(schema.orders.chargeId, chargeId) : undefined,
        paymentIntentId ? eq(schema.orders.paymentIntentId, paymentIntentId) : undefined,
      ),
    )
    .get();
  if (known) return known.id;
  if (!chargeId) return null;
  let charge: Stripe.Charge;
  try {
    charge = await getStripe(env).charges.retrieve(chargeId);
  } catch (err) {
    // A charge Stripe does not have (a forged or foreign event) is nobody's order; anything else retries.
    if ((err as { statusCode?: number }).statusCode === 404) return null;
    throw err;
  }
  for (const id of [charge.transfer_group, charge.metadata?.order_id]) {
    if (!id) continue;
    const order = await db.query.orders.findFirst({
      where: eq(schema.orders.id, id),
      columns: { id: true },
    });
    if (order) return order.id;
  }
  return null;
}

/** Stripe's dispute as one event reports it; null when it is not one we can record (unknown status, malformed). */
function snapshotOf(event: Stripe.Event, dispute: Stripe.Dispute, orderId: string): DisputeSnapshot | null {
  const status = knownStatus(dispute.status);
  const chargeId = idOf(dispute.charge);
  const wellFormed =
    Number.isSafeInteger(dispute.amount) &&
    dispute.amount >= 0 &&
    typeof dispute.currency === 'string' &&
    Number.isSafeInteger(dispute.created);
  if (!status || !chargeId || !wellFormed) return null;
  const txns = (dispute.balance_transactions ?? []).filter((t) => typeof t === 'object');
  const withdrawn = txns.find((t) => t.amount < 0)?.created ?? null;
  const reinstated = txns.find((t) => t.amount > 0)?.created ?? null;
  return {
    id: dispute.id,
    orderId,
    chargeId,
    amount: dispute.amount,
    currency: dispute.currency,
    reason: typeof dispute.reason === 'string' ? dispute.reason : 'general',
    status,
    disputedAt: dispute.created,
    eventAt: event.created,
    fundsWithdrawnAt: withdrawn ?? (event.type === 'charge.dispute.funds_withdrawn' ? event.created : null),
    fundsReinstatedAt:
      reinstated ?? (event.type === 'charge.dispute.funds_reinstated' ? event.created : null),
  };
}

/** An inquiry (`warning_*`) moves no money; a chargeback does. */
const isChargeback = (status: string) => !status.startsWith('warning_');

/** What a dispute's notices are drawn from: the snapshot of one event, or the recorded row. */
type NoticeSource = Pick<DisputeRow, 'id' | 'orderId' | 'amount' | 'currency' | 'status'>;

/**
 * The vendors' notices a dispute calls for: opened, and won or lost once closed (once each, by key).
 * None before the order's transfers exist: the paid path asks again (`settleDisputesOfPaidOrder`).
 */
async function noticesFor(env: Env, db: Db, s: NoticeSource): Promise<Statement[]> {
  if (!isChargeback(s.status)) return [];
  const shares = await disputeShares(env, { orderId: s.orderId, disputeId: s.id, amount: s.amount });
  const events: ('opened' | 'won' | 'lost')[] = ['opened'];
  if (s.status === 'won' || s.status === 'lost') events.push(s.status);
  // Only vendors the dispute takes something from (a cancelled part's vendor already gave it all back).
  return [...shares].flatMap(([storeId, amount]) =>
    (amount > 0 ? events : []).map((e) =>
      queueVendorDisputeNotice(db, {
        disputeId: s.id,
        orderId: s.orderId,
        storeId,
        event: e,
        amount,
        currency: s.currency,
      }),
    ),
  );
}

/**
 * The money of a dispute as a function of its row: open or lost → recovered from the vendors like a
 * refund; won → no longer recovered, what was taken is transferred back. Idempotent.
 */
async function settleMoney(env: Env, row: DisputeRow): Promise<void> {
  if (row.status === 'won') {
    await returnDisputedAmount(env, { orderId: row.orderId, disputeId: row.id });
    // A give-back held under its part's hold goes at once if the part already qualifies.
    await releaseDueTransfers(env, getDb(env), row.orderId);
    return;
  }
  // Inquiries (warning_*) and prevented disputes never take money.
  if (!isChargeback(row.status) || row.status === 'prevented') return;
  await recoverDisputedAmount(env, { orderId: row.orderId, disputeId: row.id, amount: row.amount });
}

/** Builds the dispute event handlers; `flagDisputed` is the order module's flag (it sits above this one). */
export function disputeEventHandlers(flagDisputed: FlagDisputed): HandlerMap {
  const handle: WebhookHandler = async (event, env) => {
    // A connected account's own disputes are not our orders.
    if (event.account) return 'ignored';
    const dispute = event.data.object as Stripe.Dispute;
    const db = getDb(env);
    const orderId = await orderOfDispute(env, db, dispute);
    if (!orderId) return 'ignored';
    await flagDisputed(db, orderId);
    // A status we don't know (a newer API's) leaves the row and the money as they are.
    const snapshot = snapshotOf(event, dispute, orderId);
    if (!snapshot) return 'processed';
    // The row and the notices it calls for commit together.
    const notices = await noticesFor(env, db, snapshot);
    await runBatch(db, [mergeDispute(snapshot), ...notices]);
    const row = await getDispute(db, dispute.id);
    // No transfers when the notices were drawn: if the order was paid meanwhile, its paid path may have
    // looked for disputes before this row existed, so ask again now that it does (keys keep it once).
    if (row && notices.length === 0) await runBatch(db, await noticesFor(env, db, row));
    if (row) await settleMoney(env, row);
    await dispatchMessages(env);
    return 'processed';
  };
  return {
    'charge.dispute.created': handle,
    'charge.dispute.updated': handle,
    'charge.dispute.closed': handle,
    'charge.dispute.funds_withdrawn': handle,
    'charge.dispute.funds_reinstated': handle,
  };
}

/** The disputes recorded for an order, as a read that can share its D1 round trip (`readTogether`). */
export function disputesOfOrderRead(orderId: string): Read<DisputeRow[]> {
  return {
    query: { sql: 'SELECT * FROM disputes WHERE order_id = ?', params: [orderId] },
    value: (rows) => rows.map((row) => tableRowOf(schema.disputes, row)),
  };
}

/**
 * The disputes recorded for an order before it was paid (their events came first; `rows`, read by
 * `disputesOfOrderRead`), applied now that its transfers exist, as if they had come after the payment:
 * each vendor's notices are queued (the same keys as the events use, so nobody is told twice) and each
 * dispute's money is settled. Idempotent; the caller dispatches the messages.
 */
export async function settleDisputesOfPaidOrder(
  env: Env,
  db: Db,
  rows: readonly DisputeRow[],
): Promise<void> {
  if (rows.length === 0) return;
  await runBatch(db, (await Promise.all(rows.map((row) => noticesFor(env, db, row)))).flat());
  for (const row of rows) await settleMoney(env, row);
}
