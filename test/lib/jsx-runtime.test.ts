// The page runtime (src/lib/jsx) renders what hono/jsx rendered, byte for byte: every page and e-mail moved
// from one to the other, so each kind of element the app writes is rendered through both and compared.
import { Fragment as HonoFragment, jsx as honoJsx } from 'hono/jsx/jsx-runtime';
import { describe, expect, it } from 'vitest';
import { Fragment, jsx, raw } from '../../src/lib/jsx/jsx-runtime';

/** A tree written once and built by either runtime: [tag or component, props, ...children]. */
type Tree =
  | string
  | number
  | boolean
  | null
  | undefined
  | { raw: string }
  | { built: unknown }
  | Tree[]
  | [Tag, Props, ...Tree[]];
type Tag = string | ((props: Props) => unknown); // 'fragment' for <>…</>
type Props = Record<string, unknown>;

function isElement(t: Tree): t is [Tag, Props, ...Tree[]] {
  return (
    Array.isArray(t) &&
    t.length >= 2 &&
    (typeof t[0] === 'string' || typeof t[0] === 'function') &&
    typeof t[1] === 'object' &&
    t[1] !== null &&
    !Array.isArray(t[1]) &&
    !('raw' in t[1])
  );
}

function build(t: Tree, runtime: 'ours' | 'hono'): unknown {
  if (t !== null && typeof t === 'object' && 'built' in t) return t.built; // built by this runtime already
  if (t !== null && typeof t === 'object' && 'raw' in t)
    return runtime === 'ours' ? raw(t.raw) : new HonoRaw(t.raw);
  if (!Array.isArray(t)) return t;
  if (!isElement(t)) return t.map((c) => build(c, runtime));
  const [tag, rawProps, ...kids] = t;
  const props: Props = Object.fromEntries(
    Object.entries(rawProps).map(([k, v]) => [k, k === 'children' ? v : build(v as Tree, runtime)]),
  );
  const children = kids.map((c) => build(c, runtime));
  const all: Props = {
    ...props,
    ...(children.length ? { children: children.length === 1 ? children[0] : children } : {}),
  };
  if (typeof tag === 'function') {
    // A component written once: it returns a tree, built by the runtime that called it.
    const component = (p: Props) => build(tag(p) as Tree, runtime);
    return runtime === 'ours' ? jsx(component as never, all) : honoJsx(component, all);
  }
  if (runtime === 'ours') {
    if (tag === 'fragment') return Fragment(all);
    return jsx(tag, all);
  }
  if (tag === 'fragment') return honoJsx(HonoFragment, all);
  return honoJsx(tag, all);
}

/** hono's raw(): a String object marked as escaped. */
class HonoRaw extends String {
  isEscaped = true;
}

async function both(t: Tree): Promise<{ ours: string; hono: string }> {
  const ours = String(build(t, 'ours'));
  const hono = await (build(t, 'hono') as { toString(): string | Promise<string> }).toString();
  return { ours, hono };
}

const Card = (p: Props) =>
  ['div', { class: 'card' }, ['h2', {}, p.title as string], p.children as Tree] as Tree;

const CASES: [string, Tree][] = [
  ['text is escaped', ['p', {}, `Tom & Jerry's <b>"best"</b> > rest`]],
  ['attributes are escaped', ['a', { href: '/x?a=1&b="2"', title: "it's <here>" }, 'go']],
  ['numbers and booleans', ['span', { 'data-n': 3, tabindex: 0, 'aria-hidden': true }, 42, true, false]],
  ['null and undefined vanish', ['p', { title: null, id: undefined }, null, undefined, 'kept']],
  ['boolean attributes', ['input', { type: 'checkbox', checked: true, disabled: false, required: true }]],
  [
    'void tags close themselves',
    ['div', {}, ['br', {}], ['img', { src: '/a.png', alt: '' }], ['meta', { charset: 'utf-8' }]],
  ],
  ['empty non-void tags stay open and closed', ['script', { src: '/static/app.js', defer: true }]],
  ['React key names', ['label', { htmlFor: 'q', className: 'visually-hidden' }, 'Search']],
  [
    'nested arrays flatten',
    [
      'ul',
      {},
      [
        ['li', {}, 'a'],
        [['li', {}, 'b'], null],
      ],
      ['li', {}, 'c'],
    ],
  ],
  ['fragments', ['fragment', {}, ['p', {}, 'one'], 'two & three']],
  ['raw HTML is kept', ['div', {}, { raw: '<svg viewBox="0 0 1 1"></svg>' }, '<not raw>']],
  ['raw HTML in an attribute', ['input', { value: { raw: 'a&amp;b' } }]],
  ['components get their children', [Card, { title: 'Mugs & cups' }, ['p', {}, 'Stoneware']]],
  ['a component returning null', ['div', {}, [() => null, {}], 'after']],
  [
    'svg attributes as written',
    [
      'svg',
      { viewBox: '0 0 24 24', 'aria-hidden': 'true' },
      ['path', { d: 'M3 4h2', 'stroke-width': '1.8' }],
    ],
  ],
  ['dangerouslySetInnerHTML', ['div', { dangerouslySetInnerHTML: { __html: '<b>ok</b>' } }]],
  [
    'event handlers are dropped',
    ['button', { type: 'submit', onclick: 'return confirm("Sure?")' }, 'Cancel'],
  ],
  ['boolean attributes under their HTML names', ['script', { src: '/a.js', noModule: true }]],
  ['a rendered element as an attribute value is escaped', ['a', { title: ['b', { class: 'x' }, 'hi'] }, 'x']],
  [
    'objects as attribute values are written as text',
    ['a', { href: new URL('https://shop.example/a?b=1&c=2') }, 'x'],
  ],
  ['unicode and emoji', ['p', { lang: 'fr' }, 'Crème brûlée ☕ — 5 €']],
];

describe('the page runtime renders what hono/jsx rendered', () => {
  for (const [name, tree] of CASES)
    it(name, async () => {
      const { ours, hono } = await both(tree);
      expect(ours).toBe(hono);
    });

  it('refuses async components and style objects instead of printing [object Promise]', () => {
    expect(() => jsx((async () => raw('x')) as never, {})).toThrow(/Async components/);
    expect(() => jsx('p', { style: { color: 'red' } })).toThrow(/style/);
  });

  it('refuses tag names that would break out of the tag', () => {
    expect(() => jsx('p onload=x', {})).toThrow(/Invalid JSX tag name/);
  });
});
