// Parses Stripe's form encoding (`line_items[0][price_data][unit_amount]=500`, `expand[]=x`) into
// nested objects and arrays, and reads typed values out of it with Stripe's error messages.
import { invalidParam, missingParam } from './errors';

export type Param = string | Params | Param[];
export interface Params {
  [key: string]: Param;
}

/** Splits `a[b][0][]` into ['a', 'b', '0', '']. */
function splitKey(key: string): string[] {
  const open = key.indexOf('[');
  if (open <= 0) return [key];
  const parts = [key.slice(0, open)];
  const re = /\[([^\]]*)\]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(key.slice(open)))) parts.push(m[1] ?? '');
  return parts;
}

type Node = { [k: string]: Node | string };

function assign(root: Node, path: string[], value: string): void {
  let node = root;
  for (let i = 0; i < path.length; i++) {
    let seg = path[i]!;
    // `[]` appends: the next free index in this node.
    if (seg === '') seg = String(Object.keys(node).length);
    if (i === path.length - 1) {
      node[seg] = value;
      return;
    }
    const next = node[seg];
    if (typeof next !== 'object') node[seg] = {};
    node = node[seg] as Node;
  }
}

/** Objects whose keys are all indexes become arrays (ordered by index), recursively. */
function normalize(node: Node | string): Param {
  if (typeof node === 'string') return node;
  const keys = Object.keys(node);
  if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
    return keys
      .map(Number)
      .sort((a, b) => a - b)
      .map((k) => normalize(node[String(k)]!));
  }
  const out: Params = {};
  for (const k of keys) out[k] = normalize(node[k]!);
  return out;
}

/** Parses a form-encoded body or query string into nested params. */
export function parseForm(input: string | URLSearchParams): Params {
  const root: Node = {};
  const search = typeof input === 'string' ? new URLSearchParams(input) : input;
  for (const [key, value] of search) assign(root, splitKey(key), value);
  const out = normalize(root);
  return typeof out === 'object' && !Array.isArray(out) ? out : {};
}

/** A stable serialisation of params, for comparing idempotent requests. */
export function canonical(params: unknown): string {
  if (Array.isArray(params)) return `[${params.map(canonical).join(',')}]`;
  if (params && typeof params === 'object') {
    const entries = Object.entries(params as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(params ?? null);
}

function at(p: Params | undefined, name: string): Param | undefined {
  return p?.[name];
}

function label(prefix: string, name: string): string {
  return prefix ? `${prefix}[${name}]` : name;
}

/** A string param; `required` throws Stripe's "Missing required param". */
export function str(p: Params | undefined, name: string, opts: { required?: boolean; prefix?: string } = {}) {
  const v = at(p, name);
  const param = label(opts.prefix ?? '', name);
  if (v === undefined || v === '') {
    if (opts.required) throw missingParam(param);
    return undefined;
  }
  if (typeof v !== 'string') throw invalidParam(param, `Invalid string: ${JSON.stringify(v)}`);
  return v;
}

/** One of a set of strings. */
export function oneOf<T extends string>(
  p: Params | undefined,
  name: string,
  values: readonly T[],
  opts: { required?: boolean; prefix?: string } = {},
): T | undefined {
  const v = str(p, name, opts);
  if (v === undefined) return undefined;
  if (!values.includes(v as T)) {
    throw invalidParam(
      label(opts.prefix ?? '', name),
      `Invalid ${name}: must be one of ${values.join(', ')}`,
      'parameter_invalid_string',
    );
  }
  return v as T;
}

/** A non-negative integer param (amounts in minor units, quantities, timestamps). */
export function int(
  p: Params | undefined,
  name: string,
  opts: { required?: boolean; prefix?: string; min?: number } = {},
): number | undefined {
  const raw = str(p, name, opts);
  if (raw === undefined) return undefined;
  const param = label(opts.prefix ?? '', name);
  if (!/^-?\d+$/.test(raw)) throw invalidParam(param, `Invalid integer: ${raw}`, 'parameter_invalid_integer');
  const n = Number(raw);
  if (!Number.isSafeInteger(n))
    throw invalidParam(param, `Invalid integer: ${raw}`, 'parameter_invalid_integer');
  const min = opts.min ?? 0;
  if (n < min) {
    throw invalidParam(
      param,
      `This value must be greater than or equal to ${min}.`,
      'parameter_invalid_integer',
    );
  }
  return n;
}

/** A boolean param ("true"/"false"). */
export function bool(
  p: Params | undefined,
  name: string,
  opts: { prefix?: string } = {},
): boolean | undefined {
  const raw = str(p, name, opts);
  if (raw === undefined) return undefined;
  if (raw !== 'true' && raw !== 'false') {
    throw invalidParam(
      label(opts.prefix ?? '', name),
      `Invalid boolean: ${raw}`,
      'parameter_invalid_boolean',
    );
  }
  return raw === 'true';
}

/** A nested hash param. */
export function obj(p: Params | undefined, name: string, opts: { prefix?: string } = {}): Params | undefined {
  const v = at(p, name);
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) {
    throw invalidParam(label(opts.prefix ?? '', name), `Invalid object`, 'parameter_invalid_object');
  }
  return v;
}

/** An array param (`x[0][...]`, `x[]`); a lone value counts as a one-element array. */
export function arr(p: Params | undefined, name: string): Param[] {
  const v = at(p, name);
  if (v === undefined || v === '') return [];
  return Array.isArray(v) ? v : [v];
}

/** The `expand[]` paths of a request. */
export function expandPaths(p: Params | undefined): string[] {
  return arr(p, 'expand').filter((x): x is string => typeof x === 'string');
}

/**
 * Applies a `metadata` param to existing metadata like Stripe: keys are merged, an empty value
 * deletes a key, and `metadata=` (empty) clears everything.
 */
export function mergeMetadata(
  existing: Record<string, string> | null | undefined,
  p: Params | undefined,
  name = 'metadata',
): Record<string, string> {
  const out: Record<string, string> = { ...(existing ?? {}) };
  const v = p?.[name];
  if (v === undefined) return out;
  if (v === '') return {};
  if (typeof v !== 'object' || Array.isArray(v))
    throw invalidParam(name, 'Invalid hash', 'parameter_invalid_object');
  const keys = Object.keys(v);
  if (Object.keys(out).length + keys.length > 50 && keys.some((k) => !(k in out))) {
    throw invalidParam(name, 'You can specify up to 50 keys in metadata.');
  }
  for (const [k, val] of Object.entries(v)) {
    if (typeof val !== 'string') throw invalidParam(`${name}[${k}]`, 'Metadata values must be strings.');
    if (k.length > 40) throw invalidParam(`${name}[${k}]`, 'Metadata keys can be up to 40 characters long.');
    if (val.length > 500)
      throw invalidParam(`${name}[${k}]`, 'Metadata values can be up to 500 characters long.');
    if (val === '') delete out[k];
    else out[k] = val;
  }
  return out;
}
