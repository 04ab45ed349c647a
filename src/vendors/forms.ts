// Reading a body that may be an HTML form (the no-JS pages) or JSON (the API), with the same limits.
import type { Context } from 'hono';
import type { z } from 'zod';
import { PayloadTooLargeError, UnsupportedMediaTypeError } from '../lib/errors';
import { isForm, MAX_BODY_BYTES, readJson } from '../lib/http';
import { issuesOf } from '../lib/validate';

/** The body as a plain object: form fields (strings) or a JSON object. 413 over the limit, 415 otherwise. */
export async function readInput(c: Context, limit = MAX_BODY_BYTES): Promise<Record<string, unknown>> {
  if (isForm(c)) {
    const declared = Number(c.req.header('content-length') ?? '0');
    if (declared > limit) throw new PayloadTooLargeError(`The body is over ${limit} bytes.`);
    const raw = await c.req.raw.clone().arrayBuffer();
    if (raw.byteLength > limit) throw new PayloadTooLargeError(`The body is over ${limit} bytes.`);
    const body = await c.req.parseBody();
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(body)) out[k] = typeof v === 'string' ? v : '';
    return out;
  }
  const type = c.req.header('content-type') ?? '';
  if (!type && Number(c.req.header('content-length') ?? '0') === 0) return {};
  if (!/json/i.test(type)) throw new UnsupportedMediaTypeError('Send a form or application/json.');
  const json = await readJson(c, limit);
  return json && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
}

/** Parses `data` with `schema`: the value, or the field errors to show beside the form. */
export function check<T extends z.ZodType>(
  schema: T,
  data: unknown,
): { ok: true; value: z.infer<T> } | { ok: false; errors: { path: string; message: string }[] } {
  const result = schema.safeParse(data);
  return result.success ? { ok: true, value: result.data } : { ok: false, errors: issuesOf(result.error) };
}

/** Form values echoed back into a re-rendered form (strings only). */
export function echo(data: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(data))
    if (typeof v === 'string' || typeof v === 'number') out[k] = String(v);
  return out;
}
