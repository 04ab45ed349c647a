// How a line's discount is shown everywhere (order page, receipts, admin, vendor dashboard): the amount
// taken off and who funded it. Props only.
import { formatMoney } from '../lib/money';

/** "Discount −$2.50, funded by the seller" for a discounted line; null for a line without one. */
export function discountNote(
  line: { discountAmount?: number | null; discountFundedBy?: string | null },
  currency: string,
): string | null {
  if (!line.discountAmount) return null;
  const by = line.discountFundedBy === 'vendor' ? 'the seller' : 'the marketplace';
  return `Discount −${formatMoney(line.discountAmount, currency)}, funded by ${by}`;
}

/** The note as a line's sub-row. */
export function LineDiscount(props: {
  line: { discountAmount?: number | null; discountFundedBy?: string | null };
  currency: string;
}) {
  const note = discountNote(props.line, props.currency);
  return note ? (
    <div class="note line-discount" data-line-discount>
      {note}
    </div>
  ) : null;
}
