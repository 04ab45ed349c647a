// Small request helpers shared by routes: content negotiation and JSON body parsing with clear errors.
import type { Context } from 'hono';
import { BadRequestError, PayloadTooLargeError, UnsupportedMediaTypeError } from './errors';

/** Bodies larger than this are refused with 413 (carts, forms, admin actions). */
export const MAX_BODY_BYTES = 16 * 1024;

/** True when the client prefers an HTML page (a browser navigating or posting a form). */
export function wantsHtml(c: Context): boolean {
  const accept = c.req.header('accept') ?? '';
  return accept.includes('text/html');
}

/** True for form submissions (the no-JS pages). */
export function isForm(c: Context): boolean {
  const type = c.req.header('content-type') ?? '';
  return type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data');
}

/**
 * Reads a JSON body: 415 unless it is JSON, 413 over `limit` bytes (counted on the bytes, not the
 * Content-Length the client claims), 400 if it does not parse.
 */
export async function readJson(c: Context, limit = MAX_BODY_BYTES): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/([a-z.+-]*\+)?json\b/i.test(type)) {
    throw new UnsupportedMediaTypeError('Send the body as application/json.');
  }
  const declared = Number(c.req.header('content-length') ?? '0');
  if (declared > limit) throw new PayloadTooLargeError(`The body is over ${limit} bytes.`);
  const buf = await c.req.arrayBuffer();
  if (buf.byteLength > limit) throw new PayloadTooLargeError(`The body is over ${limit} bytes.`);
  try {
    return JSON.parse(new TextDecoder().decode(buf));
  } catch {
    throw new BadRequestError('The body is not valid JSON.');
  }
}
