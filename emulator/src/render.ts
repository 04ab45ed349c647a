// Turns stored objects into API responses: `expand[]` (ids replaced by objects, `data.` paths for
// lists) and Stripe's list objects with cursor pagination.
import type { Ctx } from './context';
import { publicView } from './context';
import { int, str, type Params } from './form';
import { invalidParam, noSuch } from './errors';
import type { ListObject, StripeObject } from './store';

/** Fields that are not stored on the object but computed when expanded (e.g. a session's line items). */
export type VirtualExpander = (ctx: Ctx, obj: StripeObject) => unknown;
const virtual = new Map<string, VirtualExpander>();

/** Registers a field that appears only when expanded, like `checkout.session.line_items`. */
export function registerVirtual(objectType: string, field: string, fn: VirtualExpander): void {
  virtual.set(`${objectType}.${field}`, fn);
}

function expandOne(ctx: Ctx, value: unknown, path: string[], full: string): unknown {
  if (path.length === 0 || value === null || value === undefined) return value;
  if (Array.isArray(value)) return value.map((v) => expandOne(ctx, v, path, full));
  if (typeof value !== 'object') return value;
  const obj = value as StripeObject;
  const [head, ...rest] = path as [string, ...string[]];
  if (obj.object === 'list' && head === 'data') {
    return { ...obj, data: (obj.data as unknown[]).map((d) => expandOne(ctx, d, rest, full)) };
  }
  let field: unknown = obj[head];
  const fn = virtual.get(`${obj.object}.${head}`);
  if (fn) field = fn(ctx, obj);
  else if (typeof field === 'string') {
    const found = ctx.store.getAny<StripeObject>(field);
    if (!found) return obj;
    field = publicView(found.obj);
  } else if (field === undefined) {
    throw invalidParam('expand', `This property cannot be expanded (${full}).`, 'parameter_invalid_string');
  }
  return { ...obj, [head]: expandOne(ctx, field, rest, full) };
}

/** The public view of an object with the requested `expand[]` paths applied. */
export function render<T extends StripeObject>(ctx: Ctx, obj: T, expand: string[] = []): T {
  let out: unknown = publicView(obj);
  for (const e of expand) {
    const path = e.split('.');
    if (path.length > 4) throw invalidParam('expand', `You cannot expand more than 4 levels of a property.`);
    out = expandOne(ctx, out, path, e);
  }
  return out as T;
}

/**
 * A Stripe list object over `items` (newest first), honouring `limit`, `starting_after` and
 * `ending_before`; `expand` paths start with `data.`.
 */
export function list<T extends StripeObject>(
  ctx: Ctx,
  items: T[],
  url: string,
  params: Params,
  expand: string[] = [],
): ListObject<T> {
  const limit = int(params, 'limit', { min: 1 }) ?? 10;
  if (limit > 100)
    throw invalidParam('limit', 'This value must be less than or equal to 100.', 'parameter_invalid_integer');
  const after = str(params, 'starting_after');
  const before = str(params, 'ending_before');
  let start = 0;
  let end = items.length;
  if (after) {
    const i = items.findIndex((o) => o.id === after);
    if (i < 0) throw noSuch('object', after, 'starting_after');
    start = i + 1;
  } else if (before) {
    const i = items.findIndex((o) => o.id === before);
    if (i < 0) throw noSuch('object', before, 'ending_before');
    end = i;
    start = Math.max(0, end - limit);
  }
  const page = items.slice(start, Math.min(end, start + limit));
  const hasMore = before ? start > 0 : start + page.length < end;
  const dataExpand = expand.filter((e) => e.startsWith('data.')).map((e) => e.slice(5));
  return {
    object: 'list',
    data: page.map((o) => render(ctx, o, dataExpand)),
    has_more: hasMore,
    url,
  };
}

/** A list object holding all of `items` (embedded lists such as `transfer.reversals`). */
export function embeddedList<T>(items: T[], url: string): ListObject<T> & { total_count: number } {
  return { object: 'list', data: items, has_more: false, total_count: items.length, url };
}

/** Filters by `created` (an integer or `created[gte]`-style bounds). */
export function createdFilter(params: Params): (o: StripeObject) => boolean {
  const c = params.created;
  if (c === undefined) return () => true;
  if (typeof c === 'string') {
    const n = Number(c);
    return (o) => o.created === n;
  }
  if (Array.isArray(c)) return () => true;
  const bound = (k: string) => (typeof c[k] === 'string' ? Number(c[k]) : undefined);
  const [gt, gte, lt, lte] = [bound('gt'), bound('gte'), bound('lt'), bound('lte')];
  return (o) => {
    const t = Number(o.created);
    return (
      (gt === undefined || t > gt) &&
      (gte === undefined || t >= gte) &&
      (lt === undefined || t < lt) &&
      (lte === undefined || t <= lte)
    );
  };
}
