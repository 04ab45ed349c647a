// Browser flow (issue 9): a guest buys with their e-mail, finds the receipt in the dev mail catcher
// (/__mail), follows its order link in a fresh browser (no cookies) and sees the order; then signs in by
// e-mail (the link comes through /__mail too) and finds the order under /account.
import {
  PAID,
  addToCart,
  check,
  checkoutAndPay,
  linkIn,
  openMail,
  productLinks,
  reloadUntil,
  tag,
} from './helpers.mjs';

export const name = 'account';

/** @param {import('./run.mjs').FlowContext} ctx */
export async function setup(ctx) {
  const buyer = await ctx.browser.newContext({ baseURL: ctx.baseUrl });
  ctx.state.account = { buyer, page: await buyer.newPage(), email: `guest-${tag()}@example.test` };
}

/** @type {import('./run.mjs').Test[]} */
export const tests = [
  {
    name: 'a guest buys with their e-mail and the receipt arrives in /__mail',
    async run(ctx) {
      const { page, email } = ctx.state.account;
      let added = null;
      for (const link of await productLinks(page, ctx.baseUrl)) {
        await page.goto(link);
        added = await addToCart(page);
        if (added) break;
      }
      check(added, 'no product could be added to a cart');
      await page.goto('/cart');
      await page.getByLabel(/e-mail for your receipt/i).fill(email);
      const orderId = await checkoutAndPay(page, (n) => ctx.shot(page, `guest ${n}`));
      await reloadUntil(page, PAID, { what: 'the guest order never said "paid"' });
      const text = await openMail(page, email, /order/i);
      await ctx.shot(page, 'receipt in the mail catcher');
      check(text.includes(/** @type {string} */ (added)), `the receipt does not list ${added}`);
      Object.assign(ctx.state.account, { orderId, added, orderLink: linkIn(text, `/orders/${orderId}`) });
    },
  },
  {
    name: "the receipt's order link opens the order in a fresh browser without cookies",
    async run(ctx) {
      const { orderLink, orderId, added } = ctx.state.account;
      check(orderLink.startsWith(`${ctx.baseUrl}/orders/${orderId}`), `the order link is ${orderLink}`);
      const fresh = await ctx.browser.newContext();
      try {
        const page = await fresh.newPage();
        await page.goto(orderLink);
        const text = await reloadUntil(page, PAID, { what: 'the order link did not show a paid order' });
        check(text.includes(added), `the order page from the link does not list ${added}`);
        await ctx.shot(page, 'order opened from the receipt link');
        // The same order without the signed link is not there for a stranger.
        const bare = await page.goto(`${ctx.baseUrl}/orders/${orderId}`);
        check(bare?.status() === 404, `the bare order URL answered ${bare?.status()} to a stranger`);
      } finally {
        await fresh.close();
      }
    },
  },
  {
    name: 'signs in by e-mail and sees the order under /account',
    async run(ctx) {
      const { email, orderId } = ctx.state.account;
      const fresh = await ctx.browser.newContext({ baseURL: ctx.baseUrl });
      try {
        const page = await fresh.newPage();
        await page.goto('/account/login');
        await page.getByLabel(/e-mail/i).fill(email);
        await page.getByRole('button', { name: /sign-in link/i }).click();
        await page.waitForURL(/\/account\/login\?sent=1/);
        await ctx.shot(page, 'sign-in link sent');
        const text = await openMail(page, email, /sign-in link/i);
        await page.goto(linkIn(text, '/account/login/'));
        await page.getByRole('button', { name: /^sign in$/i }).click();
        await page.waitForURL(/\/account$/);
        await page.locator(`[data-order-id="${orderId}"]`).waitFor({ timeout: 15_000 });
        await ctx.shot(page, 'account lists the order');
      } finally {
        await fresh.close();
      }
    },
  },
];

/** @param {import('./run.mjs').FlowContext} ctx */
export async function teardown(ctx) {
  await ctx.state.account?.buyer.close();
}
