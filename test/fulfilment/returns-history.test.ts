// A vendor's returns history through SELF.fetch and the emulator: after a real purchase, shipments and the
// shopper's requests, the vendor (and an operator) decide some; the Open / Approved / Declined / All tabs
// and their JSON show each request once with its decision, refund, reason, who and when; keyset pages walk
// every row exactly once; a bad status, cursor or limit is a 422 problem+json; another vendor sees none.
import { describe, expect, it } from 'vitest';
import { heldEmulator } from '../helpers/emulator';
import { admin, paidMultiVendorOrder, vendorClient } from '../helpers/fulfilment';

const emu = heldEmulator();
const ORIGIN = 'http://localhost';

type Buyer = Awaited<ReturnType<typeof paidMultiVendorOrder>>['buyer'];
type Vendor = Awaited<ReturnType<typeof vendorClient>>;
interface ReturnJson {
  id: string;
  storeId: string;
  status: string;
  reason: string;
  amount: number;
  vendorAmount: number;
  decidedBy: string | null;
  decidedAt: number | null;
  decisionReason: string | null;
  refundId: string | null;
  createdAt: number;
}
interface ReturnsJson {
  returns: ReturnJson[];
  next_cursor: string | null;
}

async function requestReturn(
  buyer: Buyer,
  orderId: string,
  storeId: string,
  productId: string,
  reason: string,
) {
  const res = await buyer.fetch(`/orders/${orderId}/returns`, {
    method: 'POST',
    headers: { origin: ORIGIN, 'content-type': 'application/json' },
    body: JSON.stringify({ storeId, reason, items: [{ productId, quantity: 1 }] }),
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json<{ return: { id: string } }>()).return.id;
}

/** The HTML section of one return request on the page. */
function card(html: string, id: string): string {
  const start = html.indexOf(`data-return-id="${id}"`);
  expect(start, id).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</section>', start));
}

const ids = (html: string) => [...html.matchAll(/data-return-id="([^"]+)"/g)].map((m) => m[1]!);

/**
 * One paid order from two vendors. Vendor A shipped 6 units; the shopper asked to return each, and then
 * (a second apart) A declined `declined` (form), approved `approved` (form, restock), an operator declined
 * `byOperator`, A approved `approved2` (JSON); `open` and (a second later) `open2` wait. Vendor B declined its one request. Made once for the whole file.
 */
const nextSecond = () => new Promise((resolve) => setTimeout(resolve, 1000));

let made: ReturnType<typeof makeHistory> | null = null;
const history = () => (made ??= makeHistory());

async function makeHistory() {
  const { orderId, stores, buyer } = await paidMultiVendorOrder(emu, [
    [{ unitAmount: 2000, qty: 6, stock: 10 }],
    [{ unitAmount: 900, qty: 1 }],
  ]);
  const [a, b] = stores;
  const vendorA = await vendorClient(a!.storeId);
  const vendorB = await vendorClient(b!.storeId);
  for (const v of [vendorA, vendorB])
    expect(
      (await v.post(`/vendor/orders/${orderId}/shipments`, { carrier: 'DHL', trackingNumber: 'D' })).status,
    ).toBe(201);
  const productA = a!.products[0]!.id;
  const ask = (reason: string) => requestReturn(buyer, orderId, a!.storeId, productA, reason);
  const approved = await ask('Arrived cracked');
  const declined = await ask('Wrong colour');
  const approved2 = await ask('Lid missing');
  const byOperator = await ask('Changed my mind');
  const open = await ask('Too small');
  await nextSecond();
  const open2 = await ask('Too big');
  const ofB = await requestReturn(buyer, orderId, b!.storeId, b!.products[0]!.id, 'Not as pictured');

  // A second apart each (decisions are timed in whole seconds), in another order than asked:
  // declined, approved, byOperator, approved2.
  await nextSecond();
  expect(
    (await vendorA.postForm(`/vendor/returns/${declined}/decline`, { reason: 'Worn, not faulty' })).status,
  ).toBe(303);
  await nextSecond();
  expect((await vendorA.postForm(`/vendor/returns/${approved}/approve`, { restock: 'on' })).status).toBe(303);
  await nextSecond();
  expect(
    (await admin(`/admin/api/returns/${byOperator}/decline`, { reason: 'Outside the return window' })).status,
  ).toBe(200);
  await nextSecond();
  expect((await vendorA.post(`/vendor/returns/${approved2}/approve`, {})).status).toBe(200);
  expect((await vendorB.post(`/vendor/returns/${ofB}/decline`, { reason: 'Photo shows wear' })).status).toBe(
    200,
  );
  return {
    orderId,
    a: a!,
    b: b!,
    vendorA,
    vendorB,
    approved,
    declined,
    approved2,
    byOperator,
    open,
    open2,
    ofB,
  };
}

const page = async (vendor: Vendor, query: string) => {
  const res = await vendor.get(`/vendor/returns${query}`, 'text/html');
  expect(res.status, query).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/html');
  return res.text();
};

const listing = async (vendor: Vendor, query: string) => {
  const res = await vendor.get(`/vendor/returns${query}`);
  expect(res.status, query).toBe(200);
  return res.json<ReturnsJson>();
};

/** Every id of a tab, following next_cursor (JSON) `limit` at a time. */
async function walkJson(vendor: Vendor, status: string, limit: number): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 50; pages++) {
    const body: ReturnsJson = await listing(
      vendor,
      `?status=${status}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
    );
    expect(body.returns.length).toBeLessThanOrEqual(limit);
    seen.push(...body.returns.map((r) => r.id));
    cursor = body.next_cursor;
    if (!cursor) return seen;
  }
  throw new Error('too many pages');
}

/** Every id of a tab, following the page's "Next page" links. */
async function walkHtml(vendor: Vendor, status: string, limit: number): Promise<string[]> {
  const seen: string[] = [];
  let path: string | null = `/vendor/returns?status=${status}&limit=${limit}`;
  for (let pages = 0; pages < 50 && path; pages++) {
    const html = await page(vendor, path.slice('/vendor/returns'.length));
    seen.push(...ids(html));
    const next = /<a href="([^"]+)" rel="next">Next page<\/a>/.exec(html);
    path = next ? next[1]!.replace(/&amp;/g, '&') : null;
  }
  expect(path).toBeNull();
  return seen;
}

describe('vendor returns history', () => {
  it('tabs: approved with refund and reason, declined with the reason given, all, open; no forms once decided', async () => {
    const h = await history();

    const approvedTab = await page(h.vendorA, '?status=approved');
    expect(approvedTab).toMatch(
      /<a href="\/vendor\/returns\?status=approved" aria-current="page">Approved<\/a>/,
    );
    expect(approvedTab).toMatch(/<a href="\/vendor\/returns\?status=declined">Declined<\/a>/);
    expect(ids(approvedTab)).toEqual([h.approved2, h.approved]);
    const approved = card(approvedTab, h.approved);
    expect(approved).toContain('data-return-status="approved"');
    expect(approved).toContain(h.a.products[0]!.name);
    expect(approved).toContain('Arrived cracked');
    expect(approved).toContain('Approved</strong> by you on');
    expect(approved).toContain('Refunded $20.00 to the shopper; your share of it was $18.00.');
    expect(approved).toContain('went back in stock');
    expect(approved).not.toContain('<form');
    expect(card(approvedTab, h.approved2)).not.toContain('back in stock');

    const declinedTab = await page(h.vendorA, '?status=declined');
    expect(declinedTab).toMatch(/aria-current="page">Declined<\/a>/);
    expect(ids(declinedTab)).toEqual([h.byOperator, h.declined]);
    const declined = card(declinedTab, h.declined);
    expect(declined).toContain('Wrong colour');
    expect(declined).toContain('Declined</strong> by you on');
    expect(declined).toContain('Reason given: “Worn, not faulty”');
    expect(declined).not.toContain('Refunded');
    expect(declined).not.toContain('<form');
    const byOperator = card(declinedTab, h.byOperator);
    expect(byOperator).toContain('by the marketplace operator');
    expect(byOperator).toContain('Outside the return window');

    const all = await page(h.vendorA, '?status=all');
    // Latest event first: the decisions newest first, then the requests still open, newest first.
    expect(ids(all)).toEqual([h.approved2, h.byOperator, h.approved, h.declined, h.open2, h.open]);
    expect(card(all, h.open)).toContain(`action="/vendor/returns/${h.open}/approve"`);
    expect(card(all, h.declined)).not.toContain('<form');

    // Open (the default, as before): the waiting ones alone, with their forms.
    for (const query of ['', '?status=open']) {
      const open = await page(h.vendorA, query);
      expect(open).toMatch(/aria-current="page">Open<\/a>/);
      expect(ids(open)).toEqual([h.open, h.open2]);
      expect(card(open, h.open)).toContain(`action="/vendor/returns/${h.open}/decline"`);
      expect(open).not.toContain('Next page');
    }

    // JSON answers the same.
    const json = async (status: string) => (await listing(h.vendorA, `?status=${status}`)).returns;
    const approvedJson = await json('approved');
    expect(approvedJson.map((r) => r.id)).toEqual([h.approved2, h.approved]);
    const approvedRow = approvedJson.find((r) => r.id === h.approved);
    expect(approvedRow).toMatchObject({
      status: 'approved',
      reason: 'Arrived cracked',
      amount: 2000,
      vendorAmount: 1800,
      decidedBy: `vendor:${h.a.storeId}`,
    });
    expect(approvedRow?.refundId).toMatch(/^re_/);
    expect((await json('declined')).find((r) => r.id === h.byOperator)).toMatchObject({
      decidedBy: 'operator',
      decisionReason: 'Outside the return window',
      refundId: null,
    });
    expect((await json('all')).map((r) => r.id)).toEqual(ids(all));
    expect((await json('open')).map((r) => r.id)).toEqual(ids(await page(h.vendorA, '')));
    const unnamed = await listing(h.vendorA, '');
    expect(unnamed).toEqual({ returns: await json('open'), next_cursor: null });
  });

  it('keyset pages walk every row of every tab exactly once, in the same order as one page', async () => {
    const h = await history();
    for (const status of ['open', 'approved', 'declined', 'all']) {
      const whole = (await listing(h.vendorA, `?status=${status}&limit=100`)).returns;
      expect(whole.length).toBeGreaterThan(0);
      // Newest decision first for decided rows (open ones oldest first), ties by id.
      const key = (r: ReturnJson) => (status === 'open' ? r.createdAt : (r.decidedAt ?? r.createdAt));
      for (const [i, r] of whole.entries())
        if (i > 0) {
          const prev = whole[i - 1]!;
          const order = status === 'open' ? 1 : -1;
          expect(Math.sign(key(r) - key(prev)) * order).toBeGreaterThanOrEqual(0);
          if (key(r) === key(prev)) expect(r.id > prev.id ? order : -order).toBe(1);
        }
      for (const limit of [1, 2]) {
        const walked = await walkJson(h.vendorA, status, limit);
        expect(new Set(walked).size, `${status} ${limit}`).toBe(walked.length);
        expect(walked).toEqual(whole.map((r) => r.id));
        expect(await walkHtml(h.vendorA, status, limit)).toEqual(walked);
      }
    }
  });

  it('a bad status, cursor or limit is a 422 problem+json (and a 422 page for a browser)', async () => {
    const h = await history();
    const { next_cursor: allCursor } = await listing(h.vendorA, '?status=all&limit=1');
    expect(allCursor).toBeTruthy();
    const foreign = (value: unknown) =>
      btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    for (const query of [
      '?status=refunded',
      '?status=',
      '?status=requested',
      '?cursor=not!base64',
      '?cursor=bm90IGpzb24',
      `?status=declined&cursor=${allCursor}`,
      `?cursor=${foreign(['open', 'yesterday', 'ret_x'])}`,
      `?cursor=${foreign(['open', 1, 2])}`,
      `?cursor=${foreign({ open: 1 })}`,
      `?cursor=${'A'.repeat(600)}`,
      '?limit=0',
      '?limit=101',
      '?limit=two',
    ]) {
      const res = await h.vendorA.get(`/vendor/returns${query}`);
      expect(res.status, query).toBe(422);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const problem = await res.json<{ status: number; detail: string; errors: { path: string }[] }>();
      expect(problem.status).toBe(422);
      expect(['status', 'cursor', 'limit']).toContain(problem.errors[0]!.path);
    }
    const browser = await h.vendorA.get('/vendor/returns?status=bogus', 'text/html');
    expect(browser.status).toBe(422);
    expect(await browser.text()).toContain('One of open, approved, declined, all.');
  });

  it('another vendor sees none of them, whatever the tab or cursor; their own empty tabs say so', async () => {
    const h = await history();
    const mine = [h.approved, h.declined, h.approved2, h.byOperator, h.open, h.open2];
    for (const status of ['open', 'approved', 'declined', 'all']) {
      const theirs = await listing(h.vendorB, `?status=${status}`);
      expect(theirs.returns.every((r) => r.storeId === h.b.storeId)).toBe(true);
      expect(theirs.returns.map((r) => r.id)).toEqual(
        status === 'declined' || status === 'all' ? [h.ofB] : [],
      );
      const html = await page(h.vendorB, `?status=${status}`);
      for (const id of mine) expect(html).not.toContain(id);
      // A's cursors lead B nowhere but B's own rows.
      const { next_cursor } = await listing(h.vendorA, `?status=${status}&limit=1`);
      if (next_cursor) {
        const followed = await listing(h.vendorB, `?status=${status}&cursor=${next_cursor}`);
        expect(followed.returns.every((r) => r.storeId === h.b.storeId)).toBe(true);
      }
    }
    expect(await page(h.vendorB, '?status=approved')).toContain('No approved returns.');
    expect(await page(h.vendorB, '?status=open')).toContain('No open return requests.');
    expect(await page(h.vendorB, '?status=declined')).not.toContain('No declined returns.');
    // Nor can they decide A's open one.
    expect((await h.vendorB.post(`/vendor/returns/${h.open}/decline`, { reason: 'x' })).status).toBe(404);
  });
});
