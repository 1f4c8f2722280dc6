// Strategic merge patch (application/strategic-merge-patch+json) with the apiserver's semantics.
// Port of k8s.io/apimachinery pkg/util/strategicpatch/patch.go (the apply half: mergeMap and the
// list helpers), reading per-field strategies from patch-meta.ts instead of Go struct tags, and
// checked against kubectl v1.35.2's `patch --local --type strategic`, which runs the same code.
// Where upstream copies patch values verbatim (new list elements, replaced maps and lists) it relies
// on the typed Go round trip that follows to drop nulls and directive keys; we store JSON as is, so
// clean() does that here.
import { loadDefinitions } from '../validation/schema.js';
import { childDefinition, fieldKind, fieldMeta } from './patch-meta.js';
import { cloneJSON } from '../registry/strategy.js';

type Json = null | boolean | number | string | Json[] | JsonObject;
interface JsonObject { [key: string]: Json }

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const DELETE_PREFIX = '$deleteFromPrimitiveList';
const ORDER_PREFIX = '$setElementOrder';
const LIST_TYPE = '[]interface {}';
const MAP_TYPE = 'map[string]interface {}';

/**
 * A malformed or inapplicable strategic merge patch, worded like the apiserver's errors. `code` is
 * the HTTP status the apiserver answers with: 400 for a malformed directive, 422 for a list of
 * lists, 500 (reason Unknown) for the rest, which upstream does not classify.
 */
export class StrategicMergePatchError extends Error {
  constructor(message: string, readonly code = 500) {
    super(message);
    this.name = 'StrategicMergePatchError';
  }
}

interface FieldPlan { strategy: string; mergeKey: string; child: Schema }
interface Schema { field(key: string): FieldPlan }

const UNTYPED: Schema = { field: () => ({ strategy: '', mergeKey: '', child: UNTYPED }) };
const schemas = new Map<string, Schema>();

/** Field plans of one definition; unknown definitions and fields merge maps and replace lists. */
function schemaOf(definition: string | undefined): Schema {
  if (!definition || !loadDefinitions()[definition]) return UNTYPED;
  let schema = schemas.get(definition);
  if (!schema) {
    const plans = new Map<string, FieldPlan>();
    schema = { field: (key) => plans.get(key) ?? plans.set(key, planFor(definition, key)).get(key)! };
    schemas.set(definition, schema);
  }
  return schema;
}

function planFor(definition: string, key: string): FieldPlan {
  const meta = fieldMeta(definition, key);
  // 'merge,retainKeys' → 'merge'; retainKeys only tells clients to send `$retainKeys`.
  const strategy = (meta.patchStrategy ?? '').split(',').find((s) => s && s !== 'retainKeys') ?? '';
  const values = schemaOf(childDefinition(definition, key));
  // Entries of a map field are values, not struct fields: each one carries the value schema.
  const child = fieldKind(definition, key) === 'map' ? { field: () => ({ strategy: '', mergeKey: '', child: values }) } : values;
  return { strategy, mergeKey: meta.patchMergeKey ?? '', child };
}

/**
 * Applies a strategic merge patch to `original` (the current object as JSON) for the schema
 * definition `definition` (e.g. 'io.k8s.api.apps.v1.Deployment'); returns a new object, never
 * mutates inputs. An unknown definition (CRDs) gets JSON merge patch semantics (RFC 7386) with
 * directives still honoured. Throws StrategicMergePatchError for malformed patches.
 * @example strategicMergePatch(deploy, { spec: { paused: true } }, 'io.k8s.api.apps.v1.Deployment')
 */
export function strategicMergePatch(original: unknown, patch: unknown, definition: string | undefined): unknown {
  const base: JsonObject = isObject(original) ? cloneJSON(original) : {};
  // Go decodes the body into a map: `null` leaves it empty, any other non-object fails.
  if (patch === null || patch === undefined) return base;
  if (!isObject(patch)) {
    const kind = Array.isArray(patch) ? 'array' : typeof patch === 'boolean' ? 'bool' : typeof patch;
    throw new StrategicMergePatchError(`json: cannot unmarshal ${kind} into Go value of type ${MAP_TYPE}`, 400);
  }
  return mergeMap(base, cloneJSON(patch), schemaOf(definition));
}

/** Merges `patch` into `original` in place (both are private copies) and returns the result. */
function mergeMap(original: JsonObject, patch: JsonObject, schema: Schema): JsonObject {
  if (Object.hasOwn(patch, DIRECTIVE)) return mapDirective(patch);
  applyRetainKeys(original, patch);
  applyElementOrders(original, patch, schema);
  for (const [key, value] of Object.entries(patch)) mergeEntry(original, key, value, schema);
  return original;
}

function mapDirective(patch: JsonObject): JsonObject {
  const directive = patch[DIRECTIVE];
  if (directive === 'replace') return clean(patch, false) as JsonObject;
  if (directive === 'delete') return {};
  throw new StrategicMergePatchError(`unknown patch type: ${goString(directive)} in map: ${goValue(patch)}`);
}

function mergeEntry(original: JsonObject, rawKey: string, value: Json, schema: Schema): void {
  const isDeleteList = rawKey.startsWith(DELETE_PREFIX);
  const key = isDeleteList ? extractKey(rawKey, DELETE_PREFIX) : rawKey;
  if (value === null) {
    delete original[key];
    return;
  }
  const current = Object.hasOwn(original, key) ? original[key] : undefined;
  if (current === undefined || kindOf(current) !== kindOf(value)) {
    // A deletion list never adds anything, even where the list is missing.
    if (!isDeleteList) putCleaned(original, key, value);
    return;
  }
  const plan = schema.field(key);
  // A `replace` strategy (PodDisruptionBudget selector) takes the patch map whole.
  if (isObject(current) && plan.strategy === 'replace') put(original, key, clean(value, false)!);
  else if (isObject(current)) put(original, key, mergeMap(current, value as JsonObject, plan.child));
  else if (Array.isArray(current)) put(original, key, mergeListField(current, value as Json[], plan, isDeleteList).list);
  else put(original, key, value);
}

// $retainKeys clears the keys of `original` it does not name; every non-null patch key must be named.
function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  if (!Object.hasOwn(patch, RETAIN_KEYS)) return;
  const retained = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(retained)) throw new StrategicMergePatchError('invalid patch format of retainKeys', 400);
  const keep = new Set<Json>(retained);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || key.startsWith(DELETE_PREFIX) || key.startsWith(ORDER_PREFIX)) continue;
    if (!keep.has(key)) throw new StrategicMergePatchError('invalid patch format of retainKeys', 400);
  }
  for (const key of Object.keys(original)) if (!keep.has(key)) delete original[key];
}

// $setElementOrder/<list> merges that list first, then orders it: the listed elements as listed,
// the others (present only on the server) kept where they were relative to the listed ones.
function applyElementOrders(original: JsonObject, patch: JsonObject, schema: Schema): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(ORDER_PREFIX)) continue;
    const order = patch[key]!;
    delete patch[key];
    if (!Array.isArray(order)) throw argTypeError(LIST_TYPE, order);
    const field = extractKey(key, ORDER_PREFIX);
    const ordered = orderedList(original, patch, field, order, schema.field(field));
    if (ordered !== undefined) put(original, field, ordered);
    delete patch[field];
  }
}

function orderedList(original: JsonObject, patch: JsonObject, field: string, order: Json[], plan: FieldPlan): Json[] | undefined {
  const [inOriginal, inPatch] = [Object.hasOwn(original, field), Object.hasOwn(patch, field)];
  const originalList = inOriginal ? original[field]! : [];
  const patchList = inPatch ? patch[field]! : [];
  if (!Array.isArray(originalList)) throw argTypeError(LIST_TYPE, originalList);
  if (!Array.isArray(patchList)) throw argTypeError(LIST_TYPE, patchList);
  validateOrder(patchList, order, plan.mergeKey);
  if (!inOriginal && !inPatch) return undefined;
  let merged = inPatch ? (clean(patchList, true) as Json[]) : originalList;
  // Go slices alias: after in-place deletions, the server order read below is the shifted array.
  let serverOrder = originalList;
  if (inOriginal && inPatch) ({ list: merged, view: serverOrder } = mergeListField(originalList, patchList, plan, false));
  // Arguments run left to right: partition's errors come before elementKind's, as upstream.
  return normalizeOrder(...partition(merged, order, plan.mergeKey), order, serverOrder, plan.mergeKey, elementKind([originalList, patchList]));
}

function validateOrder(patchList: Json[], order: Json[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  const kept = mergeKey ? splitDeletes(patchList)[0] : patchList;
  let [p, o] = [0, 0];
  while (p < kept.length && o < order.length) {
    const item = kept[p]!;
    // Elements carrying a directive are not positioned by the order list.
    if (isObject(item) && Object.hasOwn(item, DIRECTIVE)) p++;
    else if (mergeKeysEqual(item, order[o++]!, mergeKey)) p++;
  }
  if (p < kept.length && o >= order.length) {
    throw new StrategicMergePatchError(`The order in patch list:\n${goValue(patchList)}\n doesn't match ${ORDER_PREFIX} list:\n${goValue(order)}\n`);
  }
}

interface Merged { list: Json[]; view: Json[] }

function mergeListField(original: Json[], patch: Json[], plan: FieldPlan, isDeleteList: boolean): Merged {
  // Deletion lists apply whatever the field's strategy; other non-merge lists are replaced.
  if (plan.strategy !== 'merge' && !isDeleteList) return { list: clean(patch, false) as Json[], view: original };
  if (original.length === 0 && patch.length === 0) return { list: original, view: original };
  const kind = elementKind([original, patch]);
  if (kind !== 'object') {
    if (isDeleteList) return { list: original.filter((v) => !patch.some((d) => same(d, v))), view: original };
    const merged = [...original, ...patch].filter((v, i, all) => all.findIndex((w) => same(v, w)) === i);
    return { list: normalizeOrder(...partition(merged, patch, ''), patch, original, '', kind), view: original };
  }
  if (!plan.mergeKey) throw new StrategicMergePatchError('cannot merge lists without merge key for struct');
  return mergeObjectList(original, patch, plan, kind);
}

// `view` mirrors the caller's Go slice header over the shared backing array: removals shift it
// left, and appends write into the slots that frees, up to the original length.
function mergeObjectList(original: Json[], patch: Json[], plan: FieldPlan, kind: string): Merged {
  const key = plan.mergeKey;
  const view = original.slice();
  const items = original.slice();
  const rest: Json[] = [];
  let replace = false;
  for (const element of patch as JsonObject[]) {
    if (!Object.hasOwn(element, DIRECTIVE)) rest.push(element);
    else if (element[DIRECTIVE] === 'delete') {
      keyed(element, key);
      let i = items.findIndex((v) => same((v as JsonObject)[key], element[key]));
      for (; i >= 0; i = items.findIndex((v) => same((v as JsonObject)[key], element[key]))) {
        view.copyWithin(i, i + 1, items.length);
        items.splice(i, 1);
      }
    } else if (element[DIRECTIVE] === 'replace') replace = true;
    else if (element[DIRECTIVE] === 'merge') throw new StrategicMergePatchError('merging lists cannot yet be specified in the patch');
    else throw new StrategicMergePatchError(`unknown patch type: ${goString(element[DIRECTIVE])} in map: ${goValue(element)}`);
  }
  if (replace) {
    const replacement = clean(rest, false) as Json[];
    return { list: normalizeOrder([], replacement, [], replacement, key, kind), view };
  }
  const serverOrder = items.slice();
  for (const element of rest as JsonObject[]) {
    keyed(element, key);
    const i = items.findIndex((v) => same((v as JsonObject)[key], element[key]));
    const next = i >= 0 ? mergeMap(items[i] as JsonObject, element, plan.child) : (clean(element, false) as JsonObject);
    const at = i >= 0 ? i : items.push(next) - 1;
    items[at] = next;
    if (at < view.length) view[at] = next;
  }
  return { list: normalizeOrder(...partition(items, rest, key), rest, serverOrder, key, kind), view };
}

/** Splits `list` into the elements found in `by` (by merge key, or by value for scalars) and the rest. */
function partition(list: Json[], by: Json[], mergeKey: string): [Json[], Json[]] {
  const [listed, rest]: [Json[], Json[]] = [[], []];
  for (const item of list) {
    const value = mergeKey ? keyed(item, mergeKey)[mergeKey] : item;
    const found = by.some((v, i) => {
      if (!mergeKey) return same(v, item);
      if (!isObject(v)) throw new StrategicMergePatchError(`value for key ${i} is not a map.`);
      return Object.hasOwn(v, mergeKey) && same(v[mergeKey], value);
    });
    (found ? listed : rest).push(item);
  }
  return [listed, rest];
}

// Sorts the patch items by the patch order and the server-only items by the server order, then
// interleaves them: a server-only item goes first only when the server had it before the patch item.
// New items (unknown to the server) therefore land before the remaining server-only ones.
function normalizeOrder(listed: Json[], serverOnly: Json[], patchOrder: Json[], serverOrder: Json[], mergeKey: string, kind: string): Json[] {
  const left = sortByOrder(serverOnly, serverOrder, mergeKey, kind);
  const right = sortByOrder(listed, patchOrder, mergeKey, kind);
  const out: Json[] = [];
  let [i, j] = [0, 0];
  while (i < left.length || j < right.length) {
    if (j >= right.length) out.push(left[i++]!);
    else if (i >= left.length) out.push(right[j++]!);
    else {
      const li = indexIn(serverOrder, left[i]!, mergeKey, kind);
      const ri = indexIn(serverOrder, right[j]!, mergeKey, kind);
      out.push(li >= 0 && ri >= 0 && li < ri ? left[i++]! : right[j++]!);
    }
  }
  return out;
}

function sortByOrder(items: Json[], order: Json[], mergeKey: string, kind: string): Json[] {
  if (kind === 'object') for (const item of [...items, ...order]) keyed(item, mergeKey);
  const [kept, deletes] = kind === 'object' ? splitDeletes(items) : [items, []];
  const rank = (v: Json): number => indexIn(order, v, mergeKey, kind);
  const sorted = [...kept].sort((a, b) => (rank(a) >= 0 && rank(b) >= 0 ? rank(a) - rank(b) : 0));
  return [...sorted, ...deletes];
}

function indexIn(list: Json[], item: Json, mergeKey: string, kind: string): number {
  if (kind !== 'object') return list.findIndex((v) => same(v, item));
  const keyOf = (v: Json): Json | undefined => (isObject(v) ? v[mergeKey] : undefined);
  return list.findIndex((v) => same(keyOf(v), keyOf(item)));
}

/** Separates `$patch: delete` elements (which every element must be a map to carry) from the rest. */
function splitDeletes(list: Json[]): [Json[], Json[]] {
  const [kept, deletes]: [Json[], Json[]] = [[], []];
  for (const v of list) {
    if (!isObject(v)) throw argTypeError(MAP_TYPE, v);
    (v[DIRECTIVE] === 'delete' ? deletes : kept).push(v);
  }
  return [kept, deletes];
}

function mergeKeysEqual(left: Json, right: Json, mergeKey: string): boolean {
  if (!mergeKey) return same(left, right);
  return same(keyed(left, mergeKey)[mergeKey], keyed(right, mergeKey)[mergeKey]);
}

/** `item` as a map that carries the merge key; anything else is an error, as upstream. */
function keyed(item: Json, mergeKey: string): JsonObject {
  if (!isObject(item)) throw argTypeError(MAP_TYPE, item);
  if (!Object.hasOwn(item, mergeKey)) throw new StrategicMergePatchError(`map: ${goValue(item)} does not contain declared merge key: ${mergeKey}`);
  return item;
}

/** The one element kind of the given lists; mixed kinds and nested lists are errors, as upstream. */
function elementKind(lists: Json[][]): string {
  let kind: string | undefined;
  for (const v of lists.flat()) {
    const k = kindOf(v);
    if (kind === undefined && k === 'array') throw new StrategicMergePatchError('lists of lists are not supported', 422);
    if (kind !== undefined && k !== kind) throw new StrategicMergePatchError(`list element types are not identical: ${goValue(lists)}`);
    kind = k;
  }
  if (kind === undefined) throw new StrategicMergePatchError('no elements in any of the given slices');
  return kind;
}

function extractKey(key: string, prefix: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) {
    const what = prefix === DELETE_PREFIX ? 'primitive list' : 'setElementOrder list';
    throw new StrategicMergePatchError(`invalid patch format of ${what}`, 400);
  }
  return key.slice(slash + 1);
}

/**
 * A patch value as the apiserver ends up storing it: null members and directive keys dropped. With
 * `dropMarked`, maps carrying `$patch` vanish too (upstream's removeDirectives, used for new keys);
 * otherwise only the marker goes, as in upstream's verbatim copies that the typed round trip strips.
 */
function clean(value: Json, dropMarked: boolean): Json | undefined {
  if (Array.isArray(value)) return value.map((v) => clean(v, dropMarked)).filter((v): v is Json => v !== undefined);
  if (!isObject(value)) return value;
  if (dropMarked && Object.hasOwn(value, DIRECTIVE)) return undefined;
  const out: JsonObject = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === null || key === DIRECTIVE || key === RETAIN_KEYS || key.startsWith(ORDER_PREFIX) || key.startsWith(DELETE_PREFIX)) continue;
    const c = clean(v, dropMarked);
    if (c !== undefined) put(out, key, c);
  }
  return out;
}

function putCleaned(target: JsonObject, key: string, value: Json): void {
  const c = clean(value, true);
  if (c === undefined) delete target[key];
  else put(target, key, c);
}

/** Sets an own property even for `__proto__`, which plain assignment would turn into a prototype change. */
function put(target: JsonObject, key: string, value: Json): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(value: Json | undefined): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/** Go's `==` on decoded JSON scalars; structured values (which Go cannot compare) by content. */
function same(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

function argTypeError(expected: string, actual: Json): StrategicMergePatchError {
  return new StrategicMergePatchError(`expected a ${expected}, but received a ${goType(actual)}`);
}

/** Go's reflect type name of a decoded JSON value (the apiserver decodes integers as int64). */
function goType(value: Json): string {
  if (value === null) return '<nil>';
  if (Array.isArray(value)) return LIST_TYPE;
  if (typeof value === 'object') return MAP_TYPE;
  if (typeof value === 'number') return Number.isInteger(value) ? 'int64' : 'float64';
  return typeof value === 'boolean' ? 'bool' : 'string';
}

/** Go's `%v` of a decoded JSON value: `map[k:v …]` with sorted keys, `[a b]`, `<nil>`. */
function goValue(value: Json): string {
  if (value === null) return '<nil>';
  if (Array.isArray(value)) return `[${value.map(goValue).join(' ')}]`;
  if (typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `map[${keys.map((k) => `${k}:${goValue(value[k]!)}`).join(' ')}]`;
  }
  return String(value);
}

/** Go's `%s` of a decoded JSON value: strings as is, other scalars as `%!s(type=value)`. */
function goString(value: Json | undefined): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '%!s(<nil>)';
  if (typeof value === 'object') return goValue(value);
  return `%!s(${goType(value)}=${goValue(value)})`;
}
