// The e-mail HTML shell and the parts templates share (line table, address). Inline styles only:
// mail clients drop <style> and external sheets. Every value goes through JSX, so it is escaped.
import { raw, type Child, type JSX } from '../../lib/jsx/jsx-runtime';
import { discountNote } from '../../pages/line-discount';
import { formatMoney } from '../../lib/money';
import { clip, displayName } from '../text';
import type { MailAddress, MailLine, TemplateContext } from './types';

const FONT = 'font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#1c2b2d;';

/** The document around a message's content. */
export function MailLayout(props: { ctx: TemplateContext; title: string; children?: Child }) {
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{props.title}</title>
        </head>
        <body style={`margin:0;padding:24px;background:#f4f1ea;${FONT}`}>
          <div style="max-width:560px;margin:0 auto;background:#fff;padding:24px;border-radius:8px">
            <p style="margin:0 0 16px;font-weight:700">{props.ctx.marketplace}</p>
            {props.children}
          </div>
          <p style="max-width:560px;margin:16px auto 0;font-size:12px;color:#5b6b6e">
            {props.ctx.marketplace} · <a href={props.ctx.publicUrl}>{props.ctx.publicUrl}</a>
          </p>
        </body>
      </html>
    </>
  );
}

/** A call-to-action link styled as a button. */
export function Button(props: { href: string; children?: Child }) {
  return (
    <p style="margin:24px 0">
      <a
        href={props.href}
        style="display:inline-block;padding:10px 18px;background:#12343b;color:#fff;text-decoration:none;border-radius:6px"
      >
        {props.children}
      </a>
    </p>
  );
}

/** The lines of an order with their amounts. */
export function LinesTable(props: { lines: MailLine[]; currency: string; showVendor?: boolean }) {
  return (
    <table style="width:100%;border-collapse:collapse;margin:16px 0" cellpadding="6">
      <tbody>
        {props.lines.map((l) => (
          <tr style="border-bottom:1px solid #e3ded3">
            <td>
              {l.quantity} × {displayName(l.name, 'Item')}
              {props.showVendor ? (
                <div style="font-size:12px;color:#5b6b6e">from {displayName(l.vendor)}</div>
              ) : null}
              {l.note ? <div style="font-size:12px;color:#5b6b6e">Note: {clip(l.note, 500)}</div> : null}
              {l.discountAmount ? (
                <div style="font-size:12px;color:#5b6b6e">{discountNote(l, props.currency)}</div>
              ) : null}
            </td>
            <td style="text-align:right;white-space:nowrap">{formatMoney(l.amount, props.currency)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Rows of label/amount (subtotal, shipping, total). */
export function Totals(props: { rows: [string, number][]; currency: string }) {
  return (
    <table style="width:100%;border-collapse:collapse" cellpadding="4">
      <tbody>
        {props.rows.map(([label, amount], i) => (
          <tr style={i === props.rows.length - 1 ? 'font-weight:700' : ''}>
            <td>{label}</td>
            <td style="text-align:right">{formatMoney(amount, props.currency)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** An address block. */
export function AddressBlock(props: { title: string; address: MailAddress }) {
  return (
    <>
      <h3 style="margin:16px 0 4px;font-size:14px">{props.title}</h3>
      <p style="margin:0">
        {addressLines(props.address).map((line, i) => (
          <>
            {i > 0 ? <br /> : null}
            {line}
          </>
        ))}
      </p>
    </>
  );
}

/** An address as lines of text (name first), each one line and clipped. */
export function addressLines(a: MailAddress): string[] {
  const cityLine = [a.postalCode, a.city, a.state].filter(Boolean).join(' ');
  return [a.name, a.line1, a.line2, cityLine, a.country]
    .map((v) => displayName(v ?? ''))
    .filter((v) => v.length > 0);
}

/** The lines as plain text, one per line. */
export function linesText(lines: MailLine[], currency: string, showVendor = false): string {
  return lines
    .map(
      (l) =>
        `- ${l.quantity} x ${displayName(l.name, 'Item')}${showVendor ? ` (from ${displayName(l.vendor)})` : ''}: ${formatMoney(l.amount, currency)}` +
        (l.discountAmount ? ` (${discountNote(l, currency)})` : ''),
    )
    .join('\n');
}

/** A JSX e-mail document as its HTML text (the page runtime has rendered it already). */
export function toHtml(node: JSX.Element): string {
  return node.html;
}
