// managedFields of a create, remembered by the object's ownership shape. A create's entry is the
// writer's Update entry owning every field the object holds (structured-merge-diff compares it
// with nothing), so it depends only on which fields are there, never on their scalar values: the
// events of one recorder (about seven per pod) share a handful of shapes, as do the pods of one
// ReplicaSet, and computing the set (a filled deep copy, a comparison, an encoding) once per shape
// was most of the managedFields work of such a create.
import type { KubeObject } from '../../schemas/types/meta.js';
import { GenerationMap } from '../generation-map.js';
import { childType, isPlainObject, listItemElement, rootType, sampledStringHash, type FieldType } from './fieldpath.js';
import { toSeconds, updateManagedFields as update } from './managed-fields.js';

export { defaultFieldManager } from './managed-fields.js';

type UpdateOptions = Parameters<typeof update>[2];

/**
 * A remembered shape: a skeleton of the first object of it (see skeletonOf) and its fieldsV1, null
 * when the create owns nothing trackable. The fieldsV1 is frozen, so the stored objects share one
 * (storage freezes them anyway and nothing changes a stored fieldsV1).
 */
interface Shape {
  skeleton: unknown;
  fieldsV1: Readonly<Record<string, unknown>> | null;
  /** The elements naming the first object's owner references, when the shape leaves their values out (see ownersOf). */
  owners?: readonly string[];
}

// By definition, then by a hash of the shape; a hash's few shapes are told apart by their
// skeletons. Building a key string per create (a thousand characters for a pod, hashed and
// compared again by the Map) was most of the memo's cost; hashing and matching allocate nothing.
const byShape = new Map<string, GenerationMap<number, Shape[]>>();
// Shapes are few (one per workload template and event kind); the bound, per definition, only stops
// a client that creates ever new shapes (objects that each name another owner) from growing the
// memo without end.
const MAX_SHAPES = 2048;
// A hash stands for one shape but where sampledStringHash mixes some up; the newest are kept.
const MAX_SHAPES_PER_HASH = 4;
// A pod of a ReplicaSet weighs about 400 (see hashShape); a large object (an EndpointSlice of many
// endpoints, a ConfigMap of long values) is seldom created twice alike.
const MAX_SHAPE_WEIGHT = 4096;

/** managed-fields' updateManagedFields; a create comes from the memo when an object of its shape was created before. */
export function updateManagedFields(old: KubeObject | undefined, next: KubeObject, opts: UpdateOptions): void {
  const sent = next.metadata.managedFields;
  // Managers sent with the create take part in the result: only the plain case is remembered.
  if (old || (Array.isArray(sent) && sent.length > 0) || opts.subresource !== undefined) return update(old, next, opts);
  weight = 0;
  const owners = ownersOf(next);
  abstractOwners = owners;
  const hash = hashShape(next);
  if (weight > MAX_SHAPE_WEIGHT) return computeInFull(next, opts);
  let shapes = byShape.get(opts.definition ?? '');
  if (!shapes) byShape.set(opts.definition ?? '', (shapes = new GenerationMap(MAX_SHAPES)));
  const candidates = shapes.get(hash);
  const known = candidates && findShape(candidates, next);
  if (!known) {
    const skeleton = skeletonOf(next);
    computeInFull(next, opts);
    const fieldsV1 = (next.metadata.managedFields?.[0] as { fieldsV1?: Record<string, unknown> } | undefined)?.fieldsV1;
    const shape: Shape = { skeleton, fieldsV1: fieldsV1 ? freeze(fieldsV1) : null };
    if (owners) shape.owners = ownerElements(owners);
    if (!candidates) shapes.set(hash, [shape]);
    else if (candidates.unshift(shape) > MAX_SHAPES_PER_HASH) candidates.pop();
    return;
  }
  abstractOwners = undefined;
  // A skeleton made with the owners left out only matches an object whose owners were left out too.
  const fieldsV1 = known.owners && known.fieldsV1 ? owners && withOwners(known.fieldsV1, known.owners, ownerElements(owners)) : known.fieldsV1;
  if (fieldsV1 === undefined) return computeInFull(next, opts);
  if (fieldsV1 === null) {
    delete next.metadata.managedFields;
    return;
  }
  // encodeManagedFields' spelling of the single entry (Go struct field order).
  next.metadata.managedFields = [{ manager: opts.manager, operation: 'Update', apiVersion: opts.apiVersion, time: toSeconds(opts.time), fieldsType: 'FieldsV1', fieldsV1 }];
}

function computeInFull(next: KubeObject, opts: UpdateOptions): void {
  abstractOwners = undefined;
  update(undefined, next, opts);
}

/*
 * Owner references are the one list whose items' values differ between objects that are otherwise
 * alike: each ReplicaSet of its Deployment, the pods of each ReplicaSet. Kept in the shape, they
 * made every such create compute its set in full (a fifth of a one-replica Deployment's
 * managedFields work). The items' values matter only through the element naming each item in the
 * set (`k:{"uid":…}`), so plain owner references are left out of the shape (keys and kinds stay in)
 * and a remembered set gets the new object's elements in place of the first object's.
 */

/** The list the shape walk leaves the item values out of, for the create being looked up. */
let abstractOwners: unknown[] | undefined;

/** metadata.ownerReferences when it is plain: items of scalars with distinct string uids. */
function ownersOf(obj: KubeObject): unknown[] | undefined {
  const refs: unknown = obj.metadata.ownerReferences;
  if (!Array.isArray(refs) || refs.length === 0) return undefined;
  const uids = new Set<string>();
  for (const ref of refs) {
    if (!isPlainObject(ref) || typeof ref.uid !== 'string' || uids.has(ref.uid)) return undefined;
    for (const k in ref) {
      const v = ref[k];
      if (typeof v !== 'string' && typeof v !== 'boolean' && typeof v !== 'number') return undefined;
    }
    uids.add(ref.uid);
  }
  return refs;
}

function ownerElements(owners: readonly unknown[]): string[] {
  ownersType ??= childType(childType(rootType(undefined), 'metadata').type, 'ownerReferences').type as Extract<FieldType, { kind: 'list' }>;
  return owners.map((ref, i) => listItemElement(ownersType!, ref, i));
}

let ownersType: Extract<FieldType, { kind: 'list' }> | undefined;

/**
 * A remembered set with the owner references' elements renamed, in the encoding's order ("."
 * first, then the elements sorted); the set itself when they are the same (the pods of one
 * ReplicaSet). Undefined when the set does not hold them as expected.
 */
function withOwners(fieldsV1: Readonly<Record<string, unknown>>, was: readonly string[], now: readonly string[]): Readonly<Record<string, unknown>> | undefined {
  if (was.every((el, i) => el === now[i])) return fieldsV1;
  const meta = fieldsV1['f:metadata'];
  const refs = isPlainObject(meta) ? meta['f:ownerReferences'] : undefined;
  if (!isPlainObject(meta) || !isPlainObject(refs) || Object.keys(refs).length !== was.length + ('.' in refs ? 1 : 0)) return undefined;
  const items: Array<[string, unknown]> = [];
  for (let i = 0; i < was.length; i++) {
    if (!Object.hasOwn(refs, was[i]!)) return undefined;
    items.push([now[i]!, refs[was[i]!]]);
  }
  items.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const renamed: Record<string, unknown> = '.' in refs ? { '.': refs['.'] } : {};
  for (const [el, sub] of items) renamed[el] = sub;
  return Object.freeze({ ...fieldsV1, 'f:metadata': Object.freeze({ ...meta, 'f:ownerReferences': Object.freeze(renamed) }) });
}

function findShape(candidates: Shape[], obj: KubeObject): Shape | undefined {
  for (const s of candidates) if (sameShape(obj, s.skeleton)) return s;
  return undefined;
}

/*
 * What the field set of a create depends on: every key (a present key is owned even when its value
 * is undefined), the kind of every value (object or scalar decide the type and the leaves), and
 * how each list item is identified. Scalar values do not matter, except within a list item: a
 * list-map item is named by its key fields and a set item by its value, and those are scalars at
 * the item's top level, so there the values are part of the shape too (more than needed, never
 * less). The pods of one ReplicaSet share a shape (containers, ports and the owner reference alike).
 * Two objects with the same keys in another order have one shape: a field set has no order.
 */

/** How much a shape holds: values visited plus the length of the item scalars it keeps. */
let weight = 0;

/** A hash of the shape: objects of one shape hash alike (keys mix in without their order); sameShape tells apart the ones it mixes up. */
function hashShape(value: unknown): number {
  weight++;
  if (value === null) return 1;
  if (Array.isArray(value)) {
    let h = 2 + value.length;
    const items = value === abstractOwners ? hashShape : hashItem;
    for (let i = 0; i < value.length; i++) h = (Math.imul(h, 31) + items(value[i])) | 0;
    return h;
  }
  if (typeof value !== 'object') return TYPE_HASH[typeof value] ?? 3;
  let h = 4;
  for (const k in value) h = (h + Math.imul(sampledStringHash(k), 17) + hashShape((value as Record<string, unknown>)[k])) | 0;
  return h;
}

function hashItem(item: unknown): number {
  if (item === null || typeof item !== 'object') return hashScalar(item);
  if (Array.isArray(item)) return hashShape(item);
  weight++;
  let h = 5;
  for (const k in item) {
    const v = (item as Record<string, unknown>)[k];
    h = (h + Math.imul(sampledStringHash(k), 17) + (v !== null && typeof v === 'object' ? hashShape(v) : hashScalar(v))) | 0;
  }
  return h;
}

function hashScalar(v: unknown): number {
  weight++;
  if (typeof v === 'string') {
    weight += v.length;
    return sampledStringHash(v);
  }
  return typeof v === 'number' ? (v * 1_000_003) | 0 : v === true ? 7 : v === false ? 11 : 13;
}

const TYPE_HASH: Record<string, number> = { string: 21, number: 22, boolean: 23, undefined: 24 };

/** An item scalar kept in a skeleton: its value is part of the shape. */
class ItemScalar {
  constructor(readonly value: unknown) {}
}

/**
 * The shape as a tree: objects and arrays as such, a scalar as the name of its type, an item's
 * scalar as its value. It holds no long strings but the item scalars (the weight bounds those).
 */
function skeletonOf(value: unknown): unknown {
  if (value === null) return null;
  if (Array.isArray(value)) return value.map(value === abstractOwners ? skeletonOf : itemSkeleton);
  if (typeof value !== 'object') return typeof value;
  const out: Record<string, unknown> = {};
  for (const k in value) out[k] = skeletonOf((value as Record<string, unknown>)[k]);
  return out;
}

function itemSkeleton(item: unknown): unknown {
  if (item === null || typeof item !== 'object') return new ItemScalar(item);
  if (Array.isArray(item)) return skeletonOf(item);
  const out: Record<string, unknown> = {};
  for (const k in item) {
    const v = (item as Record<string, unknown>)[k];
    out[k] = v !== null && typeof v === 'object' ? skeletonOf(v) : new ItemScalar(v);
  }
  return out;
}

/** Whether value has the shape the skeleton was made from. */
function sameShape(value: unknown, skeleton: unknown): boolean {
  if (value === null || skeleton === null) return value === skeleton;
  if (Array.isArray(value)) {
    if (!Array.isArray(skeleton) || skeleton.length !== value.length) return false;
    const item = value === abstractOwners ? sameShape : sameItem;
    for (let i = 0; i < value.length; i++) if (!item(value[i], skeleton[i])) return false;
    return true;
  }
  if (typeof value !== 'object') return typeof value === skeleton;
  return sameKeys(value as Record<string, unknown>, skeleton, sameShape);
}

function sameItem(item: unknown, skeleton: unknown): boolean {
  if (item === null || typeof item !== 'object') return skeleton instanceof ItemScalar && skeleton.value === item;
  if (Array.isArray(item)) return sameShape(item, skeleton);
  return sameKeys(item as Record<string, unknown>, skeleton, sameItemField);
}

/** A field of a list item: nested values by shape, scalars by value. */
function sameItemField(value: unknown, skeleton: unknown): boolean {
  return value !== null && typeof value === 'object' ? sameShape(value, skeleton) : sameItem(value, skeleton);
}

/** Same keys (in any order), each value matching the skeleton's by `match`. */
function sameKeys(value: Record<string, unknown>, skeleton: unknown, match: (v: unknown, s: unknown) => boolean): boolean {
  if (skeleton === null || typeof skeleton !== 'object' || Array.isArray(skeleton) || skeleton instanceof ItemScalar) return false;
  const s = skeleton as Record<string, unknown>;
  let keys = 0;
  for (const k in value) {
    if (!Object.hasOwn(s, k) || !match(value[k], s[k])) return false;
    keys++;
  }
  for (const _ in s) keys--;
  return keys === 0;
}

function freeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) freeze(v);
  }
  return o;
}
