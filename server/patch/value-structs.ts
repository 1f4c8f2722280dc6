// Go value (non-pointer) structs for managedFields comparisons (managed-fields.ts trackedView):
// the apiserver's typed objects always carry them, so a create never reports them as added.
import { loadDefinitions } from '../validation/schema.js';
import { childType, isPlainObject, resolveType, type FieldType } from './fieldpath.js';

// Without Go types we list the ones that matter for the built-in kinds; metadata/spec/status
// apply to every struct that has them.
const VALUE_STRUCTS_EVERYWHERE = ['metadata', 'spec', 'status'];
const VALUE_STRUCTS: Record<string, string[]> = {
  DeploymentSpec: ['template', 'strategy'],
  ReplicaSetSpec: ['template'],
  DaemonSetSpec: ['template', 'updateStrategy'],
  StatefulSetSpec: ['template', 'updateStrategy'],
  JobSpec: ['template'],
  CronJobSpec: ['jobTemplate'],
  Container: ['resources'],
  EphemeralContainer: ['resources'],
};

const MAX_FILL_DEPTH = 32;

/** Adds the missing value structs (as `{}`) and required non-scalar fields (as null) in place. */
export function fillValueStructs(value: unknown, type: FieldType, depth: number): void {
  if (depth > MAX_FILL_DEPTH) return;
  const t = resolveType(type, value);
  if (!mayNeedFill(t)) return;
  if (t.kind === 'list' && Array.isArray(value)) {
    for (const item of value) fillValueStructs(item, t.element, depth + 1);
    return;
  }
  if (!isPlainObject(value) || (t.kind !== 'struct' && t.kind !== 'map')) return;
  if (t.kind === 'struct' && t.definition) fillStructFields(value, t.definition, t);
  for (const [key, v] of Object.entries(value)) fillValueStructs(v, childType(t, key).type, depth + 1);
}

export function fillStructFields(value: Record<string, unknown>, definition: string, t: FieldType): void {
  const short = definition.slice(definition.lastIndexOf('.') + 1);
  for (const field of [...VALUE_STRUCTS_EVERYWHERE, ...(VALUE_STRUCTS[short] ?? [])]) {
    if (value[field] === undefined && childType(t, field).type.kind === 'struct') value[field] = {};
  }
  // Required lists, maps and pointers are written as null by the Go zero value.
  for (const field of loadDefinitions()[definition]?.required ?? []) {
    const kind = childType(t, field).type.kind;
    if (value[field] === undefined && kind !== 'scalar' && kind !== 'deduced') value[field] = null;
  }
}

/**
 * True when fillValueStructs would change the value. Most fields of a write (a pod's status, most
 * metadata) have nothing to fill, and then the comparison can read the value itself instead of a
 * filled deep copy.
 */
export function needsFill(value: unknown, type: FieldType, depth: number): boolean {
  if (depth > MAX_FILL_DEPTH) return false;
  const t = resolveType(type, value);
  if (!mayNeedFill(t)) return false;
  if (t.kind === 'list' && Array.isArray(value)) return value.some((item) => needsFill(item, t.element, depth + 1));
  if (!isPlainObject(value) || (t.kind !== 'struct' && t.kind !== 'map')) return false;
  if (t.kind === 'struct' && t.definition && fillableFields(t.definition, t).some((f) => value[f] === undefined)) return true;
  for (const [key, v] of Object.entries(value)) if (needsFill(v, childType(t, key).type, depth + 1)) return true;
  return false;
}

/**
 * Whether a value of this type can hold a struct with a field to fill. Most types cannot (a pod's
 * status, labels, a container's ports), and then needsFill and fillValueStructs need not walk the
 * value. A cycle in the schema counts as "can": only ever a walk too many.
 */
function mayNeedFill(type: FieldType): boolean {
  if (type.kind === 'list' || type.kind === 'map') return mayNeedFill(type.element);
  if (type.kind !== 'struct') return false;
  if (type.definition === undefined) return true;
  let may = mayFill.get(type.definition);
  if (may !== undefined) return may;
  mayFill.set(type.definition, true);
  const properties = Object.keys(loadDefinitions()[type.definition]?.properties ?? {});
  may = fillableFields(type.definition, type).length > 0 || properties.some((key) => mayNeedFill(childType(type, key).type));
  mayFill.set(type.definition, may);
  return may;
}

const mayFill = new Map<string, boolean>();

// The fields fillStructFields sets when they are missing, by definition (the schema never changes).
const fillable = new Map<string, string[]>();

function fillableFields(definition: string, t: FieldType): string[] {
  let fields = fillable.get(definition);
  if (fields) return fields;
  const short = definition.slice(definition.lastIndexOf('.') + 1);
  fields = [...VALUE_STRUCTS_EVERYWHERE, ...(VALUE_STRUCTS[short] ?? [])].filter((f) => childType(t, f).type.kind === 'struct');
  for (const field of loadDefinitions()[definition]?.required ?? []) {
    const kind = childType(t, field).type.kind;
    if (kind !== 'scalar' && kind !== 'deduced') fields.push(field);
  }
  fillable.set(definition, fields);
  return fields;
}
