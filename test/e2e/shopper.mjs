// Browser flow (issue 4): two products added in one tab, a quantity changed in a second tab shows up live in
// the first (WebSocket), checkout, 4242 on the emulator's test page, and the order page says "paid"; then
// a second purchase paid on the store's own page through the Payment Element. The site is opened at the
// address `npm run dev` prints (127.0.0.1); a visit on localhost is sent there, and static files carry the
// Worker's security headers.
import { PAID, addToCart, check, checkoutAndPay, clickNamed, productLinks, reloadUntil } from './helpers.mjs';

/** Security headers every response, static files included, must carry (public/_headers). */
const SECURITY_HEADERS = [
  'content-security-policy',
  'x-content-type-options',
  'x-frame-options',
  'referrer-policy',
  'strict-transport-security',
];

export const name = 'shopper';

/** @param {import('./run.mjs').FlowContext} ctx */
export async function setup(ctx) {
  const context = await ctx.browser.newContext({ baseURL: ctx.baseUrl });
  ctx.state.shopper = { context, tabA: await context.newPage() };
}

/** @type {import('./run.mjs').Test[]} */
export const tests = [
  {
    name: 'a page opened on localhost lands on the printed address; static files carry the security headers',
    async run(ctx) {
      const { tabA } = ctx.state.shopper;
      const other = new URL(ctx.baseUrl);
      other.hostname = other.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
      await tabA.goto(new URL('/cart?from=other-host', other).href);
      check(
        tabA.url() === new URL('/cart?from=other-host', ctx.baseUrl).href,
        `opening ${other.origin}/cart ended on ${tabA.url()}, not on ${ctx.baseUrl}`,
      );
      const css = await fetch(new URL('/static/app.css', ctx.baseUrl));
      check(css.ok, `/static/app.css answered ${css.status}`);
      await css.body?.cancel();
      const page = await fetch(new URL('/', ctx.baseUrl), { headers: { accept: 'text/html' } });
      await page.body?.cancel();
      for (const name of SECURITY_HEADERS) {
        check(css.headers.get(name), `/static/app.css has no ${name} header`);
        check(page.headers.get(name), `the home page has no ${name} header`);
      }
      const rules = await fetch(new URL('/_headers', ctx.baseUrl), { headers: { accept: 'text/plain' } });
      await rules.body?.cancel();
      check(rules.status === 404, `public/_headers itself is served (${rules.status})`);
    },
  },
  {
    name: 'adds two products to the cart in one tab',
    async run(ctx) {
      const { tabA } = ctx.state.shopper;
      const links = await productLinks(tabA, ctx.baseUrl);
      await ctx.shot(tabA, 'home');
      check(links.length >= 2, `the store lists ${links.length} product page(s); two are needed`);
      const added = [];
      for (const link of links) {
        await tabA.goto(link);
        const product = await addToCart(tabA);
        if (product) {
          added.push(product);
          await ctx.shot(tabA, `added ${product}`);
        }
        if (added.length === 2) break;
      }
      check(added.length === 2, `only ${added.length} of the listed products could be added to a cart`);
      await tabA.goto('/cart');
      for (const product of added) await tabA.getByText(product, { exact: false }).first().waitFor();
      check((await tabA.getByLabel(/quantity/i).count()) === 2, 'the cart page does not show two lines');
      await ctx.shot(tabA, 'cart with two lines');
      ctx.state.shopper.added = added;
    },
  },
  {
    name: 'a quantity changed in a second tab updates the first tab without a reload',
    async run(ctx) {
      const { context, tabA } = ctx.state.shopper;
      // Marks this document: a reload would lose the mark, so seeing it later proves a live update.
      await tabA.evaluate(() => Object.assign(window, { __e2eSameDocument: true }));
      const qtyA = tabA.getByLabel(/quantity/i).first();
      const tabB = await context.newPage();
      ctx.state.shopper.tabB = tabB;
      await tabB.goto('/cart');
      const qtyB = tabB.getByLabel(/quantity/i).first();
      await qtyB.fill('3');
      await ctx.shot(tabB, 'second tab sets quantity 3');
      await clickNamed(tabB.locator('form', { has: qtyB }), [/update/i, /save/i]);
      await tabB.waitForLoadState();
      await ctx.shot(tabB, 'second tab after update');
      await tabA.waitForFunction(
        () => {
          const input = /** @type {HTMLInputElement | null} */ (document.querySelector('input[name="qty"]'));
          return input?.value === '3';
        },
        undefined,
        { timeout: 15_000 },
      );
      check(
        await tabA.evaluate(() => /** @type {any} */ (window).__e2eSameDocument === true),
        'the first tab reloaded instead of updating live',
      );
      check((await qtyA.inputValue()) === '3', 'the first tab shows another quantity');
      await ctx.shot(tabA, 'first tab updated live');
    },
  },
  {
    name: 'checks out and pays with 4242 on the emulator page',
    async run(ctx) {
      const { tabA } = ctx.state.shopper;
      const orderId = await checkoutAndPay(tabA, (n) => ctx.shot(tabA, n));
      ctx.state.shopper.orderId = orderId;
      await ctx.shot(tabA, 'order page after payment');
    },
  },
  {
    name: 'the order page shows "paid"',
    async run(ctx) {
      const { tabA, added } = ctx.state.shopper;
      const text = await reloadUntil(tabA, PAID, { what: 'the order page never said "paid"' });
      for (const product of added) check(text.includes(product), `the order page does not list ${product}`);
      check(tabA.url().startsWith(`${ctx.baseUrl}/orders/`), `the order page is on ${tabA.url()}`);
      await ctx.shot(tabA, 'order paid');
      // The emulator's receipt link follows the site's address (port included), and opens.
      const receipt = tabA.getByRole('link', { name: /receipt/i }).first();
      const href = (await receipt.count()) ? await receipt.getAttribute('href') : null;
      check(href?.startsWith(`${ctx.baseUrl}/__stripe/receipts/`), `the receipt link is ${href}`);
      const opened = await fetch(/** @type {string} */ (href));
      await opened.body?.cancel();
      check(opened.ok, `the receipt link answered ${opened.status}`);
    },
  },
  {
    name: "pays on the store's own page with the Payment Element (the emulator's Stripe.js stand-in)",
    async run(ctx) {
      const { tabA } = ctx.state.shopper;
      let added = null;
      for (const link of await productLinks(tabA, ctx.baseUrl)) {
        await tabA.goto(link);
        added = await addToCart(tabA);
        if (added) break;
      }
      check(added, 'no product could be added to a cart for the Payment Element payment');
      await tabA.goto('/cart');
      await clickNamed(tabA, [/pay with card on this page/i], { links: true });
      await tabA.waitForURL(/\/pay\b/);
      await tabA.getByLabel(/card number/i).waitFor({ timeout: 30_000 });
      await tabA.getByLabel(/card number/i).fill('4242 4242 4242 4242');
      await ctx.shot(tabA, 'payment element card filled');
      await tabA.locator('#pay-submit').click();
      await tabA.waitForURL(/\/orders\/[^/?#]+/, { timeout: 30_000 });
      const text = await reloadUntil(tabA, PAID, { what: 'the Payment Element order never said "paid"' });
      check(text.includes(added), `the order page does not list ${added}`);
      await ctx.shot(tabA, 'payment element order paid');
    },
  },
];

/** @param {import('./run.mjs').FlowContext} ctx */
export async function teardown(ctx) {
  await ctx.state.shopper?.context.close();
}
