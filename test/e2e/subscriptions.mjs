// Browser flow (issue 10): the demo's monthly product bought from the cart (Checkout in subscription mode on
// the emulator's page), the order page's "My subscription", and cancel at period end from there.
import { addToCart, check, checkoutAndPay, clickNamed, reloadUntil, tag } from './helpers.mjs';

export const name = 'subscriptions';

const PRODUCT = '/products/northwind-coffee/roasters-choice-subscription';

/** @param {import('./run.mjs').FlowContext} ctx */
export async function setup(ctx) {
  const context = await ctx.browser.newContext({ baseURL: ctx.baseUrl });
  ctx.state.subs = { context, page: await context.newPage() };
}

/** @type {import('./run.mjs').Test[]} */
export const tests = [
  {
    name: 'subscribes to a monthly product from the cart',
    async run(ctx) {
      const { page } = ctx.state.subs;
      await page.goto(PRODUCT);
      const added = await addToCart(page);
      check(added, 'the subscription product could not be added to the cart');
      await page.goto('/cart');
      await page
        .getByText(/\/ month/)
        .first()
        .waitFor();
      await page
        .getByLabel(/e-mail/i)
        .first()
        .fill(`subscriber-${tag()}@example.test`);
      await ctx.shot(page, 'cart with a subscription');
      const orderId = await checkoutAndPay(page, (n) => ctx.shot(page, `subscription ${n}`));
      ctx.state.subs.orderId = orderId;
      await reloadUntil(page, /My subscription/, { what: 'the order page never linked to the subscription' });
      await ctx.shot(page, 'subscription order paid');
    },
  },
  {
    name: 'sees it on "My subscription" and cancels at period end',
    async run(ctx) {
      const { page } = ctx.state.subs;
      await clickNamed(page, [/my subscription/i], { links: true });
      await page.waitForURL(/\/subscriptions\/sub_/);
      const text = await page.locator('main').innerText();
      check(/Active/.test(text), 'the subscription page does not say Active');
      check(/Next billing/.test(text), 'the subscription page shows no next billing date');
      await ctx.shot(page, 'my subscription');
      await clickNamed(page, [/cancel at period end/i]);
      await page.waitForURL(/\/subscriptions\/sub_/);
      await page
        .getByText(/ends on/i)
        .first()
        .waitFor();
      check(await page.getByRole('button', { name: /resume/i }).count(), 'no Resume button after cancelling');
      await ctx.shot(page, 'cancelled at period end');
    },
  },
];

/** @param {import('./run.mjs').FlowContext} ctx */
export async function teardown(ctx) {
  await ctx.state.subs?.context.close();
}
