// Browser flow (issue 11): a shopper buys from two demo vendors; vendor A (signed in through the mail
// catcher) ships part of its part with a tracking link from the dashboard; the shopper sees the shipment
// and its tracking link on the order page and cancels vendor B's unshipped part (the form asks first);
// the admin order page shows vendor B's transfer reversed (or reduced, when it had not been sent yet).
import {
  PAID,
  addToCart,
  check,
  checkoutAndPay,
  linkIn,
  openMail,
  reloadUntil,
  reloadUntilVisible,
  tag,
} from './helpers.mjs';

export const name = 'fulfilment';

const A = {
  id: 'st_demo_lantern',
  email: 'hello@lantern.example',
  product: '/products/lantern-paper/dot-grid-notebook',
};
const B = {
  id: 'st_demo_fernthread',
  name: 'Fern & Thread',
  product: '/products/fern-and-thread/linen-market-tote',
};

/** @param {import('./run.mjs').FlowContext} ctx */
export async function setup(ctx) {
  const [vendor, shopper, admin] = await Promise.all(
    [0, 1, 2].map(() => ctx.browser.newContext({ baseURL: ctx.baseUrl })),
  );
  ctx.state.fulfil = {
    contexts: [vendor, shopper, admin],
    vendorPage: await vendor.newPage(),
    shopperPage: await shopper.newPage(),
    adminPage: await admin.newPage(),
    tracking: `RM-${tag().toUpperCase()}`,
  };
}

/** @type {import('./run.mjs').Test[]} */
export const tests = [
  {
    name: 'a shopper buys two notebooks from one vendor and a tote from another',
    async run(ctx) {
      const f = ctx.state.fulfil;
      const page = f.shopperPage;
      await page.goto(A.product);
      await page
        .getByLabel(/quantity/i)
        .first()
        .fill('2');
      check(await addToCart(page), 'the notebooks cannot be added to a cart');
      await page.goto(B.product);
      check(await addToCart(page), 'the tote cannot be added to a cart');
      await page.goto('/cart');
      f.orderId = await checkoutAndPay(page, (n) => ctx.shot(page, n));
      await reloadUntil(page, PAID, { what: 'the two-vendor order never said "paid"' });
      await ctx.shot(page, 'two-vendor order paid');
    },
  },
  {
    name: 'vendor A ships one of the two notebooks with a tracking link from the dashboard',
    async run(ctx) {
      const f = ctx.state.fulfil;
      const page = f.vendorPage;
      await page.goto('/vendor/login');
      await page.getByLabel(/e-mail/i).fill(A.email);
      await page.getByRole('button', { name: /sign-in link/i }).click();
      await page.waitForURL(/\/vendor\/login\?sent=1/);
      const text = await openMail(page, A.email, /sign in to/i);
      await page.goto(linkIn(text, '/vendor/login/'));
      await page.getByRole('button', { name: /^sign in$/i }).click();
      await page.waitForURL((u) => u.pathname === '/vendor');
      await page
        .getByRole('link', { name: /orders to fulfil/i })
        .first()
        .click();
      const part = page.locator(`section.fulfil-part[data-order-id="${f.orderId}"]`);
      await part.waitFor({ timeout: 15_000 });
      await part
        .getByLabel(/units of .* in this parcel/i)
        .first()
        .fill('1');
      await part.getByLabel(/carrier/i).fill('Royal Mail');
      await part.getByLabel(/tracking number/i).fill(f.tracking);
      await part.getByLabel(/tracking link/i).fill(`https://tracking.example/${f.tracking}`);
      await ctx.shot(page, 'shipment form filled');
      await part.getByRole('button', { name: /record shipment/i }).click();
      await page
        .getByRole('status')
        .filter({ hasText: /shipment recorded/i })
        .waitFor({ timeout: 15_000 });
      // One notebook still to ship: the part stays on the list, partly shipped.
      const after = page.locator(`section.fulfil-part[data-order-id="${f.orderId}"]`);
      check(
        (await after.getAttribute('data-part-status')) === 'partially_shipped',
        'the part is not shown as partly shipped after shipping one of two',
      );
      await ctx.shot(page, 'vendor dashboard after the shipment');
    },
  },
  {
    name: "the shopper sees the shipment and its tracking link, then cancels vendor B's unshipped part",
    async run(ctx) {
      const f = ctx.state.fulfil;
      const page = f.shopperPage;
      await page.goto(`/orders/${f.orderId}`);
      const partA = page.locator(`article.order-part[data-store-id="${A.id}"]`);
      await partA.getByText(/partly shipped/i).waitFor();
      const link = partA.getByRole('link', { name: f.tracking });
      check(
        (await link.getAttribute('href')) === `https://tracking.example/${f.tracking}`,
        'the tracking link does not lead to the tracking URL the vendor gave',
      );
      check(!(await partA.getByText(/cancel this vendor/i).count()), 'a shipped part still offers cancel');
      const partB = page.locator(`article.order-part[data-store-id="${B.id}"]`);
      await partB.getByText(/cancel this vendor's items/i).click();
      await partB.getByLabel(/reason/i).fill('Ordered the wrong colour');
      await ctx.shot(page, 'cancel asks first');
      await partB
        .getByRole('button', { name: new RegExp(`yes, cancel the items from ${B.name}`, 'i') })
        .click();
      await page.waitForURL(/notice=part-cancelled/);
      await page
        .getByRole('status')
        .filter({ hasText: /cancelled/i })
        .first()
        .waitFor();
      check(
        (await page
          .locator(`article.order-part[data-store-id="${B.id}"]`)
          .getAttribute('data-part-status')) === 'cancelled',
        "vendor B's part is not shown cancelled",
      );
      await ctx.shot(page, 'order after cancelling vendor B');
    },
  },
  {
    name: "the admin order page shows vendor B's transfer reversed or reduced",
    async run(ctx) {
      const f = ctx.state.fulfil;
      const page = f.adminPage;
      await page.goto('/admin');
      await page.getByLabel(/token/i).first().fill(ctx.adminToken);
      await page.getByRole('button', { name: /sign in/i }).click();
      await page.waitForLoadState();
      await page.goto(`/admin/orders/${f.orderId}`);
      const payoutOfB = (p) =>
        p.locator(`article.admin-part[data-store-id="${B.id}"]`).getByText(/payout: .*(reversed|reduced)/i);
      await reloadUntilVisible(page, payoutOfB, {
        timeoutMs: 45_000,
        what: "vendor B's transfer was never shown reversed or reduced",
      });
      const partA = page.locator(`article.admin-part[data-store-id="${A.id}"]`);
      check(await partA.getByText(f.tracking).count(), "the admin does not show vendor A's tracking number");
      check(
        !(await partA.getByText(/payout: .*(reversed|reduced)/i).count()),
        "vendor A's transfer was touched by vendor B's cancel",
      );
      await ctx.shot(page, 'admin order with vendor B reversed');
    },
  },
];

/** @param {import('./run.mjs').FlowContext} ctx */
export async function teardown(ctx) {
  await Promise.all((ctx.state.fulfil?.contexts ?? []).map((c) => c.close()));
}
