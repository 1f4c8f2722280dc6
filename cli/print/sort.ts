/**
 * `kubectl get --sort-by=<jsonpath>` (kubectl pkg/cmd/get/sorter.go): objects, or the rows of a
 * server-side Table by their embedded objects, ordered by the first value the path yields. Ordered
 * with Go's sort.Sort, which is not stable: equal keys (events of one second) come out in
 * kubectl's order, not in the list's.
 */
import { quantityOrUndefined } from '../../schemas/format/quantity.js';
import { goSort } from '../describe/gosort.js';
import { relaxedJsonPath, relaxedJsonPathExpression } from './custom-columns.js';
import { goQuote } from './go-fmt.js';
import { evalPath } from './jsonpath.js';

/** A value `--sort-by` cannot order (a map, a list): kubectl exits on it even for a Table. */
export class UnsortableError extends Error {}

/**
 * isLess for two JSON values. JSONPath hands kubectl concrete values: numbers compare
 * numerically, two strings that both parse as quantities by amount (`512Mi` before `1Gi`), other
 * strings (timestamps included) bytewise, and a null before anything else; maps and lists are
 * unsortable.
 */
export function isLess(a: unknown, b: unknown): boolean {
  if (a === null || b === null) return a === null && b !== null;
  if (typeof a === 'number' && typeof b === 'number') return a < b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return !a && b;
  if (typeof a === 'string' && typeof b === 'string') {
    const qa = quantityOrUndefined(a);
    const qb = qa === undefined ? undefined : quantityOrUndefined(b);
    return qa !== undefined && qb !== undefined ? qa < qb : a < b;
  }
  if (a !== null && typeof a === 'object') throw new UnsortableError(`unsortable type: ${Array.isArray(a) ? '[]interface {}' : 'map[string]interface {}'}`);
  return false;
}

/**
 * The items in `--sort-by` order, keyed by `objectOf(item)`; items without the field sort first.
 * When no item has it, a list (RuntimeSort) is an error and a Table (TableSorter, `strict`)
 * yields undefined: kubectl swallows that error and prints no rows.
 */
export function sortBy<T>(items: T[], field: string, objectOf: (item: T) => unknown, strict = false): T[] | undefined {
  const path = relaxedJsonPath(field);
  const keyed = items.map((item) => {
    const values = evalPath(path, [objectOf(item)]);
    return { item, key: values[0], missing: values.length === 0 };
  });
  if (keyed.length > 0 && keyed.every((k) => k.missing)) {
    if (strict) return undefined;
    throw new Error(`couldn't find any field with path ${goQuote(relaxedJsonPathExpression(field))} in the list of objects`);
  }
  // RuntimeSort.Less: an item without the field is less than anything, even another without it.
  return goSort(keyed, (x, y) => x.missing || (!y.missing && isLess(x.key, y.key))).map((k) => k.item);
}
