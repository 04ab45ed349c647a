// The disputes table: one row per Stripe dispute of an order's charge, merged from every event about it
// so that the newest state wins whatever the delivery order (status only moves forward), and read back
// as the state the money and the pages follow.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { schema, rowById } from '../db/client';
import { DISPUTE_STATUSES, type DisputeStatus } from '../db/schema';

/** A dispute row. */
export type DisputeRow = typeof schema.disputes.$inferSelect;

/** What one event says about a dispute. */
export interface DisputeSnapshot {
  id: string;
  orderId: string;
  chargeId: string;
  amount: number;
  currency: string;
  reason: string;
  status: DisputeStatus;
  /** Stripe's `created` of the dispute and of the event. */
  disputedAt: number;
  eventAt: number;
  fundsWithdrawnAt: number | null;
  fundsReinstatedAt: number | null;
}

/** Where each status stands: a row only moves to a higher rank; the closed ones are final. */
const RANK: Record<DisputeStatus, number> = {
  warning_needs_response: 0,
  needs_response: 1,
  warning_under_review: 2,
  under_review: 2,
  warning_closed: 3,
  prevented: 3,
  won: 3,
  lost: 3,
};

/** The statuses that end a dispute. */
const CLOSED: readonly DisputeStatus[] = ['won', 'lost', 'warning_closed', 'prevented'];

/** A status Stripe sends that we know, else null (an unknown one changes nothing). */
export function knownStatus(status: string): DisputeStatus | null {
  return (DISPUTE_STATUSES as readonly string[]).includes(status) ? (status as DisputeStatus) : null;
}

const rankSql = (column: string) =>
  sql.raw(
    `CASE ${column} ${Object.entries(RANK)
      .map(([s, r]) => `WHEN '${s}' THEN ${r}`)
      .join(' ')} ELSE -1 END`,
  );

/**
 * The statement that merges one event's snapshot into the row (insert, or forward-only update): the
 * status only climbs, times are kept once known, the amount and reason follow the newest event.
 */
export function mergeDispute(s: DisputeSnapshot): SQL {
  const closedAt = CLOSED.includes(s.status) ? s.eventAt : null;
  return sql`INSERT INTO ${schema.disputes}
      (id, order_id, charge_id, amount, currency, reason, status, funds_withdrawn_at, funds_reinstated_at,
       closed_at, disputed_at, last_event_at)
    VALUES (${s.id}, ${s.orderId}, ${s.chargeId}, ${s.amount}, ${s.currency}, ${s.reason}, ${s.status},
       ${s.fundsWithdrawnAt}, ${s.fundsReinstatedAt}, ${closedAt}, ${s.disputedAt}, ${s.eventAt})
    ON CONFLICT (id) DO UPDATE SET
      status = CASE WHEN ${rankSql('excluded.status')} > ${rankSql('disputes.status')}
        THEN excluded.status ELSE disputes.status END,
      closed_at = CASE WHEN ${rankSql('excluded.status')} > ${rankSql('disputes.status')}
        THEN excluded.closed_at ELSE disputes.closed_at END,
      amount = CASE WHEN excluded.last_event_at >= disputes.last_event_at THEN excluded.amount ELSE disputes.amount END,
      reason = CASE WHEN excluded.last_event_at >= disputes.last_event_at THEN excluded.reason ELSE disputes.reason END,
      funds_withdrawn_at = COALESCE(disputes.funds_withdrawn_at, excluded.funds_withdrawn_at),
      funds_reinstated_at = COALESCE(disputes.funds_reinstated_at, excluded.funds_reinstated_at),
      last_event_at = MAX(disputes.last_event_at, excluded.last_event_at),
      updated_at = unixepoch()`;
}

/** The row of a dispute, if we know it. */
export async function getDispute(db: Db, id: string): Promise<DisputeRow | undefined> {
  return rowById(db, schema.disputes, id);
}
