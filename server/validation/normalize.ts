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
  if (name) visitRef(loadDefinitions(), name, obj);
}

function visitRef(defs: Record<string, SchemaNode>, name: string, value: unknown): void {
  const node = defs[name];
  if (node) visit(defs, node, value);
}

function visit(defs: Record<string, SchemaNode>, node: SchemaNode, value: unknown): void {
  if (node.$ref) return visitRef(defs, node.$ref.slice(REF_PREFIX.length), value);
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    if (node.items) for (const v of value) visit(defs, node.items, v);
    return;
  }
  const obj = value as Record<string, unknown>;
  if (node.properties) {
    const required = new Set(node.required ?? []);
    for (const [k, v] of Object.entries(obj)) {
      const prop = node.properties[k];
      if (!prop) continue;
      if (v === null || (!required.has(k) && isEmptyCollection(defs, prop, v))) delete obj[k];
      else visit(defs, prop, v);
    }
  } else if (node.additionalProperties) {
    for (const v of Object.values(obj)) visit(defs, node.additionalProperties, v);
  }
}

/** An empty list, or an empty map (a schema with additionalProperties, not a struct). */
function isEmptyCollection(defs: Record<string, SchemaNode>, prop: SchemaNode, v: unknown): boolean {
  const node = prop.$ref ? defs[prop.$ref.slice(REF_PREFIX.length)] ?? prop : prop;
  if (Array.isArray(v)) return v.length === 0 && node.type === 'array';
  if (v && typeof v === 'object') return Object.keys(v).length === 0 && node.additionalProperties !== undefined && !node.properties;
  return false;
}
