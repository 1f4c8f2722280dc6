// Server-side apply (PATCH application/apply-patch+yaml), modelled on structured-merge-diff
// merge/update.go (Apply, prune, conflicts) and typed/merge.go, with the apiserver's conflict
// wording from apimachinery pkg/util/managedfields/internal/conflict.go.
import type { KubeObject } from '../../schemas/types/meta.js';
import {
  childType,
  forEachPath,
  intersectSets,
  isAtomicType,
  isEmptySet,
  isPlainObject,
  listItemElement,
  pathString,
  resolveType,
  rootType,
  subtractSets,
  toFieldSet,
  unionSets,
  type FieldSet,
  type FieldType,
} from './fieldpath.js';
import {
  compareObjects,
  decodeManagedFields,
  indexListItems,
  managerIdentifier,
  setManagedFields,
  stripUntracked,
  toSeconds,
  trackedView,
  type ManagerEntry,
} from './managed-fields.js';
import { cloneJSON } from '../registry/strategy.js';

/** One field another manager owns and this apply would change. */
export interface ApplyConflict {
  manager: string;
  apiVersion: string;
  /** The path as the apiserver prints it, e.g. `.spec.replicas`. */
  field: string;
  /** The StatusCause message, e.g. `conflict with "kubectl-edit" using apps/v1`. */
  message: string;
}

/** Thrown when an apply without force would change fields other managers own (409 Conflict). */
export class ApplyConflictError extends Error {
  override name = 'ApplyConflictError';
  /** Conflicts grouped by manager, in the order the message lists them. */
  readonly conflicts: ApplyConflict[];

  constructor(conflicts: ApplyConflict[], message: string) {
    super(message);
    this.conflicts = conflicts;
  }
}

type ListType = Extract<FieldType, { kind: 'list' }>;

/**
 * Applies `applied` (the manifest as sent) on top of `live` for `opts.manager` and returns the
 * new object with managedFields updated. Throws ApplyConflictError unless `opts.force`.
 * @example serverSideApply(live, manifest, { manager: 'kubectl', force: false, apiVersion: 'apps/v1', time, definition })
 */
export function serverSideApply(
  live: KubeObject | undefined,
  applied: KubeObject,
  opts: { manager: string; force: boolean; apiVersion: string; time: string; definition: string | undefined },
): KubeObject {
  const type = rootType(opts.definition);
  const config = appliedConfig(applied);
  const current = trackedView(live, type, undefined);
  const managers = decodeManagedFields(live?.metadata.managedFields);
  const id = managerIdentifier({ manager: opts.manager, operation: 'Apply', apiVersion: opts.apiVersion });
  const previous = managers.get(id);
  const entry: ManagerEntry = { manager: opts.manager, operation: 'Apply', apiVersion: opts.apiVersion, set: stripUntracked(toFieldSet(config, type)) };
  managers.set(id, entry);

  const merged = mergeValues(withoutManagedFields(live), config, type) as KubeObject;
  if (previous) pruneValue(merged, type, previous.set, ownedByAnyone(managers), true);

  const cmp = compareObjects(current, trackedView(merged, type, undefined), type);
  const changed = unionSets(cmp.added, cmp.modified);
  const conflicts = findConflicts(managers, id, changed);
  if (conflicts.length > 0 && !opts.force) throw new ApplyConflictError(conflicts, conflictMessage(conflicts, managers));
  for (const [other, e] of managers) {
    // Forcing hands the conflicting fields over; removed fields belong to nobody any more.
    if (other !== id) e.set = subtractSets(subtractSets(e.set, changed), cmp.removed);
  }
  for (const [key, e] of managers) if (isEmptySet(e.set)) managers.delete(key);
  // A no-op apply keeps the previous timestamp, as the apiserver does.
  const unchanged = previous !== undefined && isEmptySet(changed) && isEmptySet(cmp.removed);
  entry.time = unchanged && previous.time ? previous.time : toSeconds(opts.time);
  if (!merged.metadata || typeof merged.metadata !== 'object') merged.metadata = {};
  setManagedFields(merged, managers);
  return merged;
}

// The configuration as ownership sees it: nulls mean "not set", managedFields may not be applied,
// and status is not applied through the main resource (its strategy resets it).
function appliedConfig(applied: KubeObject): Record<string, unknown> {
  const config = dropNulls(cloneJSON(applied)) as Record<string, unknown>;
  if (isPlainObject(config.metadata)) delete config.metadata.managedFields;
  delete config.status;
  return config;
}

function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== null).map(dropNulls);
  if (!isPlainObject(value)) return value;
  for (const [k, v] of Object.entries(value)) {
    if (v === null || v === undefined) delete value[k];
    else value[k] = dropNulls(v);
  }
  return value;
}

function withoutManagedFields(live: KubeObject | undefined): unknown {
  if (!live) return undefined;
  const copy = cloneJSON(live);
  delete copy.metadata.managedFields;
  return copy;
}

/** Merges the applied value into the live one: maps and keyed lists merge, leaves take `applied`. */
function mergeValues(live: unknown, applied: unknown, declared: FieldType): unknown {
  if (applied === undefined) return cloneJSON(live);
  if (live === undefined || live === null) return cloneJSON(applied);
  const type = resolveType(declared, applied);
  if (isAtomicType(type)) return cloneJSON(applied);
  if (type.kind === 'list') {
    if (!Array.isArray(live) || !Array.isArray(applied)) return cloneJSON(applied);
    return mergeLists(live, applied, type);
  }
  if (!isPlainObject(live) || !isPlainObject(applied)) return cloneJSON(applied);
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(live)) out[key] = key in applied ? mergeValues(v, applied[key], childType(type, key).type) : cloneJSON(v);
  for (const [key, v] of Object.entries(applied)) if (!(key in live)) out[key] = cloneJSON(v);
  return out;
}

// Items keep the applied order; live-only items stay where they were relative to the shared ones
// (the ordering of structured-merge-diff's list merge).
function mergeLists(live: unknown[], applied: unknown[], type: ListType): unknown[] {
  const left = indexListItems(live, type);
  const right = indexListItems(applied, type);
  const leftOrder = [...left.keys()];
  const rightOrder = [...right.keys()];
  const shared = rightOrder.filter((el) => left.has(el));
  const merge = (el: string): unknown => mergeValues(left.get(el), right.get(el), type.element);
  const out: unknown[] = [];
  let li = 0;
  let ri = 0;
  let si = 0;
  while (li < leftOrder.length || ri < rightOrder.length) {
    const l = leftOrder[li];
    const r = rightOrder[ri];
    if (l !== undefined && l === r) {
      out.push(merge(l));
      li++;
      ri++;
      si++;
    } else if (l !== undefined && !right.has(l)) {
      out.push(cloneJSON(left.get(l)));
      li++;
    } else if (l !== undefined && (r === undefined || shared[si] !== l)) {
      // A shared item met out of turn: it is written when the applied order reaches it.
      li++;
    } else if (r !== undefined) {
      out.push(merge(r));
      ri++;
      if (shared[si] === r) si++;
    }
  }
  return out;
}

// Every path some manager owns, plus each named struct field above an owned path, so a struct
// survives pruning when anything inside it is still owned (EnsureNamedFieldsAreMembers).
function ownedByAnyone(managers: Map<string, ManagerEntry>): FieldSet {
  let owned: FieldSet = { member: false, children: new Map() };
  for (const e of managers.values()) owned = unionSets(owned, e.set);
  return owned;
}

function ownsPath(owned: FieldSet | undefined, named: boolean): boolean {
  if (!owned) return false;
  return owned.member || (named && owned.children.size > 0);
}

/**
 * Removes what the applier applied last time and no longer applies, unless someone still owns
 * it: a previous path goes when it, or a container above it, is owned by nobody.
 */
function pruneValue(value: unknown, declared: FieldType, last: FieldSet, owned: FieldSet | undefined, ancestorsOwned: boolean): void {
  const type = resolveType(declared, value);
  for (const [el, lastChild] of last.children) {
    const slot = findChild(value, type, el);
    if (!slot) continue;
    const ownedChild = owned?.children.get(el);
    const ownedHere = ancestorsOwned && ownsPath(ownedChild, slot.named);
    if (lastChild.member && !ownedHere) {
      slot.remove();
      continue;
    }
    if (lastChild.children.size === 0) continue;
    const wasEmpty = isEmptyValue(slot.value);
    pruneValue(slot.value, slot.type, lastChild, ownedChild, ownedHere);
    // A container emptied by pruning disappears, like the null the apiserver leaves behind.
    if (!wasEmpty && isEmptyValue(slot.value)) slot.remove();
  }
  if (Array.isArray(value)) compactArray(value);
}

interface ChildSlot {
  value: unknown;
  type: FieldType;
  named: boolean;
  remove: () => void;
}

const REMOVED = Symbol('removed');

function findChild(value: unknown, type: FieldType, el: string): ChildSlot | undefined {
  if (Array.isArray(value) && type.kind === 'list') {
    const i = value.findIndex((item, index) => item !== REMOVED && listItemElement(type, item, index) === el);
    if (i < 0) return undefined;
    // Mark now, compact after the loop, so positional (`i:`) elements keep their meaning.
    return { value: value[i], type: type.element, named: false, remove: () => void (value[i] = REMOVED) };
  }
  if (!isPlainObject(value) || !el.startsWith('f:')) return undefined;
  const key = el.slice(2);
  if (!(key in value)) return undefined;
  const { type: t, named } = childType(type, key);
  return { value: value[key], type: t, named, remove: () => void delete value[key] };
}

function compactArray(list: unknown[]): void {
  for (let i = list.length - 1; i >= 0; i--) if (list[i] === REMOVED) list.splice(i, 1);
}

function isEmptyValue(v: unknown): boolean {
  if (Array.isArray(v)) return v.length === 0;
  return isPlainObject(v) && Object.keys(v).length === 0;
}

function findConflicts(managers: Map<string, ManagerEntry>, self: string, changed: FieldSet): ApplyConflict[] {
  const conflicts: ApplyConflict[] = [];
  for (const id of [...managers.keys()].sort()) {
    const e = managers.get(id)!;
    if (id === self) continue;
    const overlap = intersectSets(e.set, changed);
    forEachPath(overlap, (path) => {
      conflicts.push({ manager: e.manager, apiVersion: e.apiVersion, field: pathString(path), message: `conflict with ${printManager(e)}` });
    });
  }
  return conflicts;
}

// `"kubectl-edit" using apps/v1` for updaters; appliers are named without a version.
function printManager(e: ManagerEntry): string {
  let out = JSON.stringify(e.manager);
  if (e.subresource) out += ` with subresource ${JSON.stringify(e.subresource)}`;
  return e.operation === 'Update' ? `${out} using ${e.apiVersion}` : out;
}

/** The apiserver's message: one conflict inline, several grouped per manager, one per line. */
function conflictMessage(conflicts: ApplyConflict[], managers: Map<string, ManagerEntry>): string {
  if (conflicts.length === 1) return `Apply failed with 1 conflict: ${conflicts[0]!.message}: ${conflicts[0]!.field}`;
  const lines: string[] = [];
  for (const id of [...managers.keys()].sort()) {
    const e = managers.get(id)!;
    const mine = conflicts.filter((c) => c.message === `conflict with ${printManager(e)}`);
    if (mine.length === 0) continue;
    lines.push(`conflicts with ${printManager(e)}:`);
    for (const c of mine) lines.push(`- ${c.field}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}
