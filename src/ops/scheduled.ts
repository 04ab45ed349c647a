// The cron sweep: re-sends payout rows that never reached the queue (transfers and reversals), closes
// stale checkouts, and hands queued messages that never reached NOTIFY to it again.
import { sweepStaleCheckouts } from '../checkout/sweep';
import { getDb } from '../db/client';
import { resendStaleReversals, resendStaleTransfers, resendStuckTransfers } from '../payouts/outbox';
import { resendQueuedMessages } from '../notifications/outbox';
import { autoDeliver, autoDeliverDays } from '../fulfilment/shipments';
import { releaseDueTransfers } from '../fulfilment/release';
import { retryCancelRefunds } from '../fulfilment/cancel';
import { cancelUnpaidOrders } from '../checkout/resume';
import { retryReturnRefunds } from '../fulfilment/returns';

/** A row pending this long was enqueued (or should have been) and the queue never delivered it. */
const STALE_PENDING_SECONDS = 5 * 60;
/** A transfer `sending` this long without progress lost its message (its retries all happen within ~5 minutes). */
const STUCK_SENDING_SECONDS = 15 * 60;

/** Runs every few minutes (wrangler.toml [triggers]). Each step runs even if another one failed. */
export async function handleScheduled(_controller: ScheduledController, env: Env): Promise<void> {
  const db = getDb(env);
  const steps: [string, () => Promise<number>][] = [
    ['transfers re-sent', () => resendStaleTransfers(env, db, STALE_PENDING_SECONDS)],
    ['stuck transfers re-sent', () => resendStuckTransfers(env, db, STUCK_SENDING_SECONDS)],
    ['reversals re-sent', () => resendStaleReversals(env, db, STALE_PENDING_SECONDS)],
    ['checkouts closed', () => sweepStaleCheckouts(env)],
    ['messages re-sent', () => resendQueuedMessages(env, STALE_PENDING_SECONDS)],
    ['parts auto-delivered', () => autoDeliver(env, autoDeliverDays(env))],
    ['held transfers released', () => releaseDueTransfers(env, db)],
    ['cancel refunds retried', () => retryCancelRefunds(env)],
    ['unpaid orders canceled', () => cancelUnpaidOrders(env)],
    ['return refunds retried', () => retryReturnRefunds(env)],
  ];
  const results = await Promise.allSettled(steps.map(([, run]) => run()));
  const summary: Record<string, number | string> = {};
  results.forEach((r, i) => {
    summary[steps[i]![0]] = r.status === 'fulfilled' ? r.value : `error: ${String(r.reason)}`;
  });
  console.log(JSON.stringify({ msg: 'cron sweep', ...summary }));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  // Thrown after every step ran, so the cron's failure shows in the dashboard.
  if (failed) throw failed.reason;
}
