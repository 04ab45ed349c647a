#!/usr/bin/env node
// Checks that imports in src/ run one way: prints the folder-level import graph, folders that import each
// other, file-level cycles and every import that runs up the declared layers; exits 1 on any of them.
// No dependencies: it reads `import`/`export ... from './..'` with a regular expression (enough for our code).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const SRC = path.join(ROOT, 'src');

/**
 * The layers, bottom first. Notifications sit low: every feature queues its messages in the same D1 batch
 * as the change that causes them, and the consumer reads what it renders straight from the tables.
 * Payouts sit below orders: the paid batch writes transfer rows, and payouts needs nothing of orders. A folder may import its own files, any folder of a lower layer and a peer of
 * its own layer (as long as the two don't import each other). Files directly in src/ are the `app` layer.
 */
const LAYERS = [
  ['lib'],
  ['db'],
  ['stripe'],
  ['pages'],
  ['notifications'],
  ['catalog'],
  ['discounts'],
  ['cart'],
  ['payouts'],
  ['fulfilment'],
  ['disputes'],
  ['orders'],
  ['subscriptions'],
  ['checkout'],
  ['webhooks'],
  ['accounts', 'vendors', 'admin', 'ops'],
  ['app'],
];
/** The only folder that may import the `stripe` package (the SDK, its types and errors). */
const STRIPE_OWNER = 'stripe';

const rank = new Map(LAYERS.flatMap((names, i) => names.map((n) => [n, i])));

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return walk(full);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [full] : [];
  });
}

/** `lib`, `cart`, ... for a file under src/; `app` for the files directly in src/. */
function folderOf(file) {
  const rel = path.relative(SRC, file).split(path.sep);
  return rel.length === 1 ? 'app' : rel[0];
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/g;
const DYNAMIC = /\bimport\(\s*()['"]([^'"]+)['"]\s*\)/g;

function resolve(from, spec) {
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not this one
    }
  }
  return null;
}

function lineOf(text, index) {
  return text.slice(0, index).split('\n').length;
}

const files = walk(SRC).sort();
/** file → [{ target, line }] */
const edges = new Map();
const problems = { upward: [], unknown: [], stripe: [], unresolved: [] };

for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const out = [];
  for (const re of [IMPORT, DYNAMIC]) {
    for (const m of text.matchAll(re)) {
      const spec = m[2];
      // `import type` is erased at build time: it counts for layering, not for load-order cycles.
      const typeOnly =
        Boolean(m[1]) ||
        (/^\s*(?:import|export)\s+\{\s*type\s[^}]*\}/.test(m[0].trim()) && !/,\s*(?!type\s)\w/.test(m[0]));
      const line = lineOf(text, m.index + (m[0].startsWith('\n') ? 1 : 0));
      if (spec === 'stripe' || spec.startsWith('stripe/')) {
        if (folderOf(file) !== STRIPE_OWNER) problems.stripe.push(`${rel(file)}:${line} imports '${spec}'`);
        continue;
      }
      if (!spec.startsWith('.')) continue;
      const target = resolve(file, spec);
      if (!target) {
        problems.unresolved.push(`${rel(file)}:${line} '${spec}'`);
        continue;
      }
      if (target.startsWith(SRC)) out.push({ target, line, typeOnly });
    }
  }
  edges.set(file, out);
}

function rel(file) {
  return path.relative(ROOT, file);
}

// ---------------------------------------------------------------- folder graph
const folderEdges = new Map(); // "a -> b" → count
for (const [file, list] of edges) {
  const from = folderOf(file);
  if (!rank.has(from)) problems.unknown.push(`${rel(file)}: folder '${from}' is not in the declared layers`);
  for (const { target, line } of list) {
    const to = folderOf(target);
    if (from === to) continue;
    const key = `${from} -> ${to}`;
    folderEdges.set(key, (folderEdges.get(key) ?? 0) + 1);
    if (rank.has(from) && rank.has(to) && rank.get(to) > rank.get(from)) {
      problems.upward.push(
        `${rel(file)}:${line} -> ${rel(target)}   (${from} imports ${to}, a higher layer)`,
      );
    }
  }
}

const mutual = [];
for (const key of folderEdges.keys()) {
  const [a, b] = key.split(' -> ');
  if (a < b && folderEdges.has(`${b} -> ${a}`)) mutual.push(`${a} <-> ${b}`);
}

// ---------------------------------------------------------------- file cycles (Tarjan's SCC)
function stronglyConnected(nodes, next) {
  let index = 0;
  const idx = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const out = [];
  const visit = (v) => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of next(v)) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const scc = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      out.push(scc);
    }
  };
  for (const v of nodes) if (!idx.has(v)) visit(v);
  return out;
}

/** File cycles over `next`: groups of files that reach each other (a file importing itself counts). */
const cyclesOf = (next) =>
  stronglyConnected(files, next)
    .filter((scc) => scc.length > 1 || next(scc[0]).includes(scc[0]))
    .map((scc) => scc.map(rel).sort());
const runtimeEdges = (f) =>
  edges
    .get(f)
    .filter((e) => !e.typeOnly)
    .map((e) => e.target);
const fileCycles = cyclesOf(runtimeEdges);
const runtimeCycleKeys = new Set(fileCycles.map((c) => c.join()));
// Cycles that exist only through `import type`: no load-order problem, but shown so they can be untangled.
const typeCycles = cyclesOf((f) => edges.get(f).map((e) => e.target)).filter(
  (c) => !runtimeCycleKeys.has(c.join()),
);

const folders = [...new Set(files.map(folderOf))];
const folderCycles = stronglyConnected(folders, (f) =>
  [...folderEdges.keys()].filter((k) => k.startsWith(`${f} -> `)).map((k) => k.split(' -> ')[1]),
).filter((scc) => scc.length > 1);

// ---------------------------------------------------------------- report
const byRank = (a, b) => (rank.get(a) ?? 99) - (rank.get(b) ?? 99) || a.localeCompare(b);
console.log('Layers (bottom first): ' + LAYERS.map((l) => l.join('/')).join(' -> '));
console.log(`\nFolder import graph (${files.length} files):`);
for (const from of folders.sort(byRank)) {
  const targets = [...folderEdges]
    .filter(([k]) => k.startsWith(`${from} -> `))
    .map(([k, n]) => [k.split(' -> ')[1], n])
    .sort(([a], [b]) => byRank(a, b));
  console.log(`  ${from.padEnd(14)} -> ${targets.map(([t, n]) => `${t} (${n})`).join(', ') || '(nothing)'}`);
}

const section = (title, list) => {
  console.log(`\n${title}: ${list.length === 0 ? 'none' : list.length}`);
  for (const item of list) console.log(`  ${item}`);
};
section('Folders that import each other', mutual.sort());
section(
  'Folder cycles',
  folderCycles.map((c) => c.sort(byRank).join(', ')),
);
section(
  'File-level cycles (runtime imports)',
  fileCycles.map((c) => c.join(' -> ')),
);
console.log(`\nFile-level cycles through \`import type\` only (not counted): ${typeCycles.length || 'none'}`);
for (const c of typeCycles) console.log(`  ${c.join(' -> ')}`);
section('Imports up the declared layers', problems.upward);
section(`Imports of the stripe package outside src/${STRIPE_OWNER}/`, problems.stripe);
section('Folders outside the declared layers', problems.unknown);
section('Relative imports that resolve to no file', problems.unresolved);

const violations =
  mutual.length +
  folderCycles.length +
  fileCycles.length +
  problems.upward.length +
  problems.stripe.length +
  problems.unknown.length +
  problems.unresolved.length;
console.log(violations === 0 ? '\nLayers: ok' : `\nLayers: ${violations} violation(s)`);
process.exit(violations === 0 ? 0 : 1);
