// The one way a route reads a request body: a media-type check (415), a size limit (hono/body-limit,
// 413), JSON that parses (400), then zod through @hono/zod-validator (422 problem+json, or the form
// rendered again with its errors for an HTML form). Handlers read the result with `c.req.valid('json')`,
// whatever the body's type was.
import { zValidator } from '@hono/zod-validator';
import type { Context, Env as HonoEnv, MiddlewareHandler, Next, ValidationTargets } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { z } from 'zod';
import { BadRequestError, PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from './errors';
import { isForm } from './http';

/** Bodies larger than this are refused with 413 (carts, forms, admin actions). */
const MAX_BODY_BYTES = 16 * 1024;

/** What a route takes: a JSON body, an HTML form (urlencoded or multipart), or no body at all. */
export type BodyKind = 'json' | 'form' | 'empty';

/** One invalid field, as the problem's `errors` list and the forms show it. */
export interface FieldError {
  path: string;
  message: string;
}

/** Renders the form again with its errors and the values sent (strings only), for a browser's form post. */
type RenderInvalidForm<E extends HonoEnv> = (
  c: Context<E>,
  errors: FieldError[],
  values: Record<string, string>,
) => Response | Promise<Response>;

interface BodyOptions<T extends z.ZodType, E extends HonoEnv> {
  /** The schema for form posts when it differs from the JSON one (form fields are strings). */
  form?: z.ZodType<z.output<T>>;
  /** For form posts: answer with the form again instead of 422 problem+json. */
  invalidForm?: RenderInvalidForm<E>;
  /** The size limit in bytes (default MAX_BODY_BYTES). */
  maxBytes?: number;
}

/**
 * A form or JSON field as text, for `z.preprocess`: missing → '', numbers and booleans as written,
 * anything else (an object, a file) → '' so that validation names the field instead of "[object Object]".
 */
export function fieldText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return '';
}

/** The `errors` list of a zod error: `[{ path: 'qty', message: '...' }]`. */
function issuesOf(
  error: z.ZodError | { issues: readonly { path: readonly PropertyKey[]; message: string }[] },
) {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

/** The 422 for invalid input, naming each bad field. */
export function invalidInput(errors: FieldError[]): ValidationError {
  const first = errors[0];
  return new ValidationError(first ? `${first.path || 'body'}: ${first.message}` : 'Invalid input.', {
    errors,
  });
}

/** Form values echoed back into a re-rendered form (strings and numbers only). */
export function echo(data: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (data && typeof data === 'object')
    for (const [k, v] of Object.entries(data))
      if (typeof v === 'string' || typeof v === 'number') out[k] = String(v);
  return out;
}

const JSON_TYPE = /^application\/([a-z0-9.+-]*\+)?json$/i;

/**
 * `zValidator` for the query string, path parameters or headers, whose failures become our 422
 * problem+json naming each bad field.
 */
export function validate<
  T extends z.ZodType,
  Target extends Exclude<keyof ValidationTargets, 'json' | 'form'>,
>(target: Target, schema: T) {
  return zValidator(target, schema, (result) => {
    if (!result.success) throw invalidInput(issuesOf(result.error));
  });
}

/** The kind of body the request sends: by its Content-Type; none at all counts as empty. */
function kindOf(c: Context): BodyKind | null {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim();
  if (!type) return 'empty';
  if (JSON_TYPE.test(type)) return 'json';
  return isForm(c) ? 'form' : null;
}

function unsupported(accept: readonly BodyKind[]): UnsupportedMediaTypeError {
  if (!accept.includes('form')) return new UnsupportedMediaTypeError('Send the body as application/json.');
  if (!accept.includes('json'))
    return new UnsupportedMediaTypeError('Send the form as application/x-www-form-urlencoded.');
  return new UnsupportedMediaTypeError('Send a form or application/json.');
}

/**
 * Middleware: validates the body against `schema` (JSON, a form, or nothing, as `accept` allows) and
 * hands the parsed value to the handler as `c.req.valid('json')`.
 */
export function body<T extends z.ZodType, E extends HonoEnv = { Bindings: Env }>(
  accept: readonly BodyKind[],
  schema: T,
  options: BodyOptions<T, E> = {},
): MiddlewareHandler<E, string, { in: { json: z.input<T> }; out: { json: z.output<T> } }> {
  const maxBytes = options.maxBytes ?? MAX_BODY_BYTES;
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new PayloadTooLargeError(`The body is over ${maxBytes} bytes.`);
    },
  });
  const hook =
    (kind: BodyKind) =>
    (result: { success: boolean; error?: unknown; data: unknown }, c: Context<HonoEnv>) => {
      if (result.success) return;
      const errors = issuesOf(result.error as z.ZodError);
      // The route's own context type (its Variables) is E; zValidator only knows a generic one.
      const routeContext = c as unknown as Context<E>;
      if (kind === 'form' && options.invalidForm)
        return options.invalidForm(routeContext, errors, echo(result.data));
      throw invalidInput(errors);
    };
  const fromJson = zValidator('json', schema, hook('json'));
  const fromEmpty = zValidator('json', schema, hook('empty'));
  const fromForm = zValidator('form', options.form ?? schema, hook('form'));

  const middleware = async (c: Context<HonoEnv, string>, next: Next): Promise<void> => {
    const kind = kindOf(c);
    if (kind === null || !accept.includes(kind)) throw unsupported(accept);
    await limit(c, async () => {
      if (kind === 'form') {
        const res = await fromForm(c, async () => {
          c.req.addValidatedData('json', c.req.valid('form' as never));
          await next();
        });
        if (res instanceof Response) c.res = res;
        return;
      }
      if (kind === 'json') {
        try {
          await c.req.json();
        } catch {
          throw new BadRequestError('The body is not valid JSON.');
        }
      }
      const res = await (kind === 'json' ? fromJson : fromEmpty)(c, next);
      if (res instanceof Response) c.res = res;
    });
  };
  return middleware as unknown as MiddlewareHandler<
    E,
    string,
    { in: { json: z.input<T> }; out: { json: z.output<T> } }
  >;
}
