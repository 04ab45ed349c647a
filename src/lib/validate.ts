// zod validation with one error shape: 422 problem+json listing each bad field.
import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import type { z } from 'zod';
import { ValidationError } from './errors';

/** The problem `errors` list for a zod error: `[{ path: 'qty', message: '...' }]`. */
export function issuesOf(error: z.ZodError) {
  return error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

/** Parses `data` or throws a 422 ValidationError that names each bad field. */
export function parse<T extends z.ZodType>(schema: T, data: unknown): z.infer<T> {
  const result = schema.safeParse(data);
  if (!result.success) {
    const errors = issuesOf(result.error);
    const first = errors[0];
    throw new ValidationError(first ? `${first.path || 'body'}: ${first.message}` : 'Invalid input.', {
      errors,
    });
  }
  return result.data;
}

/** `zValidator` whose failures become our 422 problem+json. */
export function validate<T extends z.ZodType, Target extends keyof ValidationTargets>(
  target: Target,
  schema: T,
) {
  return zValidator(target, schema, (result) => {
    if (!result.success) parse(schema, (result as { data: unknown }).data);
  });
}
