// How an order's disputes are shown: the admin order JSON and page, the shopper's order page.
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { schema } from '../db/client';
import type { DisputeStatus } from '../db/schema';

/** One dispute of an order, for pages and JSON. */
export interface DisputeView {
  id: string;
  chargeId: string;
  amount: number;
  currency: string;
  reason: string;
  status: DisputeStatus;
  /** `open` while the bank decides, else how it ended. */
  outcome: 'open' | 'won' | 'lost' | 'closed';
  /** In words, for the pages. */
  summary: string;
  disputedAt: number;
  fundsWithdrawnAt: number | null;
  fundsReinstatedAt: number | null;
  closedAt: number | null;
}

const SUMMARY: Record<DisputeView['outcome'], string> = {
  open: "The card holder's bank is reviewing a dispute of this payment; the disputed amount is held back.",
  won: 'The dispute was decided in our favour: the disputed amount was returned.',
  lost: "The dispute was decided in the card holder's favour: the disputed amount was returned to the card.",
  closed: 'The inquiry was closed without a chargeback.',
};

function outcomeOf(status: DisputeStatus): DisputeView['outcome'] {
  if (status === 'won' || status === 'lost') return status;
  if (status === 'warning_closed' || status === 'prevented') return 'closed';
  return 'open';
}

/** An order's disputes, oldest first. */
export async function disputesOfOrder(db: Db, orderId: string): Promise<DisputeView[]> {
  const rows = await db
    .select()
    .from(schema.disputes)
    .where(eq(schema.disputes.orderId, orderId))
    .orderBy(asc(schema.disputes.disputedAt), asc(schema.disputes.id));
  return rows.map((r) => {
    const outcome = outcomeOf(r.status);
    return {
      id: r.id,
      chargeId: r.chargeId,
      amount: r.amount,
      currency: r.currency,
      reason: r.reason,
      status: r.status,
      outcome,
      summary: SUMMARY[outcome],
      disputedAt: r.disputedAt,
      fundsWithdrawnAt: r.fundsWithdrawnAt,
      fundsReinstatedAt: r.fundsReinstatedAt,
      closedAt: r.closedAt,
    };
  });
}
