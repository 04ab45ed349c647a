// The JSX runtime of every page and e-mail (tsconfig's `jsxImportSource: "#jsx"`, package.json `imports`).
// It renders eagerly: each element becomes its HTML text the moment it is created, children first, so a
// page is a tree of string concatenations and nothing walks it afterwards. hono/jsx builds a node tree and
// renders it in a second pass that allows async components and contexts; no page uses either, and that
// pass was a third of an uncached catalog page's CPU (npm run bench, BENCH_PROFILE=1).
//
// The output is hono/jsx's, byte for byte, for what the app writes (test/lib/jsx-runtime.test.ts renders
// the same elements through both): the same escaping, attribute rules, boolean attributes,
// `<br/>`-style void tags and React-style key names (className, htmlFor…). Async components and style objects are refused.
import type { JSX as HonoJSX } from 'hono/jsx/jsx-runtime';

/** HTML that is already safe: rendered elements, and text marked with `raw`. Inserted as it is. */
export class SafeHtml {
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}

/** HTML marked trusted by `raw()`: the one kind of SafeHtml an attribute takes as it is. */
class RawHtml extends SafeHtml {}

/**
 * Marks trusted HTML (a script body, pre-rendered markup) so children and attributes insert it unescaped.
 * A rendered element used as an attribute value is escaped there, as hono/jsx does.
 */
export function raw(html: string): SafeHtml {
  return new RawHtml(html);
}

/** What a component may hold: text is escaped, SafeHtml is not, empty values vanish, arrays flatten. */
export type Child = string | number | boolean | null | undefined | SafeHtml | readonly Child[];

type Props = Record<string, unknown> & { children?: Child };
type Component = (props: never) => SafeHtml | null;

const ESCAPED = /[&<>'"]/;

/** The text with & < > ' " escaped (hono's escapeToBuffer). */
export function escapeHtml(text: string): string {
  if (!ESCAPED.test(text)) return text;
  let out = '';
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    let entity: string;
    switch (text.charCodeAt(i)) {
      case 34:
        entity = '&quot;';
        break;
      case 39:
        entity = '&#39;';
        break;
      case 38:
        entity = '&amp;';
        break;
      case 60:
        entity = '&lt;';
        break;
      case 62:
        entity = '&gt;';
        break;
      default:
        continue;
    }
    out += text.slice(last, i) + entity;
    last = i + 1;
  }
  return out + text.slice(last);
}

function childText(child: unknown): string {
  if (typeof child === 'string') return escapeHtml(child);
  if (child === null || child === undefined || typeof child === 'boolean') return '';
  if (child instanceof SafeHtml) return child.html;
  if (typeof child === 'number') return String(child);
  if (Array.isArray(child)) {
    let out = '';
    for (const c of child) out += childText(c);
    return out;
  }
  if (child instanceof Promise)
    throw new TypeError('Async components are not supported by the page runtime.');
  throw new TypeError(`A ${typeof child} cannot be a child: render it to text first.`);
}

const VOID_TAGS = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'keygen',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);

const BOOLEAN_ATTRIBUTES = new Set([
  'allowfullscreen',
  'async',
  'autofocus',
  'autoplay',
  'checked',
  'controls',
  'default',
  'defer',
  'disabled',
  'download',
  'formnovalidate',
  'hidden',
  'inert',
  'ismap',
  'itemscope',
  'loop',
  'multiple',
  'muted',
  'nomodule',
  'novalidate',
  'open',
  'playsinline',
  'readonly',
  'required',
  'reversed',
  'selected',
  'shadowrootclonable',
  'shadowrootdelegatesfocus',
  'shadowrootserializable',
]);

const KEY_NAMES: Record<string, string> = {
  className: 'class',
  htmlFor: 'for',
  crossOrigin: 'crossorigin',
  httpEquiv: 'http-equiv',
  itemProp: 'itemprop',
  fetchPriority: 'fetchpriority',
  noModule: 'nomodule',
  formAction: 'formaction',
};

// Names hono/jsx refuses too (control characters included).
// eslint-disable-next-line no-control-regex
const INVALID_NAME = /[\s"'<>/=`\\\x00-\x1f\x7f-\x9f]/;
// eslint-disable-next-line no-control-regex
const INVALID_TAG = /^[!?]|[\s"'<>/=`\\\x00-\x1f\x7f-\x9f]/;

/**
 * What a prop name becomes: its attribute name and whether it is boolean, or null (children, ref,
 * dangerouslySetInnerHTML, names hono/jsx refuses). Worked out once per name per isolate: a page has a
 * few dozen distinct names and thousands of attributes.
 */
/** An attribute's name as written, and whether it is a boolean attribute (`disabled=""` or nothing). */
type AttributeName = { key: string; boolean: boolean };
const names = new Map<string, AttributeName | null>();

function nameOf(prop: string): AttributeName | null {
  let known = names.get(prop);
  if (known === undefined) {
    const key = KEY_NAMES[prop] ?? prop;
    known =
      prop === 'children' || prop === 'ref' || prop === 'dangerouslySetInnerHTML'
        ? null
        : key.length === 0 || INVALID_NAME.test(key)
          ? null
          : { key, boolean: BOOLEAN_ATTRIBUTES.has(key) };
    if (names.size < 1024) names.set(prop, known);
  }
  return known;
}

function attributes(tag: string, props: Props): string {
  let text = '';
  for (const prop in props) {
    const v = props[prop];
    if (v === null || v === undefined) continue;
    const name = nameOf(prop);
    if (name === null) continue;
    const key = name.key;
    if (typeof v === 'string') text += ` ${key}="${escapeHtml(v)}"`;
    else if (typeof v === 'number') text += ` ${key}="${v}"`;
    else if (typeof v === 'boolean') {
      if (!name.boolean) text += ` ${key}="${v}"`;
      else if (v) text += ` ${key}=""`;
    } else if (v instanceof RawHtml) text += ` ${key}="${v.html}"`;
    else if (v instanceof SafeHtml) text += ` ${key}="${escapeHtml(v.html)}"`;
    else if (typeof v === 'function') {
      if (!key.startsWith('on'))
        throw new TypeError(`Invalid prop '${key}' of type 'function' supplied to '${tag}'.`);
    } else if (key === 'style' && typeof v === 'object')
      throw new TypeError(`'${tag}' got a style object: write the style as a string.`);
    // Anything else (a URL, a Date, a bigint) as its text, escaped, as hono/jsx writes it.
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- hono/jsx stringifies any object here too
    else text += ` ${key}="${escapeHtml(String(v))}"`;
  }
  return text;
}

/** Tags already checked, so a page does not test the same names again and again. */
const tags = new Set<string>();

/** Whether `children` holds nothing at all (a void tag may then close itself). */
function noChildren(children: unknown): boolean {
  return children === undefined || (Array.isArray(children) && children.length === 0);
}

/** An element or a component, rendered now. */
export function jsx(type: string | Component, props: Props): SafeHtml {
  if (typeof type === 'function') {
    const result = (type as (p: Props) => unknown)(props);
    if (result instanceof SafeHtml) return result;
    if (result instanceof Promise)
      throw new TypeError('Async components are not supported by the page runtime.');
    return new SafeHtml(childText(result));
  }
  if (!tags.has(type)) {
    if (INVALID_TAG.test(type)) throw new TypeError(`Invalid JSX tag name: ${type}`);
    if (tags.size < 256) tags.add(type);
  }
  const text = attributes(type, props);
  const children = props.children;
  const inner = props.dangerouslySetInnerHTML as { __html?: unknown } | null | undefined;
  if (typeof inner === 'object' && inner !== null && '__html' in inner) {
    if (children !== null && !noChildren(children))
      throw new TypeError('Can only set one of `children` or `props.dangerouslySetInnerHTML`.');
    return new SafeHtml(`<${type}${text}>${typeof inner.__html === 'string' ? inner.__html : ''}</${type}>`);
  }
  if (VOID_TAGS.has(type) && noChildren(children)) return new SafeHtml(`<${type}${text}/>`);
  return new SafeHtml(`<${type}${text}>${childText(children)}</${type}>`);
}

export { jsx as jsxs, jsx as jsxDEV };

/** `<>…</>`: its children, rendered. */
export function Fragment(props: { children?: Child }): SafeHtml {
  return new SafeHtml(childText(props.children));
}

// TypeScript finds a JSX runtime's types in a `JSX` namespace exported beside `jsx`.
// eslint-disable-next-line @typescript-eslint/no-namespace
export declare namespace JSX {
  type Element = SafeHtml;
  type ElementType = string | ((props: never) => SafeHtml | null);
  interface ElementChildrenAttribute {
    children: Child;
  }
  // hono/jsx's element and attribute types, reused as they are.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface IntrinsicElements extends HonoJSX.IntrinsicElements {}
  interface IntrinsicAttributes {
    key?: string | number | bigint | null | undefined;
  }
}
