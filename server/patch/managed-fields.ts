// metadata.managedFields: which manager owns which fields. Modelled on apimachinery
// pkg/util/managedfields/internal (managedfields.go, stripmeta.go, managedfieldsupdater.go) and
// structured-merge-diff merge/update.go (Update) and typed/compare.go.
import type { KubeObject } from '../../schemas/types/meta.js';
import {
  childType,
  decodeFieldsV1,
  decodeStoredFieldsV1,
  fieldElement,
  internedFieldsV1,
  insertPath,
  isAtomicType,
  isEmptySet,
  isPlainObject,
  listItemElement,
  newFieldSet,
  resolveType,
  rootType,
  subtractSets,
  unionSets,
  type FieldSet,
  type FieldType,
} from './fieldpath.js';
import { cloneJSON, jsonEqual } from '../registry/strategy.js';
import { fillStructFields, fillValueStructs, needsFill } from './value-structs.js';

/** One decoded managedFields entry. */
export interface ManagerEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time?: string;
  subresource?: string;
  set: FieldSet;
}

/** What changed between two objects: leaves and items added, modified (leaves only), removed. */
export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

// validation.FieldManagerMaxLength: the user-agent prefix is cut to this many UTF-8 bytes.
const FIELD_MANAGER_MAX_BYTES = 128;
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;
// Never owned by anyone (stripmeta.go): type meta and server-set metadata.
const UNTRACKED_PATHS = [
  ['apiVersion'],
  ['kind'],
  ['metadata'],
  ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion'].map((f) => ['metadata', f]),
].map((path) => path.map(fieldElement));
/** The field manager for a write without ?fieldManager: the User-Agent up to the first `/`. */
export function defaultFieldManager(userAgent: string | undefined): string {
  const prefix = (userAgent ?? '').split('/')[0] ?? '';
  let out = '';
  let bytes = 0;
  for (const ch of prefix) {
    if (!PRINTABLE.test(ch)) continue;
    const size = Buffer.byteLength(ch);
    if (bytes + size > FIELD_MANAGER_MAX_BYTES) break;
    out += ch;
    bytes += size;
  }
  return out;
}

/** The identity entries merge under: manager, operation, subresource, and apiVersion for updates. */
export function managerIdentifier(entry: Pick<ManagerEntry, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  // Every write asks again for the few identities its managers have (the kubelet's status writes,
  // the controllers'): the recent ones are found by comparing their parts, not spelt again.
  for (const r of recentIdentifiers) {
    if (r.manager === entry.manager && r.operation === entry.operation && r.apiVersion === entry.apiVersion && r.subresource === entry.subresource) return r.id;
  }
  const id = spellIdentifier(entry);
  recentIdentifiers[nextRecentIdentifier] = { manager: entry.manager, operation: entry.operation, apiVersion: entry.apiVersion, subresource: entry.subresource, id };
  nextRecentIdentifier = (nextRecentIdentifier + 1) % RECENT_IDENTIFIERS;
  return id;
}

const RECENT_IDENTIFIERS = 16;
const recentIdentifiers: Array<Pick<ManagerEntry, 'manager' | 'operation' | 'apiVersion' | 'subresource'> & { id: string }> = [];
let nextRecentIdentifier = 0;

function spellIdentifier(entry: Pick<ManagerEntry, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  // Same field order and omissions as the apiserver's JSON of a ManagedFieldsEntry; appliers
  // keep one identity across API versions.
  const id: Record<string, string> = {};
  if (entry.manager) id.manager = entry.manager;
  id.operation = entry.operation;
  if (entry.operation === 'Update' && entry.apiVersion) id.apiVersion = entry.apiVersion;
  if (entry.subresource) id.subresource = entry.subresource;
  return JSON.stringify(id);
}

/**
 * Decodes metadata.managedFields by identifier; malformed entries are skipped. `sources` collects
 * each set decoded from a stored (frozen) fieldsV1 with that fieldsV1, for encodeManagedFields.
 */
export function decodeManagedFields(entries: unknown, sources?: FieldsSources): Map<string, ManagerEntry> {
  const out = new Map<string, ManagerEntry>();
  if (!Array.isArray(entries)) return out;
  for (const raw of entries) {
    if (!isPlainObject(raw)) continue;
    const { manager, operation, apiVersion, time, subresource, fieldsType, fieldsV1 } = raw;
    if (operation !== 'Apply' && operation !== 'Update') continue;
    if (typeof apiVersion !== 'string' || apiVersion === '' || fieldsType !== 'FieldsV1') continue;
    const stored = isPlainObject(fieldsV1) && Object.isFrozen(fieldsV1);
    const entry: ManagerEntry = { manager: typeof manager === 'string' ? manager : '', operation, apiVersion, set: stored ? decodeStoredFieldsV1(fieldsV1) : decodeFieldsV1(fieldsV1) };
    if (sources && stored) sources.set(entry.set, fieldsV1);
    if (typeof time === 'string') entry.time = time;
    if (typeof subresource === 'string' && subresource) entry.subresource = subresource;
    out.set(managerIdentifier(entry), entry);
  }
  return out;
}

/**
 * Where a decoded set came from. Most entries of a write (every manager but the writer) come out of
 * it unchanged, as the same set object: their stored fieldsV1, frozen and never changed, is written
 * back as is instead of being encoded again (the encoding of a decoded stored set is that fieldsV1).
 */
export type FieldsSources = Map<FieldSet, Readonly<Record<string, unknown>>>;

/** Encodes entries in the apiserver's order: operation, time, manager, apiVersion, subresource. */
export function encodeManagedFields(managers: Map<string, ManagerEntry>, sources?: FieldsSources): Record<string, unknown>[] | undefined {
  const entries = [...managers.values()].filter((e) => !isEmptySet(e.set));
  if (entries.length === 0) return undefined;
  if (entries.length > 1) {
    // Each entry's time parsed once, not on every comparison of the sort.
    const times = new Map(entries.map((e) => [e, e.time ? Math.floor(Date.parse(e.time) / 1000) || 0 : 0]));
    const order = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
    entries.sort(
      (p, q) =>
        order(p.operation, q.operation) ||
        times.get(p)! - times.get(q)! ||
        order(p.manager, q.manager) ||
        order(p.apiVersion, q.apiVersion) ||
        order(p.subresource ?? '', q.subresource ?? ''),
    );
  }
  return entries.map((e) => {
    // Key order of the Go struct, so stored JSON reads like the apiserver's.
    const out: Record<string, unknown> = { manager: e.manager, operation: e.operation, apiVersion: e.apiVersion };
    if (e.time) out.time = e.time;
    out.fieldsType = 'FieldsV1';
    out.fieldsV1 = sources?.get(e.set) ?? internedFieldsV1(e.set);
    if (e.subresource) out.subresource = e.subresource;
    return out;
  });
}

/** Writes the entries onto the object (or removes managedFields when none is left). */
export function setManagedFields(obj: KubeObject, managers: Map<string, ManagerEntry>, sources?: FieldsSources): void {
  const encoded = encodeManagedFields(managers, sources);
  if (encoded) obj.metadata.managedFields = encoded;
  else delete obj.metadata.managedFields;
}

/** The set without the paths nobody may own (type meta, server-set metadata). */
export function stripUntracked(set: FieldSet): FieldSet {
  return subtractSets(set, untrackedPaths());
}

function untrackedPaths(): FieldSet {
  if (!untracked) {
    untracked = newFieldSet();
    for (const path of UNTRACKED_PATHS) insertPath(untracked, path);
  }
  return untracked;
}

let untracked: FieldSet | undefined;

/** RFC 3339 with whole seconds, as metav1.Time serialises. */
export function toSeconds(time: string): string {
  return time.replace(/\.\d+(?=Z$)/, '');
}

/**
 * A deep copy as ownership sees it: no managedFields, value structs present, and the part the
 * endpoint resets left out (status on the main resource, spec on /status). `shared` lets the views
 * of two versions share one view of a field both hold by reference (see fieldView).
 */
export function trackedView(obj: KubeObject | undefined, type: FieldType, subresource: string | undefined, shared?: SharedViews, metadataView?: unknown): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  // The part left out is not even copied: on a status write of a pod, that is the whole spec.
  const dropped = subresource === undefined ? 'status' : subresource === 'status' ? 'spec' : undefined;
  for (const [key, value] of Object.entries(obj ?? {})) {
    if (key === dropped) continue;
    view[key] = key === 'metadata' ? (metadataView ?? metadataWithoutManagedFields(value, childType(type, key).type)) : fieldView(value, childType(type, key).type, shared);
  }
  const t = resolveType(type, view);
  if (t.kind === 'struct' && t.definition) {
    const present = new Set(Object.keys(view));
    fillStructFields(view, t.definition, t);
    // The part left out comes back as `{}`; filling its insides (a whole PodSpec's) is wasted.
    for (const key of Object.keys(view)) if (!present.has(key) && key !== dropped) fillValueStructs(view[key], childType(t, key).type, 1);
  }
  if (dropped) delete view[dropped];
  return view;
}

/**
 * Metadata less managedFields, which the view drops anyway and which is its largest part, with
 * its value structs filled: a shallow copy when none is missing (the comparison only reads),
 * else a filled deep one.
 */
function metadataWithoutManagedFields(meta: unknown, type: FieldType): unknown {
  if (!isPlainObject(meta)) return cloneJSON(meta);
  const { managedFields: _, ...rest } = meta;
  if (!needsFill(rest, type, 1)) return rest;
  const filled = cloneJSON(rest);
  fillValueStructs(filled, type, 1);
  return filled;
}

/** Views of top-level fields already built for one comparison, by the field's value; read-only. */
export type SharedViews = Map<object, { type: FieldType; view: unknown }>;

/**
 * The filled copy (or the field itself, when nothing is to fill) of one top-level field. A write usually keeps the untouched fields of the stored
 * object by reference (spec on a status write), so both versions get one view of such a field and
 * the comparison skips it as identical. The views live for one comparison only: kept with the
 * stored objects, they were a second copy of every object in memory.
 */
function fieldView(value: unknown, type: FieldType, shared: SharedViews | undefined): unknown {
  if (value === null || typeof value !== 'object') return value;
  const seen = shared?.get(value);
  // Types come from a memo (childType), so one field's type is one object.
  if (seen && seen.type === type) return seen.view;
  // The comparison only reads views: a field with no value struct missing is its own view.
  let copy = value;
  if (needsFill(value, type, 1)) fillValueStructs((copy = cloneJSON(value) as object), type, 1);
  shared?.set(value, { type, view: copy });
  return copy;
}

/** Compares two objects field by field (structured-merge-diff TypedValue.Compare). */
export function compareObjects(lhs: unknown, rhs: unknown, type: FieldType): Comparison {
  const c: Comparison = { added: newFieldSet(), modified: newFieldSet(), removed: newFieldSet() };
  compareAt(lhs, rhs, type, [], c);
  return c;
}

function compareAt(lhs: unknown, rhs: unknown, declared: FieldType, path: string[], c: Comparison): void {
  // One shared view (an untouched field of both versions) holds no difference.
  if (lhs === rhs && lhs !== undefined && typeof lhs === 'object') return;
  // null is present but empty: a required list the Go zero value writes as null is not "added"
  // when it fills up, yet its content compares like an absent value.
  const l = lhs ?? undefined;
  const r = rhs ?? undefined;
  const type = resolveType(declared, r ?? l);
  if (isLeaf(type, l, r)) {
    if (lhs === undefined) insertPath(c.added, path);
    else if (rhs === undefined) insertPath(c.removed, path);
    else if (!deepEqual(lhs, rhs)) insertPath(c.modified, path);
    return;
  }
  if (type.kind === 'list') compareLists(l as unknown[] | undefined, r as unknown[] | undefined, type, path, c);
  else compareMaps(l as Record<string, unknown> | undefined, r as Record<string, unknown> | undefined, type, path, c);
  // A container that appears or disappears as a whole is itself added or removed.
  if (path.length === 0) return;
  if (lhs === undefined) insertPath(c.added, path);
  else if (rhs === undefined) insertPath(c.removed, path);
}

function isLeaf(type: FieldType, l: unknown, r: unknown): boolean {
  if (isAtomicType(type)) return true;
  const wantArray = type.kind === 'list';
  if (notContainer(l, wantArray) || notContainer(r, wantArray)) return true;
  // Both sides empty: a leaf, which keeps `{}` / `[]` apart from a missing field.
  return isEmptyContainer(l) && isEmptyContainer(r);
}

/** A present value of another kind than the type's container. */
function notContainer(v: unknown, wantArray: boolean): boolean {
  return v !== undefined && (wantArray ? !Array.isArray(v) : !isPlainObject(v));
}

function isEmptyContainer(v: unknown): boolean {
  if (v === undefined) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (!isPlainObject(v)) return false;
  for (const _ in v) return false;
  return true;
}

function compareLists(l: unknown[] | undefined, r: unknown[] | undefined, type: Extract<FieldType, { kind: 'list' }>, path: string[], c: Comparison): void {
  const left = indexListItems(l ?? [], type);
  const right = indexListItems(r ?? [], type);
  for (const [el, item] of left) {
    path.push(el);
    compareAt(item, right.get(el), type.element, path, c);
    path.pop();
  }
  for (const [el, item] of right) {
    if (left.has(el)) continue;
    path.push(el);
    compareAt(undefined, item, type.element, path, c);
    path.pop();
  }
}

/** List items by path element; a repeated element keeps its first item. */
export function indexListItems(list: unknown[], type: Extract<FieldType, { kind: 'list' }>): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (let i = 0; i < list.length; i++) {
    const el = listItemElement(type, list[i], i);
    if (!out.has(el)) out.set(el, list[i]);
  }
  return out;
}

function compareMaps(l: Record<string, unknown> | undefined, r: Record<string, unknown> | undefined, type: FieldType, path: string[], c: Comparison): void {
  // Own keys only: a label named "constructor" is not Object.prototype's.
  for (const key in l) compareField(l[key], r !== undefined && Object.hasOwn(r, key) ? r[key] : undefined, type, key, path, c);
  for (const key in r) if (l === undefined || !Object.hasOwn(l, key)) compareField(undefined, r[key], type, key, path, c);
}

function compareField(lhs: unknown, rhs: unknown, type: FieldType, key: string, path: string[], c: Comparison): void {
  path.push(fieldElement(key));
  compareAt(lhs, rhs, childType(type, key).type, path, c);
  path.pop();
}

/** Structural JSON equality (a key holding undefined counts as absent). Runs on every leaf: allocates nothing. */
function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (!isPlainObject(a) || !isPlainObject(b)) return false;
  let keys = 0;
  for (const k in a) {
    if (a[k] === undefined) continue;
    if (!deepEqual(a[k], b[k])) return false;
    keys++;
  }
  for (const k in b) if (b[k] !== undefined) keys--;
  return keys === 0;
}

/** Manager entries to start from: the request's own managedFields if it sent any, else the live ones. */
function startingManagers(old: KubeObject | undefined, next: KubeObject, sources: FieldsSources): Map<string, ManagerEntry> {
  const sent = next.metadata.managedFields;
  if (Array.isArray(sent) && sent.length > 0) return decodeManagedFields(sent, sources);
  return decodeManagedFields(old?.metadata.managedFields, sources);
}

/**
 * Records a non-apply write in next.metadata.managedFields: the manager takes every field the
 * write added or changed, other managers lose those fields and every removed one, and entries
 * left empty disappear.
 * @example updateManagedFields(live, updated, { manager: 'kubectl-edit', operation: 'Update', apiVersion: 'apps/v1', time, definition })
 */
export function updateManagedFields(
  old: KubeObject | undefined,
  next: KubeObject,
  opts: { manager: string; operation: 'Update'; apiVersion: string; time: string; definition: string | undefined; subresource?: string },
): void {
  const type = rootType(opts.definition);
  if (old && updateOwnValues(old, next, opts, type)) return;
  const sources: FieldsSources = new Map();
  const managers = startingManagers(old, next, sources);
  const shared: SharedViews = new Map();
  const before = trackedView(old, type, opts.subresource, shared);
  // Metadata the write left as it was (every status write) gets the old view: the comparison
  // skips a shared view as identical.
  const sameMetadata = old !== undefined && jsonEqual(old.metadata, next.metadata, (k) => k === 'managedFields');
  const cmp = compareObjects(before, trackedView(next, type, opts.subresource, shared, sameMetadata ? before.metadata : undefined), type);
  const changed = unionSets(cmp.added, cmp.modified);
  const owned = stripUntracked(changed);
  const entry: ManagerEntry = { manager: opts.manager, operation: 'Update', apiVersion: opts.apiVersion, time: toSeconds(opts.time), set: owned };
  if (opts.subresource) entry.subresource = opts.subresource;
  const id = managerIdentifier(entry);
  // Other managers lose what the write changed or removed. The writer keeps its set less what was
  // removed and less the untracked paths (structured-merge-diff's Updater.Update, then the
  // apiserver's stripMeta on the writer's entry), and takes what it changed: so its set, and its
  // stored FieldsV1, stay as they were when it already owned every field it changed (the
  // kubelet's usual status write).
  for (const [other, e] of managers) e.set = subtractShared(subtractShared(e.set, other === id ? untrackedPaths() : changed), cmp.removed);
  // A write that changed nothing trackable leaves the manager's entry (and its time) alone.
  if (!isEmptySet(owned)) {
    const previous = managers.get(id);
    if (previous) entry.set = isSubset(owned, previous.set) ? previous.set : unionSets(previous.set, owned);
    managers.set(id, entry);
  }
  for (const [id, entry] of managers) if (isEmptySet(entry.set)) managers.delete(id);
  setManagedFields(next, managers, sources);
}

/**
 * updateManagedFields for the most frequent write of all: a writer changing values it alone owns,
 * with every key and list as it was (a Lease renewal, an Event's count, a status counter). The
 * comparison would find exactly those leaves changed, owned already and by nobody else, so the
 * result is the stored entries with the writer's time moved on, worked out here without the views
 * and the comparison. False, with nothing done, for any other write.
 */
function updateOwnValues(old: KubeObject, next: KubeObject, opts: UpdateOptions, type: FieldType): boolean {
  // A writer with no entry yet (a kubelet's first status of a pod) cannot own what it changes.
  if (!hasEntryOf(next.metadata.managedFields?.length ? next.metadata.managedFields : old.metadata.managedFields, opts)) return false;
  const dropped = opts.subresource === undefined ? 'status' : opts.subresource === 'status' ? 'spec' : undefined;
  for (const key in next) if (key !== 'metadata' && key !== dropped && !Object.hasOwn(old, key) && next[key] !== undefined) return false;
  const changed: string[][] = [];
  for (const key in old) {
    if (key === 'metadata' || key === dropped) continue;
    if (!collectAt(old[key], Object.hasOwn(next, key) ? next[key] : undefined, childType(type, key).type, [], fieldElement(key), changed)) return false;
  }
  if (changed.length === 0 || !jsonEqual(old.metadata, next.metadata, (k) => k === 'managedFields' || k === 'resourceVersion')) return false;
  const sources: FieldsSources = new Map();
  const managers = startingManagers(old, next, sources);
  const entry: ManagerEntry = { manager: opts.manager, operation: 'Update', apiVersion: opts.apiVersion, time: toSeconds(opts.time), set: newFieldSet() };
  if (opts.subresource) entry.subresource = opts.subresource;
  const id = managerIdentifier(entry);
  const previous = managers.get(id);
  if (!previous) return false;
  for (const path of changed) {
    if (!ownsPath(previous.set, path)) return false;
    for (const [other, e] of managers) if (other !== id && ownsPath(e.set, path)) return false;
  }
  // stripMeta, as on any write of this manager (a no-op unless a client wrote untracked paths in).
  entry.set = subtractShared(previous.set, untrackedPaths());
  managers.set(id, entry);
  setManagedFields(next, managers, sources);
  return true;
}

type UpdateOptions = Parameters<typeof updateManagedFields>[2];

// The keys of an entry as encodeManagedFields spells it: only such an entry comes out of a write
// unchanged but for its time.
const ENTRY_KEYS = 'manager,operation,apiVersion,time,fieldsType,fieldsV1';

/**
 * The managedFields an Update leaves when its writer is the object's only manager, owns every
 * path in `changed`, and the write changed nothing but values at those paths: the writer's entry
 * with its time moved on. That is what updateManagedFields computes for such a write (see
 * updateOwnValues); this is for a writer that knows what it changed (the kubelet renewing its
 * Lease) and so needs no comparison of the two objects. Undefined for any other entries.
 */
export function soleManagerUpdate(entries: unknown, opts: Pick<UpdateOptions, 'manager' | 'apiVersion' | 'time'>, changed: ReadonlyArray<readonly string[]>): Record<string, unknown>[] | undefined {
  if (!Array.isArray(entries) || entries.length !== 1) return undefined;
  const entry: unknown = entries[0];
  if (!isPlainObject(entry) || Object.keys(entry).join() !== ENTRY_KEYS) return undefined;
  if (entry.manager !== opts.manager || opts.manager === '' || entry.operation !== 'Update' || entry.apiVersion !== opts.apiVersion || entry.fieldsType !== 'FieldsV1') return undefined;
  const fieldsV1 = entry.fieldsV1;
  // A stored (frozen) fieldsV1 is decoded once and comes out of the update as the same object.
  if (!isPlainObject(fieldsV1) || !Object.isFrozen(fieldsV1)) return undefined;
  const set = decodeStoredFieldsV1(fieldsV1);
  // The update's stripMeta would drop untracked paths, and a changed path not owned yet would join the set.
  if (subtractShared(set, untrackedPaths()) !== set || !changed.every((path) => ownsPath(set, path.map(fieldElement)))) return undefined;
  return [{ ...entry, time: toSeconds(opts.time) }];
}

/** Whether the raw managedFields may hold the writer's Update entry (a cheap look before decoding them). */
function hasEntryOf(entries: unknown, opts: UpdateOptions): boolean {
  if (!Array.isArray(entries)) return false;
  return entries.some((e) => isPlainObject(e) && e.operation === 'Update' && e.apiVersion === opts.apiVersion &&
    (typeof e.manager === 'string' ? e.manager : '') === opts.manager && (e.subresource || undefined) === (opts.subresource || undefined));
}

/**
 * Collects the paths of the leaves whose value changed between two versions of a field (scalars
 * and atomic containers), into list items too when both versions hold the same items in the same
 * order (a condition's time or message); false when a key, a list item or a value's kind changed,
 * which only the full comparison handles. `path` is the caller's, restored on return.
 */
function collectValueChanges(a: unknown, b: unknown, type: FieldType, path: string[], out: string[][]): boolean {
  if (a === b) return true;
  if ((a === undefined) !== (b === undefined) || a === null || b === null) return false;
  const t = resolveType(type, a);
  if (isAtomicType(t)) {
    if (Array.isArray(a) !== Array.isArray(b) || isPlainObject(a) !== isPlainObject(b) || (typeof a !== 'object' && typeof a !== typeof b)) return false;
    if (!deepEqual(a, b)) out.push([...path]);
    return true;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || t.kind !== 'list' || a.length !== b.length) return false;
    const seen = new Set<string>();
    for (let i = 0; i < a.length; i++) {
      const el = listItemElement(t, a[i], i);
      // A repeated item is one the comparison pairs only once: leave it to the comparison.
      if (el !== listItemElement(t, b[i], i) || seen.has(el)) return false;
      seen.add(el);
      if (!collectAt(a[i], b[i], t.element, path, el, out)) return false;
    }
    return true;
  }
  if (!isPlainObject(a) || !isPlainObject(b)) return false;
  // A key added or removed gives up before any value is compared: a status write that adds a field
  // (a Deployment's first ready replica) would otherwise compare every value ahead of it first.
  for (const key in b) if (!Object.hasOwn(a, key) && b[key] !== undefined) return false;
  for (const key in a) if (!Object.hasOwn(b, key) && a[key] !== undefined) return false;
  for (const key in a) if (!collectAt(a[key], Object.hasOwn(b, key) ? b[key] : undefined, childType(t, key).type, path, fieldElement(key), out)) return false;
  return true;
}

function collectAt(a: unknown, b: unknown, type: FieldType, path: string[], el: string, out: string[][]): boolean {
  path.push(el);
  const ok = collectValueChanges(a, b, type, path, out);
  path.pop();
  return ok;
}

/** Whether the set holds this very path as a member. */
function ownsPath(set: FieldSet, path: readonly string[]): boolean {
  let node: FieldSet | undefined = set;
  for (const el of path) {
    node = node.children.get(el);
    if (!node) return false;
  }
  return node.member;
}

/**
 * subtractSets that returns `a` itself when `b` removes nothing from it, and shares a's untouched
 * subtrees otherwise, so unchanged sets keep their cached encoding. Same result as subtractSets for
 * the sets in play here: decoded and computed sets have no empty non-member nodes to prune.
 */
function subtractShared(a: FieldSet, b: FieldSet): FieldSet {
  let children: Map<string, FieldSet> | undefined;
  for (const [el, other] of b.children) {
    const mine = a.children.get(el);
    if (!mine) continue;
    const rest = subtractShared(mine, other);
    if (rest === mine) continue;
    children ??= new Map(a.children);
    if (isEmptySet(rest)) children.delete(el);
    else children.set(el, rest);
  }
  const member = a.member && !b.member;
  if (!children && member === a.member) return a;
  return { member, children: children ?? a.children };
}

/** Every path of `a` is in `b`. */
function isSubset(a: FieldSet, b: FieldSet): boolean {
  if (a.member && !b.member) return false;
  for (const [el, child] of a.children) {
    const other = b.children.get(el);
    if (!other || !isSubset(child, other)) return false;
  }
  return true;
}
