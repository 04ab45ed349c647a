// Reads what the app "sent" from the dev mail catcher's JSON (`/__mail/api/messages`), waiting for the
// NOTIFY queue consumer to get to it.
import { SELF } from 'cloudflare:test';

export interface CaughtMail {
  id: number;
  messageId: string | null;
  kind: string | null;
  from: string;
  to: string;
  replyTo: string | null;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  createdAt: number;
}

/** The catcher's messages to `to`, newest first. */
export async function caughtMail(to?: string): Promise<CaughtMail[]> {
  const res = await SELF.fetch(
    `http://localhost/__mail/api/messages${to ? `?to=${encodeURIComponent(to)}` : ''}`,
  );
  if (res.status !== 200) throw new Error(`/__mail/api/messages answered ${res.status}`);
  return (await res.json<{ messages: CaughtMail[] }>()).messages;
}

/** Waits (up to `timeoutMs`) for `count` messages to `to` matching `kind`; newest first. */
export async function waitForMail(
  to: string,
  { kind, count = 1, timeoutMs = 15_000 }: { kind?: string; count?: number; timeoutMs?: number } = {},
): Promise<CaughtMail[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await caughtMail(to)).filter((m) => !kind || m.kind === kind);
    if (found.length >= count) return found;
    if (Date.now() > deadline) throw new Error(`no ${kind ?? ''} mail to ${to} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The first absolute link in a text part whose path starts with `pathPrefix`. */
export function linkIn(text: string, pathPrefix: string): URL {
  const match = new RegExp(`https?://[^\\s/]+${pathPrefix.replace(/[/.]/g, '\\$&')}[^\\s]*`).exec(text);
  if (!match) throw new Error(`no ${pathPrefix} link in the message`);
  return new URL(match[0]);
}
