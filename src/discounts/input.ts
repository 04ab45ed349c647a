// What a discount code's create and update bodies may say (zod), for the admin API and the vendor dashboard.
import * as z from 'zod';
import { fieldText } from '../lib/input';
import { MAX_CODE_LENGTH } from './pricing';

/** A code as typed: trimmed and lower-cased (case-insensitive), then letters, digits, '-' and '_'. */
const codeSchema = z
  .string()
  .max(MAX_CODE_LENGTH * 4, `A code has at most ${MAX_CODE_LENGTH} characters.`)
  .transform((s) => s.trim().toLowerCase())
  .pipe(
    z
      .string()
      .min(1, 'Enter a code.')
      .max(MAX_CODE_LENGTH, `A code has at most ${MAX_CODE_LENGTH} characters.`)
      .regex(/^[a-z0-9][a-z0-9_-]*$/, 'A code is letters, digits, - and _ only.'),
  );

const minor = z.number().int().min(0).max(100_000_000);
const seconds = z.number().int().min(0).max(4_102_444_800);
const id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/);

/** The body of a create. Amounts in minor units; times in unix seconds. */
export const discountCreateSchema = z
  .object({
    code: codeSchema,
    percentOff: z.number().int().min(1).max(100).optional(),
    amountOff: z.number().int().min(1).max(100_000_000).optional(),
    fundedBy: z.enum(['platform', 'vendor']).default('vendor'),
    storeId: id.optional(),
    productIds: z.array(id).max(50).optional(),
    minSubtotal: minor.optional(),
    freeShipping: z.boolean().optional(),
    startsAt: seconds.optional(),
    endsAt: seconds.optional(),
    maxRedemptions: z.number().int().min(1).max(1_000_000).optional(),
    oncePerCustomer: z.boolean().optional(),
    active: z.boolean().optional(),
  })
  .strict()
  .refine((b) => !(b.percentOff !== undefined && b.amountOff !== undefined), {
    error: 'Send percentOff or amountOff, not both.',
    path: ['amountOff'],
  })
  .refine((b) => b.percentOff !== undefined || b.amountOff !== undefined || b.freeShipping === true, {
    error: 'Send percentOff (1..100) or amountOff (minor units), or freeShipping.',
    path: ['percentOff'],
  })
  .refine((b) => b.startsAt === undefined || b.endsAt === undefined || b.endsAt > b.startsAt, {
    error: 'endsAt must be after startsAt.',
    path: ['endsAt'],
  });

export type DiscountInput = z.output<typeof discountCreateSchema>;

/** The body of an update: limits, dates, minimum, the active flag (null clears a date or a limit). */
export const discountPatchSchema = z
  .object({
    active: z.boolean().optional(),
    minSubtotal: minor.optional(),
    startsAt: seconds.nullable().optional(),
    endsAt: seconds.nullable().optional(),
    maxRedemptions: z.number().int().min(1).max(1_000_000).nullable().optional(),
    oncePerCustomer: z.boolean().optional(),
  })
  .strict();

export type DiscountPatch = z.output<typeof discountPatchSchema>;

/** The cart's `POST /cart/discount` body. */
export const applyCodeSchema = z.object({ code: codeSchema });

/**
 * The create form's fields as the API's JSON body: blank fields are absent, numbers through Number (so
 * "abc" fails as NaN), checkboxes "on", product ids comma- or space-separated. The API's schema then checks them.
 */
function formToBody(v: unknown): Record<string, unknown> {
  const f = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
  const out: Record<string, unknown> = { code: fieldText(f.code) };
  for (const key of ['percentOff', 'amountOff', 'minSubtotal', 'maxRedemptions']) {
    const t = fieldText(f[key]).trim();
    if (t !== '') out[key] = Number(t);
  }
  for (const key of ['fundedBy', 'storeId']) {
    const t = fieldText(f[key]).trim();
    if (t !== '') out[key] = t;
  }
  const ids = fieldText(f.productIds)
    .split(/[\s,]+/)
    .filter(Boolean);
  if (ids.length > 0) out.productIds = ids;
  for (const key of ['freeShipping', 'oncePerCustomer']) if (fieldText(f[key]) === 'on') out[key] = true;
  return out;
}
/** The create form (admin page, vendor dashboard): its fields read as the JSON body, then the same checks. */
export const discountCreateForm = z.preprocess(formToBody, discountCreateSchema);
