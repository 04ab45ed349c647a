// hono's signed cookies, built the way its setSignedCookie writes them, for tests that act as a
// visitor holding one (a cart, a vendor session).
/** `name=value.base64(HMAC-SHA256(secret, value))`, URL-encoded. */
export async function signedCookie(name: string, value: string, secret: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(value)));
  return `${name}=${encodeURIComponent(`${value}.${btoa(String.fromCharCode(...mac))}`)}`;
}
