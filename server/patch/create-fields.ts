// managedFields of a create, remembered by the object's ownership shape. A create's entry is the
// writer's Update entry owning every field the object holds (structured-merge-diff compares it
// with nothing), so it depends only on which fields are there, never on their scalar values: the
// events of one recorder (about seven per pod) share a handful of shapes, as do the pods of one
// ReplicaSet, and computing the set (a filled deep copy, a comparison, an encoding) once per shape
// was most of the managedFields work of such a create.
import type { KubeObject } from '../../schemas/types/meta.js';
import { quotedString } from './fieldpath.js';
import { GenerationMap } from '../generation-map.js';
import { toSeconds, updateManagedFields as update } from './managed-fields.js';

export { defaultFieldManager } from './managed-fields.js';

type UpdateOptions = Parameters<typeof update>[2];

// fieldsV1 by definition and shape; null when the create owns nothing trackable. Frozen, so the
// stored objects share one (storage freezes them anyway and nothing changes a stored fieldsV1).
const byShape = new Map<string, GenerationMap<string, Readonly<Record<string, unknown>> | null>>();
// Shapes are few (one per workload template and event kind); the bound, per definition, only stops
// a client that creates ever new shapes (objects that each name another owner) from growing the
// memo without end.
const MAX_SHAPES = 2048;
// A pod of a ReplicaSet has a shape of under 1,000 characters.
const MAX_SHAPE_LENGTH = 8192;

/** managed-fields' updateManagedFields; a create comes from the memo when an object of its shape was created before. */
export function updateManagedFields(old: KubeObject | undefined, next: KubeObject, opts: UpdateOptions): void {
  const sent = next.metadata.managedFields;
  // Managers sent with the create take part in the result: only the plain case is remembered.
  if (old || (Array.isArray(sent) && sent.length > 0) || opts.subresource !== undefined) return update(old, next, opts);
  const shape = shapeOf(next);
  // A large object (an EndpointSlice of many endpoints) is seldom created twice alike.
  if (shape.length > MAX_SHAPE_LENGTH) return update(undefined, next, opts);
  // By definition, then shape: a key of both would copy the shape, a thousand characters, per create.
  let shapes = byShape.get(opts.definition ?? '');
  if (!shapes) byShape.set(opts.definition ?? '', (shapes = new GenerationMap(MAX_SHAPES)));
  const known = shapes.get(shape);
  if (known === undefined) {
    update(undefined, next, opts);
    const fieldsV1 = (next.metadata.managedFields?.[0] as { fieldsV1?: Record<string, unknown> } | undefined)?.fieldsV1;
    shapes.set(shape, fieldsV1 ? freeze(fieldsV1) : null);
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
 * What the field set of a create depends on: every key (a present key is owned even when its value
 * is undefined), the kind of every value (object or scalar decide the type and the leaves), and
 * how each list item is identified. Scalar values do not matter, except within a list item: a
 * list-map item is named by its key fields and a set item by its value, and those are scalars at
 * the item's top level, so there the values go into the shape too (more than needed, never less).
 * The pods of one ReplicaSet share a shape (containers, ports and the owner reference alike).
 */
function shapeOf(value: unknown): string {
  parts.length = 0;
  pushShape(value);
  return parts.join('');
}

// The pieces of the shape being built: joined once, where concatenation made a string per piece.
const parts: string[] = [];

function pushShape(value: unknown): void {
  if (value === null) parts.push('N');
  else if (Array.isArray(value)) {
    parts.push('[');
    for (const item of value) {
      pushItemShape(item);
      parts.push(',');
    }
    parts.push(']');
  } else if (typeof value !== 'object') parts.push(typeof value);
  else {
    parts.push('{');
    for (const k in value) {
      parts.push(quotedString(k), ':');
      pushShape((value as Record<string, unknown>)[k]);
      parts.push(',');
    }
    parts.push('}');
  }
}

/** A list item's shape, with the values of its top-level scalars (`=` keeps them apart from kinds). */
function pushItemShape(item: unknown): void {
  if (item === null || typeof item !== 'object') parts.push('=', JSON.stringify(item) ?? 'u');
  else if (Array.isArray(item)) pushShape(item);
  else {
    parts.push('{');
    for (const k in item) {
      const v = (item as Record<string, unknown>)[k];
      parts.push(quotedString(k), ':');
      if (v !== null && typeof v === 'object') pushShape(v);
      else pushItemShape(v);
      parts.push(',');
    }
    parts.push('}');
  }
}

function freeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) freeze(v);
  }
  return o;
}
