// Browser flow (issue 5): a vendor onboards through the emulator's Connect page and adds a product; a shopper
// buys it; the operator sees the vendor's transfer sent, refunds the order and sees the reversal.
import {
  PAID,
  addToCart,
  check,
  checkoutAndPay,
  clickNamed,
  dataRows,
  fillIfPresent,
  reloadUntil,
  reloadUntilVisible,
  tag,
} from './helpers.mjs';

export const name = 'marketplace';

/** @param {import('./run.mjs').FlowContext} ctx */
export async function setup(ctx) {
  const id = tag();
  const [vendor, shopper, admin] = await Promise.all(
    [0, 1, 2].map(() => ctx.browser.newContext({ baseURL: ctx.baseUrl })),
  );
  ctx.state.market = {
    contexts: [vendor, shopper, admin],
    vendorPage: await vendor.newPage(),
    shopperPage: await shopper.newPage(),
    adminPage: await admin.newPage(),
    storeName: `E2E Pottery ${id}`,
    email: `vendor-${id}@example.test`,
    productName: `E2E Teapot ${id}`,
  };
}

/** @type {import('./run.mjs').Test[]} */
export const tests = [
  {
    name: 'a vendor onboards: /sell → emulator onboarding → dashboard',
    async run(ctx) {
      const m = ctx.state.market;
      const page = m.vendorPage;
      await page.goto('/sell');
      await fillIfPresent(page, /(store|shop|business) name/i, m.storeName);
      await fillIfPresent(page, /e-?mail/i, m.email);
      await ctx.shot(page, 'sell page');
      await clickNamed(page.locator('main'), [
        /connect/i,
        /start selling/i,
        /get started/i,
        /open (a|my|your) shop/i,
        /sell/i,
        /continue/i,
      ]);
      await page.waitForURL(/\/__stripe\//, { timeout: 30_000 });
      await fillIfPresent(page, /business name/i, m.storeName);
      await fillIfPresent(page, /e-?mail/i, m.email);
      await ctx.shot(page, 'emulator onboarding page');
      await clickNamed(page, [/agree and submit/i, /submit/i, /continue/i]);
      await page.waitForURL((u) => u.pathname.startsWith('/vendor'), { timeout: 30_000 });
      await page.getByRole('heading').first().waitFor();
      await ctx.shot(page, 'vendor dashboard');
    },
  },
  {
    name: 'the vendor adds a product from the dashboard',
    async run(ctx) {
      const m = ctx.state.market;
      const page = m.vendorPage;
      // The form may sit on the dashboard or behind an "Add product" link.
      if (!(await page.getByLabel(/^(product )?name/i).count())) {
        await clickNamed(page, [/add (a )?(new )?product/i, /new product/i], { links: true });
        await page.getByLabel(/name/i).first().waitFor();
      }
      await fillIfPresent(page, /^(product )?name/i, m.productName);
      await fillIfPresent(page, /description/i, 'A stoneware teapot thrown for the browser test.');
      await fillIfPresent(page, /price/i, '24.00');
      await fillIfPresent(page, /stock/i, '5');
      await ctx.shot(page, 'new product form');
      await clickNamed(page.locator('main'), [/add product/i, /save/i, /create/i, /publish/i, /add/i]);
      await page.waitForLoadState();
      await page.getByText(m.productName).first().waitFor({ timeout: 15_000 });
      const shopLink = page.locator('a[href^="/shops/"]').first();
      m.shopHref = (await shopLink.count()) ? await shopLink.getAttribute('href') : null;
      await ctx.shot(page, 'dashboard lists the product');
    },
  },
  {
    name: 'a shopper buys the new product and the order is paid',
    async run(ctx) {
      const m = ctx.state.market;
      const page = m.shopperPage;
      await page.goto(m.shopHref ?? '/');
      let link = page.getByRole('link', { name: new RegExp(m.productName) }).first();
      if (!(await link.count()) && !m.shopHref) {
        // Not featured on the home page: find the vendor's shop by name.
        await page
          .getByRole('link', { name: new RegExp(m.storeName) })
          .first()
          .click();
        link = page.getByRole('link', { name: new RegExp(m.productName) }).first();
      }
      await link.click();
      await ctx.shot(page, 'new product page');
      check(await addToCart(page), 'the new product cannot be added to a cart');
      await page.goto('/cart');
      m.orderId = await checkoutAndPay(page, (n) => ctx.shot(page, n));
      await reloadUntil(page, PAID, { what: 'the order page never said "paid"' });
      await ctx.shot(page, 'order paid');
    },
  },
  {
    name: 'the admin shows the vendor transfer as sent',
    async run(ctx) {
      const m = ctx.state.market;
      const page = m.adminPage;
      await page.goto('/admin');
      await page.getByLabel(/token/i).first().fill(ctx.adminToken);
      await ctx.shot(page, 'admin sign-in');
      await clickNamed(page, [/sign in/i, /log ?in/i, /continue/i]);
      await page.waitForLoadState();
      check(!(await page.getByLabel(/token/i).count()), 'the admin kept asking for the token');
      const direct = await page.goto(`/admin/orders/${m.orderId}`);
      if (!direct?.ok()) {
        await page.goto('/admin');
        await clickNamed(page, [/^orders$/i, /orders/i], { links: true });
        await page
          .getByRole('link', { name: new RegExp(m.orderId) })
          .first()
          .click();
      }
      await ctx.shot(page, 'admin order');
      // The payout goes through the queue after the webhook: reload until the vendor's transfer row says sent.
      await reloadUntilVisible(page, (p) => dataRows(p, m.storeName).filter({ hasText: /\bsent\b/i }), {
        timeoutMs: 45_000,
        what: `no transfer to ${m.storeName} shown as sent`,
      });
      m.adminOrderUrl = page.url();
      await ctx.shot(page, 'admin order with transfer sent');
    },
  },
  {
    name: 'the operator refunds the order and the transfer reversal shows',
    async run(ctx) {
      const m = ctx.state.market;
      const page = m.adminPage;
      check(
        !(await dataRows(page, /\bre_[A-Za-z0-9]|\breversal\b/i).count()),
        'a reversal row was shown before any refund',
      );
      page.once('dialog', (d) => d.accept());
      await clickNamed(page.locator('main'), [/^refund( in full| order)?$/i, /full refund/i, /refund/i]);
      await page.waitForLoadState();
      // A separate confirmation form (amount prefilled with the full order) takes a second click.
      if (/refund/i.test(new URL(page.url()).pathname) && (await page.getByLabel(/amount/i).count())) {
        await ctx.shot(page, 'refund form');
        page.once('dialog', (d) => d.accept());
        await clickNamed(page.locator('main'), [/refund/i, /confirm/i]);
        await page.waitForLoadState();
      }
      await ctx.shot(page, 'after refund');
      // A reversal row names the refund that caused it (re_…) or says what it is; header rows don't count.
      const reversalRow = /\bre_[A-Za-z0-9]|\breversal\b/i;
      await reloadUntilVisible(page, (p) => dataRows(p, reversalRow), {
        timeoutMs: 45_000,
        what: 'no transfer reversal shown',
      });
      // The reversal also goes through the payouts queue: it must end up sent to Stripe, not stay pending.
      await reloadUntilVisible(
        page,
        (p) => dataRows(p, reversalRow).filter({ hasText: /\b(sent|applied)\b/i }),
        {
          timeoutMs: 45_000,
          what: 'the transfer reversal was shown but never sent',
        },
      );
      await reloadUntil(page, /status:?\s+(partially[ _-]?)?refunded\b/i, {
        timeoutMs: 15_000,
        what: 'the order status is not refunded',
      });
      await ctx.shot(page, 'admin order refunded with reversal');
    },
  },
];

/** @param {import('./run.mjs').FlowContext} ctx */
export async function teardown(ctx) {
  await Promise.all((ctx.state.market?.contexts ?? []).map((c) => c.close()));
}
