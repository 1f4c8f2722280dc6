import { REF_PREFIX } from './ajv.js';
import { definitionFor, loadDefinitions, type SchemaNode } from './schema.js';

/**
 * Makes a decoded body look like the apiserver's round trip through Go structs: a `null` field
 * decodes to its zero value and an empty optional map or list is left out (`omitempty`), so
 * neither is ever stored or served. Structs stay, even when empty (`resources: {}`, `emptyDir: {}`),
 * because encoding/json never omits them.
 */
export function normalizeLikeGo(group: string, version: string, kind: string, obj: unknown): void {
  const name = definitionFor(group, version, kind);
  if (!name) return;
  const times = VALUE_TIME_FIELDS[name];
  if (!times || obj === null || typeof obj !== 'object') return visitRef(loadDefinitions(), name, obj);
  // A null one stays where the writer put it (Go's field order), so it hides from the null pruning.
  const o = obj as Record<string, unknown>;
  for (const field of times) if (o[field] === null) o[field] = ZERO_TIME;
  visitRef(loadDefinitions(), name, obj);
  for (const field of times) if (o[field] === undefined || o[field] === ZERO_TIME) o[field] = null;
}

/** Stands in for a null value time during the pruning: an object that the time's schema leaves alone. */
const ZERO_TIME = Object.freeze({});

/**
 * Top-level time fields that are Go values, not pointers: an absent or null one decodes to the
 * zero time, which encodes as null, so the apiserver always prints them. Every Event a legacy
 * recorder writes shows `eventTime: null`; one written through events.k8s.io shows
 * `firstTimestamp: null` and `lastTimestamp: null` in core/v1.
 */
const VALUE_TIME_FIELDS: Record<string, readonly string[]> = {
  'io.k8s.api.core.v1.Event': ['firstTimestamp', 'lastTimestamp', 'eventTime'],
  'io.k8s.api.events.v1.Event': ['eventTime', 'deprecatedFirstTimestamp', 'deprecatedLastTimestamp'],
};

function visitRef(defs: Record<string, SchemaNode>, name: string, value: unknown): void {
  const node = defs[name];
  if (node) visit(defs, node, value);
}

/**
 * The definition a `$ref` names. Remembered per ref: a walk meets the same few hundred refs on
 * every write, and a fresh slice of each was hashed anew for the lookup.
 */
function deref(defs: Record<string, SchemaNode>, ref: string): SchemaNode | undefined {
  let target = refTargets.get(ref);
  if (target === undefined && !refTargets.has(ref)) refTargets.set(ref, (target = defs[ref.slice(REF_PREFIX.length)]));
  return target;
}

const refTargets = new Map<string, SchemaNode | undefined>();

function visit(defs: Record<string, SchemaNode>, node: SchemaNode, value: unknown): void {
  if (node.$ref) {
    const target = deref(defs, node.$ref);
    if (target) visit(defs, target, value);
    return;
  }
  // A frozen value is part of a stored object, normalized when it was written and unchangeable
  // since: an in-process writer's body is mostly such parts (a status write carries the stored spec).
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  if (Array.isArray(value)) {
    if (node.items) for (const v of value) visit(defs, node.items, v);
    return;
  }
  const obj = value as Record<string, unknown>;
  // Runs on every write: no per-node allocations (key lists, sets of required names).
  if (node.properties) {
    for (const k in obj) {
      const prop = node.properties[k];
      if (!prop) continue;
      const v = obj[k];
      if (v === null || (isEmptyCollection(defs, prop, v) && !node.required?.includes(k))) delete obj[k];
      else visit(defs, prop, v);
    }
  } else if (node.additionalProperties) {
    for (const k in obj) visit(defs, node.additionalProperties, obj[k]);
  }
}

/** An empty list, or an empty map (a schema with additionalProperties, not a struct). */
function isEmptyCollection(defs: Record<string, SchemaNode>, prop: SchemaNode, v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false;
  const node = prop.$ref ? deref(defs, prop.$ref) ?? prop : prop;
  if (Array.isArray(v)) return v.length === 0 && node.type === 'array';
  if (node.additionalProperties === undefined || node.properties) return false;
  for (const _ in v) return false;
  return true;
}
