// Page helpers for the browser flows: find things the way a person does (roles, labels, visible text),
// fill forms, pay on the emulator's checkout page, and wait for server-side effects to show.

/** Test card numbers of the emulator (and Stripe test mode). */
const CARDS = { ok: '4242 4242 4242 4242', declined: '4000 0000 0000 0002' };

/** A short random tag so names made by one run never collide with an earlier run's. */
export const tag = () => Math.random().toString(36).slice(2, 7);

/**
 * Fails with `message` unless `cond` holds.
 * @param {unknown} cond
 * @param {string} message
 */
export function check(cond, message) {
  if (!cond) throw new Error(message);
}

/**
 * Fills the field labelled `label` when the page has one and it is editable; returns whether it did.
 * @param {import('playwright-core').Page} page
 * @param {RegExp} label
 * @param {string} value
 * @param {{ onlyIfEmpty?: boolean }} [opts]
 */
export async function fillIfPresent(page, label, value, opts = {}) {
  const field = page.getByLabel(label).first();
  if (!(await field.count()) || !(await field.isVisible()) || !(await field.isEditable())) return false;
  const tagName = await field.evaluate((el) => el.tagName.toLowerCase());
  if (tagName === 'select') return false;
  if (opts.onlyIfEmpty && (await field.inputValue())) return false;
  await field.fill(value);
  return true;
}

/**
 * Clicks the first visible button (or link, when `links`) whose accessible name matches one of `names`.
 * @param {import('playwright-core').Page | import('playwright-core').Locator} scope
 * @param {RegExp[]} names
 * @param {{ links?: boolean }} [opts]
 * @returns {Promise<string>} the name that matched
 */
export async function clickNamed(scope, names, opts = {}) {
  for (const name of names) {
    for (const role of opts.links ? ['button', 'link'] : ['button']) {
      const el = scope.getByRole(/** @type {'button' | 'link'} */ (role), { name }).first();
      if ((await el.count()) && (await el.isVisible())) {
        await el.click();
        return String(name);
      }
    }
  }
  throw new Error(`no button${opts.links ? ' or link' : ''} named ${names.map(String).join(' / ')}`);
}

/**
 * Reloads `page` until its main text matches `pattern` (server-side effects such as webhooks and queue
 * consumers land asynchronously), or fails after `timeoutMs` saying what the page showed.
 * @param {import('playwright-core').Page} page
 * @param {RegExp} pattern
 * @param {{ timeoutMs?: number, what?: string }} [opts]
 */
export async function reloadUntil(page, pattern, opts = {}) {
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  let text = '';
  for (;;) {
    text =
      (await page
        .locator('main')
        .first()
        .innerText()
        .catch(() => '')) || (await page.locator('body').innerText());
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) break;
    await page.waitForTimeout(1_000);
    await page.reload();
  }
  throw new Error(
    `${opts.what ?? `page never showed ${pattern}`}; it shows: ${text.replace(/\s+/g, ' ').slice(0, 300)}`,
  );
}

/**
 * Reloads `page` until the locator made by `find` matches something visible, or fails with `what`.
 * @param {import('playwright-core').Page} page
 * @param {(page: import('playwright-core').Page) => import('playwright-core').Locator} find
 * @param {{ timeoutMs?: number, what: string }} opts
 */
export async function reloadUntilVisible(page, find, opts) {
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  for (;;) {
    const el = find(page).first();
    if ((await el.count()) && (await el.isVisible())) return el;
    if (Date.now() > deadline) throw new Error(opts.what);
    await page.waitForTimeout(1_000);
    await page.reload();
  }
}

/**
 * Table rows with data cells (not header rows) whose text matches `text`.
 * @param {import('playwright-core').Page} page
 * @param {string | RegExp} text
 */
export const dataRows = (page, text) =>
  page
    .getByRole('row')
    .filter({ has: page.getByRole('cell') })
    .filter({ hasText: text });

/** Matches "paid" as a word but not "unpaid". */
export const PAID = /(^|[^a-z])paid\b/i;

/**
 * Product page URLs reachable from the home page: featured products, then the makers' shops.
 * @param {import('playwright-core').Page} page
 * @param {string} baseUrl
 */
export async function productLinks(page, baseUrl) {
  await page.goto(new URL('/', baseUrl).href);
  const hrefs = async () =>
    page.$$eval('a[href^="/products/"]', (as) =>
      as.map((a) => /** @type {HTMLAnchorElement} */ (a).getAttribute('href')),
    );
  const found = new Set(await hrefs());
  const shops = await page.$$eval('a[href^="/shops/"]', (as) => as.map((a) => a.getAttribute('href')));
  for (const shop of [...new Set(shops)].slice(0, 6)) {
    await page.goto(new URL(shop, baseUrl).href);
    for (const h of await hrefs()) found.add(h);
  }
  return [...found].filter(Boolean).map((h) => new URL(h, baseUrl).href);
}

/**
 * On a product page: clicks "Add to cart" and waits until the store confirms. Returns the product's name,
 * or null when the page offers no way to buy it (sold out, shop closed).
 * @param {import('playwright-core').Page} page
 */
export async function addToCart(page) {
  const button = page.getByRole('button', { name: /add to cart/i }).first();
  if (!(await button.count()) || !(await button.isEnabled())) return null;
  const name = (await page.getByRole('heading', { level: 1 }).first().innerText()).trim();
  const before = page.url();
  await button.click();
  // Without JS the form redirects back with ?added=1; with JS the page says so in a status region.
  await Promise.race([
    page.waitForURL((u) => u.href !== before && /added/.test(u.href), { timeout: 15_000 }),
    page.getByRole('status').filter({ hasText: /added/i }).first().waitFor({ timeout: 15_000 }),
  ]);
  return name;
}

/**
 * From the cart page: "Checkout", then pays on the emulator's hosted page with `card`, and lands on the
 * order page. Returns the order id from its URL.
 * @param {import('playwright-core').Page} page
 * @param {(name: string) => Promise<void>} shot
 * @param {string} [card]
 */
export async function checkoutAndPay(page, shot, card = CARDS.ok) {
  await clickNamed(page, [/^check ?out$/i, /checkout/i, /check out/i]);
  await page.waitForURL(/\/__stripe\//, { timeout: 30_000 });
  await page.getByLabel(/card number/i).waitFor();
  await fillIfPresent(page, /^email/i, 'shopper@example.test', { onlyIfEmpty: true });
  await fillIfPresent(page, /card number/i, card);
  await fillIfPresent(page, /expir/i, '12 / 34');
  await fillIfPresent(page, /cvc/i, '123');
  await fillIfPresent(page, /name on card/i, 'E2E Shopper');
  await fillIfPresent(page, /full name/i, 'E2E Shopper', { onlyIfEmpty: true });
  await fillIfPresent(page, /^address/i, '1 Harbour Road', { onlyIfEmpty: true });
  await fillIfPresent(page, /city/i, 'Portland', { onlyIfEmpty: true });
  await fillIfPresent(page, /postal/i, '97201', { onlyIfEmpty: true });
  await fillIfPresent(page, /state/i, 'OR', { onlyIfEmpty: true });
  await shot('emulator checkout page, card filled');
  await clickNamed(page, [/^pay\b/i, /subscribe/i]);
  await page.waitForURL(/\/orders\/[^/?#]+/, { timeout: 30_000 });
  const id = /\/orders\/([^/?#]+)/.exec(page.url())?.[1];
  check(id, `no order id in ${page.url()}`);
  return /** @type {string} */ (id);
}

/**
 * Opens the newest caught message to `to` whose subject matches `subject`, waiting for the queue
 * consumer to deliver it, and returns its text part.
 * @param {import('playwright-core').Page} page
 * @param {string} to
 * @param {RegExp} subject
 */
export async function openMail(page, to, subject) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    await page.goto(`/__mail?to=${encodeURIComponent(to)}`);
    const link = page.getByRole('link', { name: subject }).first();
    if (await link.count()) {
      await link.click();
      await page.waitForURL(/\/__mail\/\d+$/);
      return page.locator('pre.payload').first().innerText();
    }
    check(Date.now() < deadline, `no mail to ${to} matching ${subject} reached /__mail`);
    await page.waitForTimeout(500);
  }
}

/** The first absolute link in `text` whose path starts with `prefix`. */
export function linkIn(text, prefix) {
  const match = new RegExp(`https?://[^\\s/]+${prefix}[^\\s]*`).exec(text);
  check(match, `no ${prefix} link in the message`);
  return /** @type {RegExpExecArray} */ (match)[0];
}
