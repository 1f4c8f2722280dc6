// Field sets for server-side apply and metadata.managedFields, modelled on
// sigs.k8s.io/structured-merge-diff (fieldpath + typed/tofieldset.go): a set is a trie of path
// elements, each element already in its FieldsV1 spelling so that identity is string equality:
//   f:<field>          struct field or map key
//   k:{"name":"x"}     list-map item, key fields sorted by name (Go JSON spelling)
//   v:"a"              set item
//   i:3                item of a list without keys
// A node is a *member* when the path leading to it is in the set; FieldsV1 writes such a node as
// `{}`, or with a "." entry when it also has children.
import { loadDefinitions, type SchemaNode } from '../validation/schema.js';
import { fieldMeta, type FieldMeta } from './patch-meta.js';
import { ATOMIC_STRUCT_DEFINITIONS } from './patch-meta-table.js';
import { GenerationMap } from '../generation-map.js';

/** A set of field paths: a trie keyed by FieldsV1 path elements. */
export interface FieldSet {
  member: boolean;
  children: Map<string, FieldSet>;
}

/** How a value at some path merges and is tracked (the structured-merge-diff schema atom). */
export type FieldType =
  | { kind: 'scalar' }
  | { kind: 'deduced' }
  | { kind: 'struct'; definition: string | undefined; atomic: boolean }
  | { kind: 'map'; element: FieldType; atomic: boolean }
  | { kind: 'list'; element: FieldType; listType: 'atomic' | 'set' | 'map'; keys: string[] };

const REF_PREFIX = '#/definitions/';
const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
const SCALAR: FieldType = { kind: 'scalar' };
const DEDUCED: FieldType = { kind: 'deduced' };
const ATOMIC_DEDUCED_LIST: FieldType = { kind: 'list', element: DEDUCED, listType: 'atomic', keys: [] };
const DEDUCED_MAP: FieldType = { kind: 'map', element: DEDUCED, atomic: false };
// Key fields the schema defaults: an item that omits one is still identified by the default,
// as the apiserver does for ports (`k:{"containerPort":80,"protocol":"TCP"}`).
const LIST_KEY_DEFAULTS: Record<string, unknown> = { protocol: 'TCP' };

/** An empty field set. */
export function newFieldSet(): FieldSet {
  return { member: false, children: new Map() };
}

/** True when the set holds no path. */
export function isEmptySet(set: FieldSet): boolean {
  return !set.member && set.children.size === 0;
}

/** Adds one path (a list of path elements) to the set. */
export function insertPath(set: FieldSet, path: readonly string[]): void {
  let node = set;
  for (let i = 0; i < path.length; i++) {
    const el = path[i]!;
    if (node.children === NO_CHILDREN) node.children = new Map();
    let child = node.children.get(el);
    // Most nodes a comparison inserts are leaves: they share one empty map until a path goes on.
    if (!child) node.children.set(el, (child = { member: false, children: i === path.length - 1 ? NO_CHILDREN : new Map() }));
    node = child;
  }
  node.member = true;
}

/** The children of a leaf insertPath made; never changed (insertPath replaces it first). */
class ReadonlyMap<K, V> extends Map<K, V> {
  override set(): this {
    throw new Error('a shared empty child map is read-only');
  }
  override delete(): boolean {
    throw new Error('a shared empty child map is read-only');
  }
}

const NO_CHILDREN: Map<string, FieldSet> = new ReadonlyMap();

/**
 * Paths in either set. The result shares the subtrees only one side has, or that b adds nothing
 * to, rather than copying them (sets are not changed once built); it is `a` itself when b holds
 * nothing new.
 */
export function unionSets(a: FieldSet, b: FieldSet): FieldSet {
  let children: Map<string, FieldSet> | undefined;
  for (const [el, other] of b.children) {
    const mine = a.children.get(el);
    const merged = mine ? unionSets(mine, other) : other;
    if (merged === mine) continue;
    children ??= new Map(a.children);
    children.set(el, merged);
  }
  const member = a.member || b.member;
  if (!children && member === a.member) return a;
  return { member, children: children ?? new Map(a.children) };
}

/** Paths in both sets. */
export function intersectSets(a: FieldSet, b: FieldSet): FieldSet {
  const out: FieldSet = { member: a.member && b.member, children: new Map() };
  for (const [el, child] of a.children) {
    const other = b.children.get(el);
    if (!other) continue;
    const both = intersectSets(child, other);
    if (!isEmptySet(both)) out.children.set(el, both);
  }
  return out;
}

/** Paths in `a` that are not members of `b` (exact paths; b's members do not cover descendants). */
export function subtractSets(a: FieldSet, b: FieldSet): FieldSet {
  const out: FieldSet = { member: a.member && !b.member, children: new Map() };
  for (const [el, child] of a.children) {
    const other = b.children.get(el);
    const rest = other ? subtractSets(child, other) : child;
    if (!isEmptySet(rest)) out.children.set(el, rest);
  }
  return out;
}

const ELEMENT_RANK: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };

// structured-merge-diff orders elements fields < keys < values < indexes; same-kind elements
// compare by their spelling (indexes numerically).
function compareElements(a: string, b: string): number {
  const rank = (ELEMENT_RANK[a[0] ?? ''] ?? 4) - (ELEMENT_RANK[b[0] ?? ''] ?? 4);
  if (rank !== 0) return rank;
  if (a.startsWith('i:') && b.startsWith('i:')) return Number(a.slice(2)) - Number(b.slice(2));
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Calls fn for every member path: a node's own members first, then its subtrees, each in order. */
export function forEachPath(set: FieldSet, fn: (path: string[]) => void, prefix: string[] = []): void {
  const keys = [...set.children.keys()].sort(compareElements);
  for (const el of keys) if (set.children.get(el)?.member) fn([...prefix, el]);
  for (const el of keys) {
    const child = set.children.get(el);
    if (child && child.children.size > 0) forEachPath(child, fn, [...prefix, el]);
  }
}

/** The FieldsV1 JSON of a set: "." first, then elements in key order (as kubectl prints them). */
export function encodeFieldsV1(set: FieldSet): Record<string, unknown> {
  // A fresh, unfrozen copy of the interned object, in the same key order.
  return JSON.parse(JSON.stringify(internNode(set, false).obj)) as Record<string, unknown>;
}

/**
 * A set's FieldsV1 as a frozen object that shares every subtree with equal ones encoded before it:
 * the whole object when an equal set was seen (every pod of a template has its controller's set),
 * else its equal subtrees (a kubelet's status set differs between pods only under podIPs), and one
 * empty object for every leaf.
 */
export function internedFieldsV1(set: FieldSet): Readonly<Record<string, unknown>> {
  return internNode(set, false).obj;
}

/** An interned subtree and its number, which stands for it in its parent's key. */
interface EncodedNode {
  id: number;
  obj: Readonly<Record<string, unknown>>;
}

const EMPTY_FIELDS: Readonly<Record<string, unknown>> = Object.freeze({});
const LEAF: EncodedNode = { id: 0, obj: EMPTY_FIELDS };
let lastNodeId = 0;

// Hash-consing, bottom up: a node is its "." flag plus its (element, child number) pairs, so equal
// subtrees get one object and one number. A node is found by a hash of those pairs and told apart
// from others of its hash by comparing them: a key string spelling every element of the node,
// built per encoding and hashed again by the map, cost more than the rest of the encoding. A member
// node with children has "." first (the root never does: its membership is not encoded).
function internNode(set: FieldSet, dot: boolean): EncodedNode {
  if (set.children.size === 0) return LEAF;
  // Sets are not changed once built and set operations share the subtrees they leave alone, so a
  // subtree met again (the untouched part of a writer's set, decoded from its stored FieldsV1, see
  // frozenNode) is looked up by identity, not re-keyed. A set the write built itself is encoded
  // once: remembering its nodes too cost a WeakMap entry per node of every write and never hit.
  const memo = dot === set.member ? encodedSets.get(set) : undefined;
  return memo ?? internChildren(set, dot);
}

const encodedSets = new WeakMap<FieldSet, EncodedNode>();

/**
 * What identifies an interned node: its "." flag, elements and children's numbers. Kept by the
 * bounded table only: an encoding that stored objects hold (encodedObjects) carries none of it.
 */
interface InternedNode {
  encoded: EncodedNode;
  dot: boolean;
  els: readonly string[];
  ids: readonly number[];
}

function internChildren(set: FieldSet, dot: boolean): EncodedNode {
  const els = sortedElements(set);
  const objs: Array<Readonly<Record<string, unknown>>> = new Array(els.length);
  const ids: number[] = new Array(els.length);
  let hash = dot ? 1 : 0;
  for (let i = 0; i < els.length; i++) {
    const el = els[i]!;
    const child = set.children.get(el)!;
    const encoded = internNode(child, child.member);
    objs[i] = encoded.obj;
    ids[i] = encoded.id;
    hash = (Math.imul(hash ^ sampledStringHash(el), 16_777_619) + encoded.id) | 0;
  }
  const candidates = internedNodes.get(hash);
  const known = candidates && findInterned(candidates, dot, els, ids);
  if (known) return known;
  const out: Record<string, unknown> = dot ? { '.': EMPTY_FIELDS } : {};
  for (let i = 0; i < els.length; i++) out[els[i]!] = objs[i];
  const encoded: EncodedNode = { id: ++lastNodeId, obj: Object.freeze(out) };
  const node: InternedNode = { encoded, dot, els, ids };
  if (!candidates) internedNodes.set(hash, [node]);
  else if (candidates.unshift(node) > MAX_NODES_PER_HASH) candidates.pop();
  encodedObjects.set(encoded.obj, encoded);
  return encoded;
}

function findInterned(candidates: readonly InternedNode[], dot: boolean, els: readonly string[], ids: readonly number[]): EncodedNode | undefined {
  for (const c of candidates) {
    if (c.dot !== dot || c.ids.length !== ids.length) continue;
    let same = true;
    for (let i = 0; same && i < ids.length; i++) same = c.ids[i] === ids[i] && c.els[i] === els[i];
    if (same) return c.encoded;
  }
  return undefined;
}

/**
 * A hash of a string's length and five of its characters (first, third, middle, last two), for the
 * memos that look things up by hash and compare the few candidates in full: cheaper than hashing
 * every character, and the third one looks past an element's `f:`/`k:` prefix.
 */
export function sampledStringHash(s: string): number {
  const n = s.length;
  // `<< 0` turns the NaN of a position past the end into 0.
  return (Math.imul(n, 65_599) + (s.charCodeAt(0) << 20) + (s.charCodeAt(2) << 14) + (s.charCodeAt(n >> 1) << 8) + (s.charCodeAt(n - 2) << 4) + (s.charCodeAt(n - 1) << 0)) | 0;
}

// The encoding each interned object stands for, for decodeStoredFieldsV1.
const encodedObjects = new WeakMap<object, EncodedNode>();

/**
 * A node's elements in code unit order (Array#sort's default), sorted in place by insertion: most
 * nodes have a few children, and the built-in sort allocated a buffer per node of every encoding.
 */
function sortedElements(set: FieldSet): string[] {
  // Beyond a few dozen (a large list's items), insertion's quadratic cost would outweigh the buffer.
  if (set.children.size > 32) return [...set.children.keys()].sort();
  const els = new Array<string>(set.children.size);
  let n = 0;
  for (const el of set.children.keys()) {
    let i = n++;
    for (; i > 0 && els[i - 1]! > el; i--) els[i] = els[i - 1]!;
    els[i] = el;
  }
  return els;
}

// Most subtrees repeat (per template, kind and state). The bound is for those that name one object
// (a pod's IP) and for a client writing ever new shapes; the subtrees every write shares outlive
// them (a map cleared at the bound lost those too, and each write after it encoded and decoded its
// whole set again). 2,048 per generation misses no more than 8,192 did (31,385 misses against
// 31,365 in 146,000 lookups over 10,000 pods: the one-pod subtrees, new each time either way) and
// keeps 4.6 MB less of them at rest.
const internedNodes = new GenerationMap<number, InternedNode[]>(2048);
// A hash stands for one node but where sampledStringHash mixes some up; the newest are kept.
const MAX_NODES_PER_HASH = 4;

/**
 * JSON.stringify of a string that is written again and again (path elements, object keys): the
 * same few hundred are quoted on every write.
 */
export function quotedString(el: string): string {
  return quotedStrings.remember(el, JSON.stringify);
}

// Elements of list-map keys and label keys carry user values: the bound keeps a stream of ever new
// ones from growing the memos without end.
const MAX_REMEMBERED_STRINGS = 16_384;
const quotedStrings = new GenerationMap<string, string>(MAX_REMEMBERED_STRINGS);

/** Parses FieldsV1 JSON; unknown element kinds are dropped, as the apiserver does. */
export function decodeFieldsV1(fields: unknown): FieldSet {
  return isPlainObject(fields) ? asRoot(decodeNode(fields, decodeChild)) : newFieldSet();
}

/**
 * decodeFieldsV1 of a stored (frozen, never changed) FieldsV1. Stored ones share their subtrees
 * (see internedFieldsV1): each subtree is decoded once into one set node, which every set decoded
 * from it shares, and a subtree this module encoded keeps its encoding, so writing the set back
 * re-encodes only what the write changed.
 */
export function decodeStoredFieldsV1(fields: Readonly<Record<string, unknown>>): FieldSet {
  return asRoot(frozenNode(fields));
}

/** The root's own membership is never encoded; an empty root is the empty set. */
function asRoot(node: FieldSet): FieldSet {
  return node.children.size === 0 ? newFieldSet() : node.member ? { member: false, children: node.children } : node;
}

/**
 * The node of one FieldsV1 object, its children decoded by `child`. Unknown elements are dropped
 * and two spellings of one element merge; `{}` and `{".": {}, …}` both mean the path itself is in
 * the set.
 */
function decodeNode(fields: Readonly<Record<string, unknown>>, child: (value: unknown) => FieldSet): FieldSet {
  const node = newFieldSet();
  for (const raw in fields) {
    if (raw === '.') continue;
    const el = normalizeElement(raw);
    if (el === undefined) continue;
    const decoded = child(fields[raw]);
    const known = node.children.get(el);
    node.children.set(el, known ? unionSets(known, decoded) : decoded);
  }
  node.member = '.' in fields || node.children.size === 0;
  return node;
}

function decodeChild(value: unknown): FieldSet {
  return decodeNode(isPlainObject(value) ? value : {}, decodeChild);
}

function frozenNode(fields: Readonly<Record<string, unknown>>): FieldSet {
  let node = frozenNodes.get(fields);
  if (node) return node;
  node = decodeNode(fields, storedChild);
  frozenNodes.set(fields, node);
  const encoded = encodedObjects.get(fields);
  if (encoded && node.children.size > 0) encodedSets.set(node, encoded);
  return node;
}

function storedChild(value: unknown): FieldSet {
  return isPlainObject(value) && Object.isFrozen(value) ? frozenNode(value) : decodeChild(value);
}

const frozenNodes = new WeakMap<object, FieldSet>();

function normalizeElement(raw: string): string | undefined {
  const body = raw.slice(2);
  try {
    if (raw.startsWith('f:')) return raw;
    if (raw.startsWith('k:')) {
      const key: unknown = JSON.parse(body);
      return isPlainObject(key) ? keyElement(key) : undefined;
    }
    if (raw.startsWith('v:')) return valueElement(JSON.parse(body));
    if (raw.startsWith('i:') && /^-?\d+$/.test(body)) return `i:${Number(body)}`;
  } catch {
    return undefined;
  }
  return undefined;
}

/**
 * The struct-field / map-key element `f:<name>`. Remembered: every comparison names every field of
 * both versions, and a remembered string also keeps its hash for the set lookups it goes into.
 */
export function fieldElement(name: string): string {
  return fieldElements.remember(name, (n) => `f:${n}`);
}

// Map keys are user data (labels, annotations, ConfigMap keys): bounded like quotedString.
const fieldElements = new GenerationMap<string, string>(MAX_REMEMBERED_STRINGS);

/** The list-map item element `k:{…}` with key fields sorted by name. */
export function keyElement(key: Record<string, unknown>): string {
  const sorted: Record<string, unknown> = {};
  for (const name of Object.keys(key).sort()) sorted[name] = key[name];
  return `k:${goJson(sorted)}`;
}

/** The set item element `v:<json>`. */
export function valueElement(value: unknown): string {
  return `v:${goJson(value)}`;
}

// encoding/json escapes <, > and & (and U+2028/9); FieldsV1 keys must be spelled the same way.
function goJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The path element of one list item: by key fields, by value, or by position. */
export function listItemElement(type: Extract<FieldType, { kind: 'list' }>, item: unknown, index: number): string {
  if (type.listType === 'set') return valueElement(item);
  if (type.listType === 'map' && isPlainObject(item)) {
    if (type.keys.length === 1) {
      const name = type.keys[0]!;
      const value = item[name] ?? LIST_KEY_DEFAULTS[name];
      if (typeof value === 'string' || typeof value === 'number') return singleKeyElement(name, value);
    }
    const key: Record<string, unknown> = {};
    for (const name of type.keys) {
      const value = item[name] ?? LIST_KEY_DEFAULTS[name];
      if (value !== undefined && value !== null) key[name] = value;
    }
    return keyElement(key);
  }
  return `i:${index}`;
}

/**
 * keyElement of a one-field key, remembered: conditions by type and containers by name are named
 * again on every comparison of every write, and each naming built an object and its JSON.
 */
function singleKeyElement(name: string, value: string | number): string {
  let byValue = singleKeyElements.get(name);
  // Key field names come from the schema, so they are few; values that name one object (pod IPs)
  // are what the bound is for.
  if (!byValue) singleKeyElements.set(name, (byValue = new GenerationMap(MAX_REMEMBERED_STRINGS)));
  return byValue.remember(value, (v) => keyElement({ [name]: v }));
}

const singleKeyElements = new Map<string, GenerationMap<string | number, string>>();

/** A path as the apiserver prints it in conflicts: `.spec.containers[name="nginx"].image`. */
export function pathString(path: readonly string[]): string {
  return path.map(elementString).join('');
}

function elementString(el: string): string {
  const body = el.slice(2);
  if (el.startsWith('f:')) return `.${body}`;
  if (el.startsWith('i:')) return `[${body}]`;
  if (el.startsWith('v:')) return `[=${valueString(JSON.parse(body))}]`;
  const key = JSON.parse(body) as Record<string, unknown>;
  return `[${Object.entries(key).map(([k, v]) => `${k}=${valueString(v)}`).join(',')}]`;
}

// Strings are Go-quoted, numbers and booleans bare (structured-merge-diff value.ToString).
function valueString(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** True for a JSON object (not an array, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The type at the root of an object of `definition` (undefined: unknown kind, metadata still typed). */
export function rootType(definition: string | undefined): FieldType {
  if (definition && loadDefinitions()[definition]?.properties) return { kind: 'struct', definition, atomic: false };
  return { kind: 'struct', definition: undefined, atomic: false };
}

/** Makes a deduced type concrete for a value: objects are granular maps, arrays atomic lists. */
export function resolveType(type: FieldType, value: unknown): FieldType {
  if (type.kind !== 'deduced') return type;
  if (Array.isArray(value)) return ATOMIC_DEDUCED_LIST;
  return isPlainObject(value) ? DEDUCED_MAP : SCALAR;
}

/** The type of `key` inside a struct or map, and whether it is a named struct field. */
export function childType(parent: FieldType, key: string): { type: FieldType; named: boolean } {
  if (parent.kind === 'map') return { type: parent.element, named: false };
  if (parent.kind !== 'struct') return { type: DEDUCED, named: false };
  if (parent.definition === undefined) return { type: key === 'metadata' ? definitionType(OBJECT_META, {}) : DEDUCED, named: true };
  let byKey = childTypes.get(parent.definition);
  if (!byKey) childTypes.set(parent.definition, (byKey = new Map()));
  const cached = byKey.get(key);
  if (cached) return cached;
  const node = loadDefinitions()[parent.definition]?.properties?.[key];
  if (!node) return { type: DEDUCED, named: true };
  const found = { type: nodeType(node, fieldMeta(parent.definition, key)), named: true };
  byKey.set(key, found);
  return found;
}

// Field types of schema properties, by definition and field: the schema never changes, every
// managedFields computation asks for the same few hundred, and types are never changed once made.
const childTypes = new Map<string, Map<string, { type: FieldType; named: boolean }>>();

function nodeType(node: SchemaNode, meta: FieldMeta): FieldType {
  if (node.$ref) return definitionType(node.$ref.slice(REF_PREFIX.length), meta);
  if (node.type === 'array') return listType(node.items ?? {}, meta);
  if (node.additionalProperties) return { kind: 'map', element: nodeType(node.additionalProperties, {}), atomic: meta.mapType === 'atomic' };
  if (node.type === 'object' || node['x-kubernetes-preserve-unknown-fields']) return DEDUCED;
  return SCALAR;
}

function definitionType(name: string, meta: FieldMeta): FieldType {
  const def = loadDefinitions()[name];
  if (!def) return DEDUCED;
  const atomic = meta.structType === 'atomic' || meta.mapType === 'atomic';
  // A +structType=atomic struct is atomic wherever it appears, list items included (ownerReferences).
  if (def.properties) return { kind: 'struct', definition: name, atomic: atomic || ATOMIC_STRUCT_DEFINITIONS.has(name) };
  if (def.additionalProperties) return { kind: 'map', element: nodeType(def.additionalProperties, {}), atomic };
  if (def.type === 'object' || def['x-kubernetes-preserve-unknown-fields']) return DEDUCED;
  return SCALAR;
}

// listType wins; without it a merge patch strategy makes the list associative (keyed by the
// patch merge key, or a set of primitives); everything else is atomic.
function listType(items: SchemaNode, meta: FieldMeta): FieldType {
  const element = nodeType(items, {});
  const keys = meta.listMapKeys?.length ? meta.listMapKeys : meta.patchMergeKey ? [meta.patchMergeKey] : [];
  let kind = meta.listType;
  if (!kind) {
    const merge = (meta.patchStrategy ?? '').split(',').includes('merge');
    kind = merge ? (meta.patchMergeKey ? 'map' : 'set') : 'atomic';
  }
  if (kind === 'map' && (keys.length === 0 || element.kind === 'scalar')) kind = 'atomic';
  if (kind === 'set' && element.kind !== 'scalar') kind = 'atomic';
  return { kind: 'list', element, listType: kind, keys: kind === 'map' ? keys : [] };
}

/** True when the value at this type is tracked as one leaf (scalars and atomic containers). */
export function isAtomicType(type: FieldType): boolean {
  if (type.kind === 'scalar') return true;
  if (type.kind === 'list') return type.listType === 'atomic';
  return (type.kind === 'struct' || type.kind === 'map') && type.atomic;
}

/** The set of every leaf field and list/map item an object mentions (structured-merge-diff ToFieldSet). */
export function toFieldSet(value: unknown, type: FieldType): FieldSet {
  const set = newFieldSet();
  collectFields(value, type, set);
  return set;
}

function collectFields(value: unknown, declared: FieldType, node: FieldSet): void {
  const type = resolveType(declared, value);
  if (isAtomicType(type)) {
    node.member = true;
    return;
  }
  if (type.kind === 'list' && Array.isArray(value)) {
    value.forEach((item, i) => {
      const child = childNode(node, listItemElement(type, item, i));
      collectFields(item, type.element, child);
      child.member = true;
    });
  } else if (isPlainObject(value)) {
    for (const [key, v] of Object.entries(value)) {
      if (v === undefined) continue;
      const { type: t, named } = childType(type, key);
      const child = childNode(node, fieldElement(key));
      collectFields(v, t, child);
      // Map keys are items of their map; named struct fields count only through their leaves.
      if (!named) child.member = true;
      if (isEmptySet(child)) node.children.delete(fieldElement(key));
    }
  }
}

function childNode(node: FieldSet, el: string): FieldSet {
  let child = node.children.get(el);
  if (!child) node.children.set(el, (child = newFieldSet()));
  return child;
}
