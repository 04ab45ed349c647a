// HMAC-SHA256 with keys imported once per isolate, and constant-time comparison. WebCrypto only.

const HMAC = { name: 'HMAC', hash: 'SHA-256' } as const;
/** A few secrets per deployment (cookies, sessions, order links); more than this is a bug, not a cache. */
const MAX_KEYS = 16;
const keys = new Map<string, Promise<CryptoKey>>();

/** The HMAC key for `secret`, imported once; a failed import is not kept, so the next call retries. */
function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', new TextEncoder().encode(secret), HMAC, false, ['sign', 'verify']);
    const imported = key;
    imported.catch(() => {
      if (keys.get(secret) === imported) keys.delete(secret);
    });
    if (keys.size >= MAX_KEYS) keys.clear();
    keys.set(secret, imported);
  }
  return key;
}

/** HMAC-SHA256 of `message` under `secret`, as bytes. */
export async function hmacSha256(secret: string, message: string): Promise<Uint8Array> {
  const mac = await crypto.subtle.sign(HMAC, await hmacKey(secret), new TextEncoder().encode(message));
  return new Uint8Array(mac);
}

/** True when `mac` is the HMAC-SHA256 of `message` under `secret` (WebCrypto compares in constant time). */
export async function verifyHmacSha256(secret: string, message: string, mac: Uint8Array): Promise<boolean> {
  return crypto.subtle.verify(HMAC, await hmacKey(secret), mac, new TextEncoder().encode(message));
}

/** Standard base64 of bytes. */
export function toBase64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

/** URL-safe base64 without padding (tokens in links). */
export function toBase64Url(bytes: Uint8Array): string {
  return toBase64(bytes).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/** Bytes of standard base64; throws on malformed input. */
export function fromBase64(text: string): Uint8Array {
  const bin = atob(text);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

/** Bytes of URL-safe base64 (padding optional); throws on malformed input. */
export function fromBase64Url(text: string): Uint8Array {
  return fromBase64(text.replaceAll('-', '+').replaceAll('_', '/'));
}

/** Constant-time string equality (lengths leak, contents don't): both sides are hashed first. */
export async function timingSafeEqual(a: string, b: string): Promise<boolean> {
  const enc = new TextEncoder();
  const [da, db] = await Promise.all([
    crypto.subtle.digest('SHA-256', enc.encode(a)),
    crypto.subtle.digest('SHA-256', enc.encode(b)),
  ]);
  return crypto.subtle.timingSafeEqual(da, db);
}
