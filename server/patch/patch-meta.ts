// Patch metadata of the built-in kinds: what upstream writes as Go struct tags (`patchStrategy`,
// `patchMergeKey`) and OpenAPI extensions (`x-kubernetes-list-type`, `x-kubernetes-list-map-keys`,
// `x-kubernetes-map-type`, `x-kubernetes-structure-type`). Strategic merge patch reads the first two;
// server-side apply reads the rest. The facts live in patch-meta-table.ts; this module answers
// questions about them together with the shape of each field in schemas/generated/definitions.json.
import { loadDefinitions, type SchemaNode } from '../validation/schema.js';
import { ATOMIC_STRUCT_DEFINITIONS, PATCH_META_TABLE } from './patch-meta-table.js';

/** Patch metadata of one field, as upstream declares it (absent = upstream default). */
export interface FieldMeta {
  /** 'merge' | 'replace' | 'retainKeys' | 'merge,retainKeys' (Go struct tag `patchStrategy`). */
  patchStrategy?: string;
  /** Key that identifies list elements for SMP (Go struct tag `patchMergeKey`). */
  patchMergeKey?: string;
  /** How SSA treats a list (`+listType`); lists without metadata are atomic. */
  listType?: 'atomic' | 'set' | 'map';
  /** Keys identifying elements of a `listType: 'map'` list for SSA (`+listMapKey`). */
  listMapKeys?: string[];
  /** How SSA treats a map (`+mapType`); maps are granular unless declared atomic. */
  mapType?: 'atomic' | 'granular';
  /** How SSA treats a struct (`+structType`); structs are granular unless declared atomic. */
  structType?: 'atomic' | 'granular';
}

/** The JSON shape of a field: a struct, a map of values, a list, a scalar, or unknown to the schema. */
export type FieldKind = 'struct' | 'map' | 'list' | 'scalar';

const REF_PREFIX = '#/definitions/';

/** The schema node of `field` in `definition`, if both exist. */
function propertyOf(definition: string, field: string): SchemaNode | undefined {
  const props = loadDefinitions()[definition]?.properties;
  return props && Object.hasOwn(props, field) ? props[field] : undefined;
}

/** The definition a node refers to, when that definition describes an object with fields. */
function objectRef(node: SchemaNode | undefined): string | undefined {
  const ref = node?.$ref;
  if (!ref?.startsWith(REF_PREFIX)) return undefined;
  const name = ref.slice(REF_PREFIX.length);
  // Quantity, IntOrString, Time are scalars; RawExtension and JSON are untyped.
  return loadDefinitions()[name]?.properties ? name : undefined;
}

/** The JSON shape of `field` in `definition`, or undefined when the schema does not know the field. */
export function fieldKind(definition: string, field: string): FieldKind | undefined {
  const node = propertyOf(definition, field);
  if (!node) return undefined;
  if (node.type === 'array') return 'list';
  if (node.additionalProperties) return 'map';
  if (objectRef(node)) return 'struct';
  // A $ref to a preserve-unknown-fields definition (RawExtension, FieldsV1) has no known shape.
  if (node.$ref && !node.type) {
    const target = loadDefinitions()[node.$ref.slice(REF_PREFIX.length)];
    if (target?.['x-kubernetes-preserve-unknown-fields']) return undefined;
  }
  return 'scalar';
}

/**
 * The definition name of the value of `field` in `definition` (for arrays: of the items; for maps:
 * of the values), following $ref; undefined for scalars/untyped.
 * @example childDefinition('io.k8s.api.core.v1.PodSpec', 'containers') // 'io.k8s.api.core.v1.Container'
 */
export function childDefinition(definition: string, field: string): string | undefined {
  const node = propertyOf(definition, field);
  if (!node) return undefined;
  if (node.type === 'array') return objectRef(node.items);
  if (node.additionalProperties) return objectRef(node.additionalProperties);
  return objectRef(node);
}

/**
 * Patch metadata of field `field` inside the schema definition `definition`. Explicit upstream
 * declarations come from the table; lists without one are reported as `listType: 'atomic'` and
 * fields holding a `+structType=atomic` struct as `structType: 'atomic'`, which is how SSA treats them.
 * @example fieldMeta('io.k8s.api.core.v1.PodSpec', 'containers')
 * // { patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] }
 */
export function fieldMeta(definition: string, field: string): FieldMeta {
  const row = PATCH_META_TABLE.get(definition);
  const declared = row && Object.hasOwn(row, field) ? row[field] : undefined;
  const meta: FieldMeta = declared ? { ...declared } : {};
  if (declared?.listMapKeys) meta.listMapKeys = [...declared.listMapKeys];
  const kind = fieldKind(definition, field);
  if (kind === 'list' && !meta.listType) meta.listType = 'atomic';
  const child = kind === 'struct' ? childDefinition(definition, field) : undefined;
  if (child && ATOMIC_STRUCT_DEFINITIONS.has(child) && !meta.structType) meta.structType = 'atomic';
  return meta;
}
