/**
 * Renders an OpenAPI v3 schema the way `kubectl explain` prints it (kubectl pkg/explain/v2, its
 * plaintext template): the GROUP/KIND/VERSION header, the FIELD line for a field path, the
 * description wrapped at 76 columns and indented, and the FIELDS list, or the whole tree with
 * `--recursive`.
 */

/** Columns of description text kubectl's template wraps to, before its 4-space indent. */
const WRAP_WIDTH = 76;
const PRIMITIVES = new Set(['string', 'integer', 'boolean', 'number']);

/** One OpenAPI v3 schema object, as far as explain reads it. */
export interface Schema {
  type?: string;
  description?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: Schema | boolean;
  allOf?: Schema[];
  $ref?: string;
  [k: string]: unknown;
}

/** The component schemas of one group-version document. */
export type Components = Record<string, Schema>;

/** What the header says about the explained kind. */
export interface ExplainTarget {
  group: string;
  kind: string;
  version: string;
}

/** Follows a `$ref` (directly or through a one-element allOf) to its component. */
export function deref(schema: Schema, components: Components): Schema | undefined {
  const ref = schema.$ref ?? schema.allOf?.find((s) => s.$ref)?.$ref;
  return ref ? components[ref.replace('#/components/schemas/', '')] : undefined;
}

/** kubectl's type name: `string`, `[]Container`, `map[string]Quantity`, `ObjectMeta`, `Object`. */
export function typeName(schema: Schema, components: Components): string {
  const ref = schema.$ref ?? schema.allOf?.find((s) => s.$ref)?.$ref;
  if (ref) {
    const target = components[ref.replace('#/components/schemas/', '')];
    if (target?.type && PRIMITIVES.has(target.type)) return target.type;
    return ref.slice(ref.lastIndexOf('.') + 1);
  }
  if (schema.type === 'array' && schema.items) return `[]${typeName(schema.items, components)}`;
  if (schema.type === 'object' && schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    return `map[string]${typeName(schema.additionalProperties, components)}`;
  }
  if (schema.type === 'object' && !schema.properties) return 'Object';
  return schema.type ?? 'Object';
}

/** The schema whose fields a value of this schema has: through refs, array items and map values. */
export function fieldsHolder(schema: Schema, components: Components): Schema {
  let s: Schema | undefined = schema;
  for (let depth = 0; s && depth < 8; depth++) {
    const target = deref(s, components);
    if (target) s = target;
    else if (s.type === 'array' && s.items) s = s.items;
    else if (s.type === 'object' && typeof s.additionalProperties === 'object' && !s.properties) s = s.additionalProperties;
    else break;
  }
  return s ?? schema;
}

/** mitchellh/go-wordwrap's WrapString: greedy on whitespace, keeps newlines, never splits a word. */
export function wrap(text: string, limit: number): string {
  let out = '';
  let word = '';
  let spaces = '';
  let current = 0;
  const flush = () => {
    current += spaces.length + word.length;
    out += spaces + word;
    spaces = '';
    word = '';
  };
  for (const ch of text) {
    if (ch === '\n') {
      if (word === '') {
        if (current + spaces.length <= limit) out += spaces;
        spaces = '';
      } else flush();
      out += '\n';
      current = 0;
    } else if (/\s/.test(ch) && ch !== '\u00a0') {
      if (spaces === '' || word !== '') flush();
      spaces += ch;
    } else {
      word += ch;
      if (current + spaces.length + [...word].length > limit && [...word].length < limit) {
        out += '\n';
        current = 0;
        spaces = '';
      }
    }
  }
  if (word === '') {
    if (current + spaces.length <= limit) out += spaces;
  } else out += spaces + word;
  return out;
}

function indent(text: string, n: number): string {
  const pad = ' '.repeat(n);
  return pad + text.replaceAll('\n', `\n${pad}`);
}

/**
 * The whole explain output for a kind's schema and a field path below it (already resolved to
 * `field`, with its name), plainly or recursively.
 */
export function renderExplain(
  target: ExplainTarget,
  kindSchema: Schema,
  components: Components,
  field: { name: string; schema: Schema } | undefined,
  recursive: boolean,
): string {
  let out = target.group ? `GROUP:      ${target.group}\n` : '';
  out += `KIND:       ${target.kind}\nVERSION:    ${target.version}\n\n`;
  let description: string;
  let holder: Schema;
  if (field) {
    out += `FIELD: ${field.name} <${typeName(field.schema, components)}>\n\n\n`;
    holder = fieldsHolder(field.schema, components);
    const refDesc = holder !== field.schema ? (holder.description ?? '') : '';
    description = [field.schema.description ?? '', refDesc].filter((d) => d !== '').join('\n');
  } else {
    holder = kindSchema;
    description = kindSchema.description ?? '';
  }
  out += `DESCRIPTION:\n${indent(wrap(description, WRAP_WIDTH), 4)}\n    \n`;
  const props = holder.properties ?? {};
  if (Object.keys(props).length > 0) {
    out += 'FIELDS:\n';
    out += recursive ? recursiveFields(holder, components, 2, new Set()) : plainFields(holder, components);
  }
  return `${out}\n`;
}

function plainFields(holder: Schema, components: Components): string {
  let out = '';
  for (const name of Object.keys(holder.properties ?? {}).sort()) {
    const s = holder.properties![name]!;
    const required = holder.required?.includes(name) ? ' -required-' : '';
    const desc = s.description ? s.description : '<no description>';
    out += `  ${name}\t<${typeName(s, components)}>${required}\n${indent(wrap(desc, WRAP_WIDTH), 4)}\n\n`;
  }
  return out;
}

function recursiveFields(holder: Schema, components: Components, depth: number, seen: Set<Schema>): string {
  let out = '';
  for (const name of Object.keys(holder.properties ?? {}).sort()) {
    const s = holder.properties![name]!;
    const required = holder.required?.includes(name) ? ' -required-' : '';
    out += `${' '.repeat(depth)}${name}\t<${typeName(s, components)}>${required}\n`;
    const inner = fieldsHolder(s, components);
    // A schema that contains itself (JSONSchemaProps-like) is shown once per branch.
    if (inner.properties && !seen.has(inner)) out += recursiveFields(inner, components, depth + 2, new Set([...seen, inner]));
  }
  return out;
}
