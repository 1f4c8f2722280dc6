/**
 * `kubectl get --sort-by=<jsonpath>` (kubectl pkg/cmd/get/sorter.go): objects, or the rows of a
 * server-side Table by their embedded objects, ordered by the first value the path yields.
 * Equal keys keep their order (kubectl's sort.Sort only guarantees that for short lists).
 */
import { relaxedJsonPath } from './custom-columns.js';
import { evalPath } from './jsonpath.js';

/**
 * isLess for two JSON values. JSONPath hands kubectl concrete values, so strings (quantities and
 * timestamps included) compare bytewise and numbers numerically; maps and lists are unsortable.
 */
export function isLess(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a < b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return !a && b;
  if (typeof a === 'string' && typeof b === 'string') return a < b;
  if (a !== null && typeof a === 'object') throw new Error(`unsortable type: ${Array.isArray(a) ? '[]interface {}' : 'map[string]interface {}'}`);
  return false;
}

/**
 * The items in `--sort-by` order, keyed by `objectOf(item)`. Items without the field sort first
 * (RuntimeSort); with `strict` (TableSorter) one such item yields undefined, and kubectl prints
 * no rows.
 */
export function sortBy<T>(items: T[], field: string, objectOf: (item: T) => unknown, strict = false): T[] | undefined {
  const path = relaxedJsonPath(field);
  const keyed: Array<{ item: T; key: unknown; missing: boolean; i: number }> = [];
  for (const [i, item] of items.entries()) {
    const values = evalPath(path, [objectOf(item)]);
    if (values.length === 0 && strict) return undefined;
    keyed.push({ item, key: values[0], missing: values.length === 0, i });
  }
  const cmp = (x: (typeof keyed)[number], y: (typeof keyed)[number]): number => {
    if (x.missing || y.missing) return x.missing === y.missing ? x.i - y.i : x.missing ? -1 : 1;
    return isLess(x.key, y.key) ? -1 : isLess(y.key, x.key) ? 1 : x.i - y.i;
  };
  return keyed.sort(cmp).map((k) => k.item);
}
