// Random one-time tokens for links (sign-in): 256 bits, URL-safe; only their SHA-256 is ever stored.

/** A new token: 32 random bytes as 43 base64url characters. */
export function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/** True when `token` is shaped like one of ours (saves a query for junk). */
export function looksLikeToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}
