// The dev mail catcher (like Mailpit): what MAIL_TRANSPORT=catcher "sent", newest first, at /__mail,
// each message with its rendered HTML (in a sandboxed frame under a strict CSP), text part and
// headers; the same as JSON under /__mail/api. Not served in production.
import { formatUtc } from '../lib/time';
import { Hono, type MiddlewareHandler } from 'hono';
import { desc, sql } from 'drizzle-orm';
import * as z from 'zod';
import type { Db } from '../db/client';
import { getDb, schema, rowById } from '../db/client';
import { storeConfig } from '../lib/config';
import { NotFoundError } from '../lib/errors';
import { validate } from '../lib/input';
import { renderPage } from '../pages/document';

type Caught = typeof schema.caughtMail.$inferSelect;

/** Caught messages, newest first; `to` filters by recipient (case-insensitive). */
async function listCaughtMail(db: Db, q: { to?: string; limit: number }): Promise<Caught[]> {
  return db
    .select()
    .from(schema.caughtMail)
    .where(q.to ? sql`lower(${schema.caughtMail.to}) = ${q.to.toLowerCase()}` : undefined)
    .orderBy(desc(schema.caughtMail.id))
    .limit(q.limit);
}

/** One caught message, or NotFoundError. */
async function getCaughtMail(db: Db, id: number): Promise<Caught> {
  const row = Number.isSafeInteger(id) ? await rowById(db, schema.caughtMail, id) : undefined;
  if (!row) throw new NotFoundError(`No caught message ${id}.`);
  return row;
}

const listQuery = z.object({
  to: z.string().trim().max(254).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
const idParam = z.object({ id: z.coerce.number().int().positive() });

// Our own headers (mounted before the app's secureHeaders, which would replace them).
const PAGE_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
// The message's own HTML: no scripts, no forms, its own opaque origin (sandbox), images only.
const MAIL_CSP =
  "default-src 'none'; img-src data: https: http:; style-src 'unsafe-inline'; sandbox; frame-ancestors 'self'";

export const mailCatcherRoutes = new Hono<{ Bindings: Env }>();

const devOnly: MiddlewareHandler<{ Bindings: Env }> = async (c, next) => {
  if (storeConfig(c.env).production) throw new NotFoundError('There is nothing at this address.');
  await next();
  c.header('cache-control', 'no-store');
  c.header('x-content-type-options', 'nosniff');
  c.header('referrer-policy', 'no-referrer');
};

mailCatcherRoutes.use('/__mail', devOnly);
mailCatcherRoutes.use('/__mail/*', devOnly);

mailCatcherRoutes.get('/__mail/api/messages', validate('query', listQuery), async (c) => {
  const q = c.req.valid('query');
  return c.json({ messages: (await listCaughtMail(getDb(c.env), q)).map(toJson) });
});

mailCatcherRoutes.get('/__mail/api/messages/:id', validate('param', idParam), async (c) => {
  const { id } = c.req.valid('param');
  return c.json(toJson(await getCaughtMail(getDb(c.env), id)));
});

mailCatcherRoutes.get('/__mail', validate('query', listQuery), async (c) => {
  const q = c.req.valid('query');
  const rows = await listCaughtMail(getDb(c.env), q);
  c.header('content-security-policy', PAGE_CSP);
  return renderPage(c, <ListPage rows={rows} to={q.to} />);
});

mailCatcherRoutes.get('/__mail/:id', validate('param', idParam), async (c) => {
  const { id } = c.req.valid('param');
  const row = await getCaughtMail(getDb(c.env), id);
  c.header('content-security-policy', PAGE_CSP);
  return renderPage(c, <MessagePage row={row} />);
});

mailCatcherRoutes.get('/__mail/:id/html', validate('param', idParam), async (c) => {
  const { id } = c.req.valid('param');
  const row = await getCaughtMail(getDb(c.env), id);
  c.header('content-security-policy', MAIL_CSP);
  c.header('x-frame-options', 'SAMEORIGIN');
  return c.html(row.html || '<p>(no HTML part)</p>');
});

function toJson(r: Caught) {
  return {
    id: r.id,
    messageId: r.messageId,
    kind: r.kind,
    from: r.from,
    to: r.to,
    replyTo: r.replyTo,
    subject: r.subject,
    text: r.text,
    html: r.html,
    headers: r.headers,
    createdAt: r.createdAt,
  };
}

const when = (s: number) => formatUtc(s, 'second');

function Shell(props: { title: string; children?: unknown }) {
  return (
    <>
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="robots" content="noindex" />
          <title>{`${props.title} · mail catcher`}</title>
          <link rel="stylesheet" href="/static/app.css" />
        </head>
        <body class="admin">
          <main class="wrap">
            <p>
              <a href="/__mail">Mail catcher</a> · development only: nothing here left the machine.
            </p>
            {props.children}
          </main>
        </body>
      </html>
    </>
  );
}

function ListPage(props: { rows: Caught[]; to?: string }) {
  return (
    <Shell title="Mail">
      <h1>Caught mail{props.to ? ` to ${props.to}` : ''}</h1>
      <form method="get" action="/__mail" class="form">
        <label>
          To <input type="email" name="to" value={props.to ?? ''} />
        </label>{' '}
        <button class="button" type="submit">
          Filter
        </button>
      </form>
      {props.rows.length === 0 ? (
        <p>No mail yet. Sign in as a vendor or send a contact message and it shows here.</p>
      ) : (
        <table class="table">
          <thead>
            <tr>
              <th scope="col">Received</th>
              <th scope="col">To</th>
              <th scope="col">Subject</th>
              <th scope="col">Kind</th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((r) => (
              <tr data-mail-id={String(r.id)}>
                <td>{when(r.createdAt)}</td>
                <td>{r.to}</td>
                <td>
                  <a href={`/__mail/${r.id}`}>{r.subject}</a>
                </td>
                <td>{r.kind ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Shell>
  );
}

function MessagePage(props: { row: Caught }) {
  const r = props.row;
  return (
    <Shell title={r.subject}>
      <h1>{r.subject}</h1>
      <h2>Headers</h2>
      <dl class="facts">
        {Object.entries(r.headers).map(([k, v]) => (
          <>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </>
        ))}
      </dl>
      <h2>HTML</h2>
      <iframe
        title="HTML part"
        src={`/__mail/${r.id}/html`}
        sandbox=""
        referrerpolicy="no-referrer"
        width="100%"
        height="640"
      ></iframe>
      <h2>Text</h2>
      <pre class="payload">{r.text}</pre>
    </Shell>
  );
}
