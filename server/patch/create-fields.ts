// managedFields of a create, remembered by the object's ownership shape. A create's entry is the
// writer's Update entry owning every field the object holds (structured-merge-diff compares it
// with nothing), so it depends only on which fields are there, never on their scalar values: the
// events of one recorder (about seven per pod) share a handful of shapes, and computing the set
// (a filled deep copy, a comparison, an encoding) once per shape was most of an event's create.
import type { KubeObject } from '../../schemas/types/meta.js';
import { quotedString } from './fieldpath.js';
import { toSeconds, updateManagedFields as update } from './managed-fields.js';

export { defaultFieldManager } from './managed-fields.js';

type UpdateOptions = Parameters<typeof update>[2];

// fieldsV1 by definition and shape; null when the create owns nothing trackable. Frozen, so the
// stored objects share one (storage freezes them anyway and nothing changes a stored fieldsV1).
const byShape = new Map<string, Readonly<Record<string, unknown>> | null>();
// Shapes are few (one per workload template and event kind); the bound only stops a pathological
// client from growing the map without end.
const MAX_SHAPES = 2048;

/** managed-fields' updateManagedFields; a create comes from the memo when an object of its shape was created before. */
export function updateManagedFields(old: KubeObject | undefined, next: KubeObject, opts: UpdateOptions): void {
  const sent = next.metadata.managedFields;
  // Managers sent with the create take part in the result: only the plain case is remembered.
  if (old || (Array.isArray(sent) && sent.length > 0) || opts.subresource !== undefined) return update(old, next, opts);
  const shape = shapeOf(next);
  if (shape === undefined) return update(undefined, next, opts);
  const key = `${opts.definition ?? ''}\u0000${shape}`;
  const known = byShape.get(key);
  if (known === undefined) {
    update(undefined, next, opts);
    const fieldsV1 = (next.metadata.managedFields?.[0] as { fieldsV1?: Record<string, unknown> } | undefined)?.fieldsV1;
    if (byShape.size >= MAX_SHAPES) byShape.clear();
    byShape.set(key, fieldsV1 ? freeze(fieldsV1) : null);
    return;
  }
  if (known === null) {
    delete next.metadata.managedFields;
    return;
  }
  // encodeManagedFields' spelling of the single entry (Go struct field order).
  next.metadata.managedFields = [{ manager: opts.manager, operation: 'Update', apiVersion: opts.apiVersion, time: toSeconds(opts.time), fieldsType: 'FieldsV1', fieldsV1: known }];
}

/**
 * What the field set of a create without lists depends on: every key (a present key is owned even
 * when its value is undefined) and the kind of every value (object or scalar decide the type and
 * the leaves); scalar values do not matter. Undefined with a list anywhere: list items are
 * identified by key fields or by value (a pod's volume has a random name), so objects with lists
 * hardly ever share a set and remembering them would only cost memory.
 */
function shapeOf(value: unknown): string | undefined {
  if (value === null) return 'N';
  if (Array.isArray(value)) return undefined;
  if (typeof value !== 'object') return typeof value;
  let out = '{';
  for (const k in value) {
    const inner = shapeOf((value as Record<string, unknown>)[k]);
    if (inner === undefined) return undefined;
    out += `${quotedString(k)}:${inner},`;
  }
  return `${out}}`;
}


function freeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) freeze(v);
  }
  return o;
}
