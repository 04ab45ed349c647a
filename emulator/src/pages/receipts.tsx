/** @jsxImportSource hono/jsx */
// Receipt (`charge.receipt_url`) and hosted invoice (`invoice.hosted_invoice_url`) pages.
import type { Context } from 'hono';
import type { AppEnv } from '../http';
import type { ChargeObj, InvoiceObj } from '../types';
import { formatAmount } from './format';
import { Document, htmlPage, messagePage } from './layout';
import { payOpenInvoice } from '../api/billing';
import { StripeError } from '../errors';
import { createPaymentMethod, normaliseCardNumber } from '../payments';

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
export function InvoicePage({ invoice: inv, error }: { invoice: InvoiceObj; error?: string | undefined }) {
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
          {error ? <p class="error">{error}</p> : null}
          {inv.status === 'open' ? (
            <form method="post" action="">
              <label>
                Card number <input name="card_number" inputmode="numeric" placeholder="4242 4242 4242 4242" />
              </label>
              <button type="submit">
                Pay {formatAmount(Number(inv.amount_remaining), String(inv.currency))}
              </button>
            </form>
          ) : null}
        </section>
      </main>
    </Document>
  );
}

/** GET /invoices/:id; POST pays an open invoice with the card in the form (`card_number`). */
export async function invoicePage(c: Context<AppEnv>): Promise<Response> {
  const found = c.var.ctx.store.getAny<InvoiceObj>(c.req.param('id')!, 'invoice');
  if (!found)
    return messagePage(c, 'Invoice not found', 'There is no invoice at this address.', undefined, 404);
  let error: string | undefined;
  if (c.req.method === 'POST') {
    const form = await c.req.formData();
    const number = normaliseCardNumber(String(form.get('card_number') ?? ''));
    const ctx = c.var.ctx.as(found.account);
    try {
      payOpenInvoice(ctx, found.obj, number ? createPaymentMethod(ctx, number).id : undefined);
    } catch (err) {
      if (!(err instanceof StripeError)) throw err;
      error = err.message;
    }
  }
  return htmlPage(c, <InvoicePage invoice={found.obj} error={error} />);
}
