/**
 * The printers that work on plain objects (cli-runtime printers/json.go, yaml.go, name.go): JSON as
 * Go's json.MarshalIndent writes an unstructured object (keys sorted, 4-space indent, HTML-escaped),
 * YAML as sigs.k8s.io/yaml writes it (keys sorted, sequences not indented, YAML 1.1 ambiguous strings
 * double-quoted), and `kind.group/name` lines.
 */
import { toYaml } from './yaml.js';

/** The object with map keys sorted at every level, as Go encodes a map[string]interface{}. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort()) out[k] = sortKeys((value as Record<string, unknown>)[k]);
  return out;
}

/** `-o json`. */
export function printJson(obj: unknown): string {
  return printTypedJson(sortKeys(obj));
}

/** `-o json` of a typed object: Go's encoder keeps struct field order, 4-space indent, HTML-escaped. */
export function printTypedJson(obj: unknown): string {
  const text = JSON.stringify(obj, null, 4);
  // Go's encoder escapes these for safe embedding in HTML.
  return text.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) + '\n';
}

/** `-o yaml`. */
export function printYaml(obj: unknown): string {
  return toYaml(obj);
}

/** `-o name`: `<kind lower>[.<group>]/<name>`. */
export function printName(obj: any): string {
  const apiVersion: string = obj.apiVersion ?? '';
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  const kind = String(obj.kind ?? '').toLowerCase();
  return `${kind}${group ? `.${group}` : ''}/${obj.metadata?.name ?? ''}\n`;
}
