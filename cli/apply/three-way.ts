/**
 * The three-way strategic merge patch of client-side apply. Port of apimachinery
 * pkg/util/strategicpatch/patch.go (CreateThreeWayMergePatch, diffMaps, diffLists, mergeMap for
 * two patches): the changes and additions from the live object to the new manifest, plus the
 * deletions from the last-applied configuration to the new manifest, with the `$setElementOrder`,
 * `$deleteFromPrimitiveList`, `$retainKeys` and `$patch: delete` directives the server understands.
 */
import { lookupPatchMeta } from './patch-meta.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonMap = { [k: string]: Json };

interface DiffOptions {
  ignoreChangesAndAdditions: boolean;
  ignoreDeletions: boolean;
  setElementOrder: boolean;
  buildRetainKeys: boolean;
}

/** Where a diff is: the object's kind and the field path (list elements skipped) for patch metadata. */
interface Ctx {
  kind: string;
  path: string[];
}

/**
 * The patch that takes `current` to `modified`, deleting what `original` (the last applied
 * configuration) had and `modified` no longer has; `{}` when nothing changes.
 *
 * @example
 * createThreeWayMergePatch({ a: 1, b: 2 }, { a: 3 }, { a: 1, b: 2, c: 9 }, 'ConfigMap'); // { a: 3, b: null }
 */
export function createThreeWayMergePatch(original: JsonMap | undefined, modified: JsonMap, current: JsonMap, kind: string): JsonMap {
  const ctx: Ctx = { kind, path: [] };
  const delta = diffMaps(current, modified, ctx, { ignoreChangesAndAdditions: false, ignoreDeletions: true, setElementOrder: true, buildRetainKeys: false });
  const deletions = diffMaps(original ?? {}, modified, ctx, { ignoreChangesAndAdditions: true, ignoreDeletions: false, setElementOrder: false, buildRetainKeys: false });
  return mergePatches(deletions, delta, ctx);
}

function typeOf(v: Json | undefined): string {
  if (v === null || v === undefined) return 'null';
  return Array.isArray(v) ? 'array' : typeof v;
}

/** reflect.DeepEqual on decoded JSON. */
export function deepEqual(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  const ta = typeOf(a);
  if (ta !== typeOf(b)) return false;
  if (ta === 'array') {
    const x = a as Json[];
    const y = b as Json[];
    return x.length === y.length && x.every((v, i) => deepEqual(v, y[i]));
  }
  if (ta === 'object') {
    const x = a as JsonMap;
    const y = b as JsonMap;
    const kx = Object.keys(x);
    return kx.length === Object.keys(y).length && kx.every((k) => k in y && deepEqual(x[k], y[k]));
  }
  return false;
}

function child(ctx: Ctx, key: string): Ctx {
  return { kind: ctx.kind, path: [...ctx.path, key] };
}

function diffMaps(original: JsonMap, modified: JsonMap, ctx: Ctx, o: DiffOptions): JsonMap {
  const patch: JsonMap = {};
  const retainKeys: string[] = [];
  for (const [key, mod] of Object.entries(modified)) {
    if (o.buildRetainKeys && mod !== null) retainKeys.push(key);
    if (!(key in original)) {
      if (!o.ignoreChangesAndAdditions) patch[key] = mod;
      continue;
    }
    const orig = original[key]!;
    if (typeOf(orig) !== typeOf(mod)) {
      if (!o.ignoreChangesAndAdditions) patch[key] = mod;
      continue;
    }
    if (typeOf(orig) === 'object') handleMapDiff(key, orig as JsonMap, mod as JsonMap, patch, child(ctx, key), o);
    else if (typeOf(orig) === 'array') handleSliceDiff(key, orig as Json[], mod as Json[], patch, child(ctx, key), o);
    else replaceIfNotEqual(key, orig, mod, patch, o);
  }
  if (!o.ignoreDeletions) {
    for (const key of Object.keys(original)) if (!(key in modified)) patch[key] = null;
  }
  if (retainKeys.length > 0 && (Object.keys(patch).length > 0 || hasAdditionalNewField(original, modified))) patch['$retainKeys'] = sortScalars(retainKeys);
  return patch;
}

function hasAdditionalNewField(original: JsonMap, modified: JsonMap): boolean {
  return Object.entries(original).some(([k, v]) => v !== null && !(k in modified));
}

function replaceIfNotEqual(key: string, orig: Json, mod: Json, patch: JsonMap, o: DiffOptions): void {
  if (o.ignoreChangesAndAdditions || deepEqual(orig, mod)) return;
  patch[key] = mod;
}

function handleMapDiff(key: string, orig: JsonMap, mod: JsonMap, patch: JsonMap, ctx: Ctx, o: DiffOptions): void {
  const meta = lookupPatchMeta(ctx.kind, ctx.path);
  const sub = diffMaps(orig, mod, ctx, { ...o, buildRetainKeys: meta.strategy === 'retainKeys' });
  if (Object.keys(sub).length > 0) patch[key] = sub;
}

function handleSliceDiff(key: string, orig: Json[], mod: Json[], patch: JsonMap, ctx: Ctx, o: DiffOptions): void {
  const meta = lookupPatchMeta(ctx.kind, ctx.path);
  if (!meta.strategy?.startsWith('merge')) {
    replaceIfNotEqual(key, orig, mod, patch, o);
    return;
  }
  const opts = { ...o, buildRetainKeys: meta.strategy.includes('retainKeys') };
  const { add, del, order } = diffLists(orig, mod, ctx, meta.mergeKey ?? '', opts);
  if (add.length > 0) patch[key] = add;
  if (del.length > 0) patch[`$deleteFromPrimitiveList/${key}`] = del;
  if (order.length > 0) patch[`$setElementOrder/${key}`] = order;
}

/** Go's fmt %v of a merge-key value, the string lists are sorted and matched by. */
function keyString(v: Json | undefined): string {
  return v === null || v === undefined ? '<nil>' : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function byKey(list: Json[], mergeKey: string): JsonMap[] {
  return [...(list as JsonMap[])].sort((a, b) => cmp(keyString(a[mergeKey]), keyString(b[mergeKey])));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortScalars(list: Json[]): Json[] {
  return [...list].sort((a, b) => cmp(keyString(a), keyString(b)));
}

function diffLists(orig: Json[], mod: Json[], ctx: Ctx, mergeKey: string, o: DiffOptions): { add: Json[]; del: Json[]; order: Json[] } {
  const isMaps = [...orig, ...mod].some((v) => typeOf(v) === 'object');
  if (!isMaps) {
    const { add, del } = diffScalars(orig, mod, o);
    const changed = (!o.ignoreDeletions && del.length > 0) || (!o.ignoreChangesAndAdditions && !deepEqual(orig, mod));
    return { add: normalizeOrder(add, mod, ''), del, order: o.setElementOrder && changed ? mod : [] };
  }
  const { patch, deletions } = diffListsOfMaps(orig, mod, ctx, mergeKey, o);
  const add = [...normalizeOrder(patch, mod, mergeKey), ...deletions];
  const orderSame = isOrderSame(orig, mod, mergeKey);
  const wantOrder = (!o.ignoreChangesAndAdditions && (add.length > 0 || !orderSame)) || (!o.ignoreDeletions && add.length > 0);
  const order = o.setElementOrder && wantOrder ? (mod as JsonMap[]).map((v) => ({ [mergeKey]: v[mergeKey]! })) : [];
  return { add, del: [], order };
}

function isOrderSame(orig: Json[], mod: Json[], mergeKey: string): boolean {
  return orig.length === mod.length && orig.every((v, i) => keyString((v as JsonMap)[mergeKey]) === keyString((mod[i] as JsonMap)[mergeKey]));
}

function diffScalars(orig: Json[], mod: Json[], o: DiffOptions): { add: Json[]; del: Json[] } {
  const a = sortScalars(orig);
  const b = sortScalars(mod);
  const add: Json[] = [];
  const del: Json[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const c = i < a.length && j < b.length ? cmp(keyString(a[i]), keyString(b[j])) : i < a.length ? -1 : 1;
    if (c === 0) {
      i++;
      j++;
    } else if (c > 0) {
      if (!o.ignoreChangesAndAdditions) add.push(b[j]!);
      j++;
    } else {
      if (!o.ignoreDeletions) del.push(a[i]!);
      i++;
    }
  }
  return { add, del };
}

function diffListsOfMaps(orig: Json[], mod: Json[], ctx: Ctx, mergeKey: string, o: DiffOptions): { patch: Json[]; deletions: Json[] } {
  const a = byKey(orig, mergeKey);
  const b = byKey(mod, mergeKey);
  const patch: Json[] = [];
  const deletions: Json[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const c = i < a.length && j < b.length ? cmp(keyString(a[i]![mergeKey]), keyString(b[j]![mergeKey])) : i < a.length ? -1 : 1;
    if (c === 0) {
      const sub = diffMaps(a[i]!, b[j]!, ctx, o);
      if (Object.keys(sub).length > 0) patch.push({ ...sub, [mergeKey]: b[j]![mergeKey]! });
      i++;
      j++;
    } else if (c > 0) {
      if (!o.ignoreChangesAndAdditions) patch.push(b[j]!);
      j++;
    } else {
      if (!o.ignoreDeletions) deletions.push({ $patch: 'delete', [mergeKey]: a[i]![mergeKey]! });
      i++;
    }
  }
  return { patch, deletions };
}

/** The elements of `list` in the order their keys have in `order` (normalizeSliceOrder). */
function normalizeOrder(list: Json[], order: Json[], mergeKey: string): Json[] {
  const keyOf = (v: Json) => keyString(mergeKey ? (v as JsonMap)[mergeKey] : v);
  const index = new Map(order.map((v, i) => [keyOf(v), i]));
  return [...list].sort((x, y) => (index.get(keyOf(x)) ?? -1) - (index.get(keyOf(y)) ?? -1));
}

/** mergeMap of the deletions patch (original) and the delta patch, as CreateThreeWayMergePatch does. */
function mergePatches(original: JsonMap, patch: JsonMap, ctx: Ctx): JsonMap {
  const out: JsonMap = { ...original };
  for (const [k, pv] of Object.entries(patch)) {
    if (k.startsWith('$')) {
      out[k] = pv;
      continue;
    }
    const ov = out[k];
    if (pv === null || !(k in out) || typeOf(ov) !== typeOf(pv)) {
      out[k] = pv;
      continue;
    }
    if (typeOf(pv) === 'object') out[k] = mergePatches(ov as JsonMap, pv as JsonMap, child(ctx, k));
    else if (typeOf(pv) === 'array') out[k] = mergeLists(ov as Json[], pv as Json[], child(ctx, k));
    else out[k] = pv;
  }
  return out;
}

function mergeLists(orig: Json[], patch: Json[], ctx: Ctx): Json[] {
  const { mergeKey, strategy } = lookupPatchMeta(ctx.kind, ctx.path);
  if (!strategy?.startsWith('merge')) return patch;
  if (!mergeKey || ![...orig, ...patch].some((v) => typeOf(v) === 'object')) {
    const seen = new Set<string>();
    return [...orig, ...patch].filter((v) => !seen.has(keyString(v)) && seen.add(keyString(v)));
  }
  const key = (v: Json) => keyString((v as JsonMap)[mergeKey]);
  const merged = orig.map((ov) => {
    const match = patch.find((pv) => key(pv) === key(ov));
    return match === undefined ? ov : mergePatches(ov as JsonMap, match as JsonMap, ctx);
  });
  const fresh = patch.filter((pv) => !orig.some((ov) => key(ov) === key(pv)));
  const all = [...merged, ...fresh];
  const inPatch = normalizeOrder(all.filter((v) => patch.some((pv) => key(pv) === key(v))), patch, mergeKey);
  const serverOnly = normalizeOrder(all.filter((v) => !patch.some((pv) => key(pv) === key(v))), orig, mergeKey);
  return mergeSorted(serverOnly, inPatch, orig, key);
}

/** mergeSortedSlice: interleaves two ordered lists by their positions in `order`, right first when unknown. */
function mergeSorted(left: Json[], right: Json[], order: Json[], key: (v: Json) => string): Json[] {
  const index = (v: Json) => order.findIndex((o) => key(o) === key(v));
  const out: Json[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]!);
    else if (j >= right.length) out.push(left[i++]!);
    else {
      const li = index(left[i]!);
      const ri = index(right[j]!);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]!);
      else out.push(right[j++]!);
    }
  }
  return out;
}

/**
 * The two-way strategic merge patch from `original` to `modified` (CreateTwoWayMergePatch), which
 * `edit` sends: changes, additions and deletions with element-order directives.
 */
export function createTwoWayMergePatch(original: JsonMap, modified: JsonMap, kind: string): JsonMap {
  return diffMaps(original, modified, { kind, path: [] }, { ignoreChangesAndAdditions: false, ignoreDeletions: false, setElementOrder: true, buildRetainKeys: false });
}
