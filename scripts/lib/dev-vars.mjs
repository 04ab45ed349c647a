// Local secrets for `npm run dev`: creates .dev.vars from the example, reads it, refuses live Stripe keys.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Keys whose placeholder in .dev.vars.example is replaced by a random value on first run. */
const RANDOM_KEYS = ['COOKIE_SECRET', 'ADMIN_TOKEN'];

/**
 * Parses a dotenv-style file (KEY=value, # comments, optional quotes) into an object.
 * Enough for .dev.vars and wrangler's [vars]-free files; not a full dotenv implementation.
 * @param {string} text
 * @returns {Record<string, string>}
 */
function parseDotenv(text) {
  /** @type {Record<string, string>} */
  const out = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2].trim();
    const quoted = /^(['"])(.*)\1$/.exec(value);
    if (quoted) value = quoted[2];
    else value = value.replace(/\s+#.*$/, '');
    out[m[1]] = value;
  }
  return out;
}

/**
 * Creates `.dev.vars` from `.dev.vars.example` when it is missing, with fresh random values for the
 * cookie secret and the admin token. Returns whether it created the file.
 * @param {string} root project root
 * @returns {{ created: boolean, path: string }}
 */
export function ensureDevVars(root) {
  const file = path.join(root, '.dev.vars');
  if (existsSync(file)) return { created: false, path: file };
  const example = path.join(root, '.dev.vars.example');
  if (!existsSync(example)) throw new Error('.dev.vars.example is missing: cannot create .dev.vars');
  let text = readFileSync(example, 'utf8');
  for (const key of RANDOM_KEYS) {
    const value = randomBytes(24).toString('base64url');
    const line = new RegExp(`^${key}=.*$`, 'm');
    text = line.test(text) ? text.replace(line, `${key}=${value}`) : `${text.trimEnd()}\n${key}=${value}\n`;
  }
  writeFileSync(file, text, { mode: 0o600 });
  return { created: true, path: file };
}

/**
 * Reads `.dev.vars` (empty object when missing).
 * @param {string} root
 * @returns {Record<string, string>}
 */
export function readDevVars(root) {
  const file = path.join(root, '.dev.vars');
  return existsSync(file) ? parseDotenv(readFileSync(file, 'utf8')) : {};
}

/**
 * True for a Stripe key that moves real money: secret (`sk_live_`) or restricted (`rk_live_`).
 * @param {string | undefined} key
 */
export function isLiveStripeKey(key) {
  const k = (key ?? '').trim();
  return k.startsWith('sk_live_') || k.startsWith('rk_live_');
}

/**
 * Reads the plain `KEY = "value"` entries of a wrangler.toml's top-level [vars] table.
 * Enough to learn the emulator's configured values without a TOML dependency.
 * @param {string} file
 * @returns {Record<string, string>}
 */
export function readTomlVars(file) {
  if (!existsSync(file)) return {};
  /** @type {Record<string, string>} */
  const out = {};
  let inVars = false;
  for (const raw of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('[')) {
      inVars = line === '[vars]';
      continue;
    }
    if (!inVars) continue;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"([^"]*)"/.exec(line);
    if (m) out[m[1]] = m[2];
  }
  return out;
}
