// Receipt (`charge.receipt_url`) and hosted invoice (`invoice.hosted_invoice_url`) pages.
import type { Context } from 'hono';
import type { AppEnv } from '../http';
import type { ChargeObj, InvoiceObj } from '../types';
import { formatAmount } from './format';
import { Document, htmlPage, messagePage } from './layout';

/** A paid charge's receipt. */
export function ReceiptPage({ charge: ch }: { charge: ChargeObj }) {
  const card = (ch.payment_method_details as { card?: { brand: string; last4: string } } | null)?.card;
  return (
    <Document title="Receipt">
      <main>
        <section>
          <h1>Receipt</h1>
          <p class="total">{formatAmount(ch.amount, ch.currency)}</p>
          <table>
            <tr>
              <td>Date paid</td>
              <td class="num">{new Date(Number(ch.created) * 1000).toUTCString()}</td>
            </tr>
            <tr>
              <td>Payment method</td>
              <td class="num">{card ? `${card.brand} •••• ${card.last4}` : 'card'}</td>
            </tr>
            {ch.amount_refunded ? (
              <tr>
                <td>Refunded</td>
                <td class="num">{formatAmount(ch.amount_refunded, ch.currency)}</td>
              </tr>
            ) : null}
            <tr>
              <td>Reference</td>
              <td class="num">
                <code>{ch.id}</code>
              </td>
            </tr>
          </table>
        </section>
      </main>
    </Document>
  );
}

/** GET /receipts/:charge */
export function receiptPage(c: Context<AppEnv>): Response | Promise<Response> {
  const found = c.var.ctx.store.getAny<ChargeObj>(c.req.param('charge')!, 'charge');
  if (!found || found.obj.status !== 'succeeded') {
    return messagePage(c, 'Receipt not found', 'There is no receipt at this address.', undefined, 404);
  }
  return htmlPage(c, <ReceiptPage charge={found.obj} />);
}

/** A hosted invoice: its lines and total. */
export function InvoicePage({ invoice: inv }: { invoice: InvoiceObj }) {
  const lines = (inv.lines as { data: Array<{ description: string; amount: number; currency: string }> })
    .data;
  const name = String(inv.number ?? inv.id);
  return (
    <Document title={`Invoice ${name}`}>
      <main>
        <section>
          <h1>Invoice {name}</h1>
          <p class="muted">Status: {inv.status}</p>
          <table>
            {lines.map((l) => (
              <tr>
                <td>{l.description}</td>
                <td class="num">{formatAmount(l.amount, l.currency)}</td>
              </tr>
            ))}
            <tr>
              <td>
                <strong>Total</strong>
              </td>
              <td class="num">
                <strong>{formatAmount(inv.total, String(inv.currency))}</strong>
              </td>
            </tr>
          </table>
        </section>
      </main>
    </Document>
  );
}

/** GET /invoices/:id */
export function invoicePage(c: Context<AppEnv>): Response | Promise<Response> {
  const found = c.var.ctx.store.getAny<InvoiceObj>(c.req.param('id')!, 'invoice');
  if (!found)
    return messagePage(c, 'Invoice not found', 'There is no invoice at this address.', undefined, 404);
  return htmlPage(c, <InvoicePage invoice={found.obj} />);
}
