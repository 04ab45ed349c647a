// `npm run dev`'s demo-vendor step: asks the running storefront (POST /admin/api/demo/vendors, admin
// token) to give each seeded demo store a connected account in the local Stripe emulator, onboarding
// completed. Idempotent. Run by scripts/dev.mjs with BASE_URL and ADMIN_TOKEN in the environment;
// by hand: BASE_URL=http://localhost:8787 ADMIN_TOKEN=... node scripts/seed-demo-vendors.mjs
const base = process.env.BASE_URL || process.env.STOREFRONT_URL || 'http://localhost:8787';
const token = process.env.ADMIN_TOKEN || '';

if (!token) {
  console.error('[demo-vendors] ADMIN_TOKEN is not set (see .dev.vars).');
  process.exit(1);
}

const url = new URL('/admin/api/demo/vendors', base);
let res;
try {
  res = await fetch(url, {
    method: 'POST',
    // JSON with a body: the app's CSRF guard refuses form-like (and body-less) posts without an Origin.
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json',
    },
    body: '{}',
    signal: AbortSignal.timeout(60_000),
  });
} catch (err) {
  console.error(`[demo-vendors] ${url} is not answering: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
}
const text = await res.text();
if (!res.ok) {
  console.error(`[demo-vendors] POST ${url.pathname} → ${res.status}: ${text.slice(0, 500)}`);
  process.exit(1);
}
/** @type {{ vendors: { slug: string, accountId: string, action: string }[] }} */
const body = JSON.parse(text);
for (const v of body.vendors) console.log(`[demo-vendors] ${v.slug}: ${v.accountId} (${v.action})`);
if (body.vendors.length === 0) console.log('[demo-vendors] no demo stores (st_demo_...) in the database.');
