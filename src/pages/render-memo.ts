// Skips re-rendering a page whose data is exactly what it was last time in this isolate. The data is
// still read fresh on every request (no staleness): only identical input reuses the identical HTML.

const MAX_ENTRIES = 256;
const memo = new Map<string, { fingerprint: string; html: string }>();

/**
 * The HTML for `key` (a path), rendered by `render` unless the last render of `key` in this isolate was
 * from the same `data` (compared as JSON). Rendering a product grid costs more than the comparison.
 */
export async function renderOnce(
  key: string,
  data: unknown,
  render: () => string | Promise<string>,
): Promise<string> {
  const fingerprint = JSON.stringify(data);
  const hit = memo.get(key);
  if (hit && hit.fingerprint === fingerprint) return hit.html;
  const html = await render();
  if (memo.size >= MAX_ENTRIES && !memo.has(key)) memo.delete(memo.keys().next().value!);
  memo.set(key, { fingerprint, html });
  return html;
}
