// The optional demo-vendor step: makes the seeded vendors real (emulator) connected accounts once the
// storefront answers, through scripts/seed-demo-vendors.mjs or POST /admin/api/demo/vendors.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './wrangler.mjs';

const DEMO_VENDOR_SCRIPT = 'scripts/seed-demo-vendors.mjs';
const DEMO_VENDOR_ROUTE = '/admin/api/demo/vendors';

/**
 * Runs the demo-vendor step if the project has one. It must be idempotent: it runs on every start.
 * The script gets BASE_URL / STOREFRONT_URL / ADMIN_TOKEN / PERSIST_TO in its environment; the route
 * gets the admin token as a Bearer token. A missing step is not an error.
 * @param {{ baseUrl: string, adminToken: string, persistTo?: string, log?: (msg: string) => void }} opts
 * @returns {Promise<{ status: 'done' | 'absent' | 'failed', detail: string }>}
 */
export async function runDemoVendorStep({ baseUrl, adminToken, persistTo, log = () => {} }) {
  const script = path.join(ROOT, DEMO_VENDOR_SCRIPT);
  if (existsSync(script)) {
    log(`running ${DEMO_VENDOR_SCRIPT}`);
    const code = await new Promise((resolve) => {
      const child = spawn(process.execPath, [script], {
        cwd: ROOT,
        stdio: ['ignore', 'inherit', 'inherit'],
        env: {
          ...process.env,
          BASE_URL: baseUrl,
          STOREFRONT_URL: baseUrl,
          ADMIN_TOKEN: adminToken,
          ...(persistTo ? { PERSIST_TO: persistTo } : {}),
        },
      });
      child.on('error', () => resolve(-1));
      child.on('close', (c) => resolve(c ?? -1));
    });
    return code === 0
      ? { status: 'done', detail: DEMO_VENDOR_SCRIPT }
      : { status: 'failed', detail: `${DEMO_VENDOR_SCRIPT} exited ${code}` };
  }
  try {
    const res = await fetch(new URL(DEMO_VENDOR_ROUTE, baseUrl), {
      method: 'POST',
      // JSON, so the app's cross-site form guard (which checks form posts) lets the token decide.
      headers: {
        authorization: `Bearer ${adminToken}`,
        accept: 'application/json',
        'content-type': 'application/json',
      },
      body: '{}',
      signal: AbortSignal.timeout(60_000),
    });
    if (res.status === 404 || res.status === 405)
      return { status: 'absent', detail: 'no demo-vendor step yet' };
    const text = await res.text();
    if (!res.ok)
      return { status: 'failed', detail: `POST ${DEMO_VENDOR_ROUTE} → ${res.status} ${text.slice(0, 300)}` };
    return { status: 'done', detail: `POST ${DEMO_VENDOR_ROUTE} → ${res.status}` };
  } catch (err) {
    return {
      status: 'failed',
      detail: `POST ${DEMO_VENDOR_ROUTE}: ${err instanceof Error ? err.message : err}`,
    };
  }
}
