// Receipt (`charge.receipt_url`) and hosted invoice (`invoice.hosted_invoice_url`) pages.
import type { Ctx } from '../context';
import { esc, formatAmount } from '../render';
import type { ChargeObj, InvoiceObj } from '../types';
import { messagePage, page } from './layout';

/** GET /receipts/:charge */
export function receiptPage(ctx: Ctx, chargeId: string): Response {
  const found = ctx.store.getAny<ChargeObj>(chargeId, 'charge');
  if (!found || found.obj.status !== 'succeeded') {
    return messagePage('Receipt not found', 'There is no receipt at this address.', undefined, 404);
  }
  const ch = found.obj;
  const card = (ch.payment_method_details as { card?: { brand: string; last4: string } } | null)?.card;
  return page(
    'Receipt',
    `<main><section><h1>Receipt</h1>
<p class="total">${esc(formatAmount(ch.amount, ch.currency))}</p>
<table>
<tr><td>Date paid</td><td class="num">${esc(new Date(Number(ch.created) * 1000).toUTCString())}</td></tr>
<tr><td>Payment method</td><td class="num">${esc(card ? `${card.brand} •••• ${card.last4}` : 'card')}</td></tr>
${ch.amount_refunded ? `<tr><td>Refunded</td><td class="num">${esc(formatAmount(ch.amount_refunded, ch.currency))}</td></tr>` : ''}
<tr><td>Reference</td><td class="num"><code>${esc(ch.id)}</code></td></tr>
</table></section></main>`,
  );
}

/** GET /invoices/:id */
export function invoicePage(ctx: Ctx, invoiceId: string): Response {
  const found = ctx.store.getAny<InvoiceObj>(invoiceId, 'invoice');
  if (!found) return messagePage('Invoice not found', 'There is no invoice at this address.', undefined, 404);
  const inv = found.obj;
  const lines = (inv.lines as { data: Array<{ description: string; amount: number; currency: string }> })
    .data;
  return page(
    `Invoice ${String(inv.number ?? inv.id)}`,
    `<main><section><h1>Invoice ${esc(inv.number ?? inv.id)}</h1>
<p class="muted">Status: ${esc(inv.status)}</p>
<table>${lines.map((l) => `<tr><td>${esc(l.description)}</td><td class="num">${esc(formatAmount(l.amount, l.currency))}</td></tr>`).join('')}
<tr><td><strong>Total</strong></td><td class="num"><strong>${esc(formatAmount(inv.total, String(inv.currency)))}</strong></td></tr></table>
</section></main>`,
  );
}
