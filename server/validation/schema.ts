// Decode-time checks of API objects against schemas/generated/definitions.json, worded like the
// apiserver's JSON decoder (sigs.k8s.io/json, a fork of encoding/json): type mismatches become
// `json: cannot unmarshal …` errors, unknown fields become strict-decoding errors with their path.
//
// Two parts: Ajv (ajv.ts) decides whether a body decodes, with one compiled validator per kind;
// a small walker words the error of rejected bodies. Ajv alone cannot word them: Go's decoder
// reports the *first* type error in document order, accepts `null` for every field, names Go
// struct and type names, and aborts at once when a custom unmarshaler (IntOrString, Quantity,
// Time) fails, while Ajv's error lists carry none of that. The Ajv schemas mirror the walker's
// rules branch by branch, so both accept the same bodies (test/server/validation/ajv.test.ts).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemasDir } from '../../schemas/index.js';
import { AjvValidators, INT32_MAX, INT32_MIN, INT64_ABS_MAX, INT_OR_STRING, MICRO_TIME, QUANTITY, REF_PREFIX, TIME } from './ajv.js';

/** A node of definitions.json: the JSON-schema subset gen-schemas.mjs writes. */
export interface SchemaNode {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  description?: string;
  $ref?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode;
  items?: SchemaNode;
  required?: string[];
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  'x-kubernetes-group-version-kind'?: { group: string; version: string; kind: string }[];
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  /** Named Go type of a field where the schema alone cannot tell it (`v1.PullPolicy`). */
  'x-kubedojo-go-type'?: string;
  /** Field promoted from an inline-embedded Go struct, as Go's error context names it. */
  'x-kubedojo-go-field'?: string;
}

// sigs.k8s.io/json stops collecting strict errors after this many.
const MAX_STRICT_ERRORS = 100;

// resource.ParseQuantity's two errors, verbatim (apimachinery pkg/api/resource/quantity.go).
const QUANTITY_FORMAT_ERROR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const QUANTITY_SUFFIX_ERROR = "unable to parse quantity's suffix";
const QUANTITY_SUFFIXES = new Set(['', 'n', 'u', 'm', 'k', 'M', 'G', 'T', 'P', 'E', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei']);
// Same acceptance as parseQuantityString: sign, digits, optional fraction, then the suffix run.
const QUANTITY_SHAPE = /^[+-]?[0-9]*(?:\.[0-9]*)?([eEinumkKMGTP]*[-+]?[0-9]*)$/;

interface Loaded {
  definitions: Record<string, SchemaNode>;
  byGvk: Map<string, string>;
  /** Decides; loads the compiled validators lazily, so callers that only read definitions pay nothing for them. */
  ajv: AjvValidators;
}

let loaded: Loaded | undefined;

function load(): Loaded {
  if (loaded) return loaded;
  const file = join(generatedDir(), 'definitions.json');
  if (!existsSync(file)) throw new Error(`Cannot load ${file} as it does not exist: run 'node scripts/gen-schemas.mjs' (npm run build)`);
  const { definitions } = JSON.parse(readFileSync(file, 'utf8')) as { definitions: Record<string, SchemaNode> };
  const byGvk = new Map<string, string>();
  for (const [name, def] of Object.entries(definitions)) {
    for (const g of def['x-kubernetes-group-version-kind'] ?? []) byGvk.set(`${g.group}/${g.version}/${g.kind}`, name);
  }
  loaded = { definitions, byGvk, ajv: new AjvValidators(definitions, validatorsFile()) };
  return loaded;
}

function generatedDir(): string {
  return join(schemasDir(), 'generated');
}

/** The module of compiled validators that scripts/gen-validators.mjs writes at build time. */
export function validatorsFile(): string {
  return join(generatedDir(), 'validators.cjs');
}

/** All generated definitions, loaded once from schemas/generated/definitions.json. */
export function loadDefinitions(): Record<string, SchemaNode> {
  return load().definitions;
}

/** The schema definition name for a GVK, or undefined if none (then nothing is checked). */
export function definitionFor(group: string, version: string, kind: string): string | undefined {
  return load().byGvk.get(`${group}/${version}/${kind}`);
}

/**
 * True when obj decodes as its kind with no type error and no unknown field: Ajv's verdict alone,
 * which decodeError and unknownFields start from. Pruning nulls and empty fields cannot make an
 * accepted body fail, so the verdict holds after normalizeLikeGo too.
 */
export function decodesCleanly(group: string, version: string, kind: string, obj: unknown): boolean {
  const name = definitionFor(group, version, kind);
  return !name || load().ajv.validate(name, obj);
}

/** Type errors → apiserver decode error; returns undefined when the object decodes. */
export function decodeError(group: string, version: string, kind: string, obj: unknown): string | undefined {
  const name = definitionFor(group, version, kind);
  if (!name || load().ajv.validate(name, obj)) return undefined;
  // Ajv rejected the body: the walker words the first type error, or finds none when only unknown
  // fields failed (unknownFields reports those). Finding neither means Ajv and the walker disagree,
  // which should not happen (ajv.test.ts checks the two agree); the walker's "decodes" then stands.
  // In-process callers can get there with `undefined` inside a list or map, which JSON cannot carry.
  const error = inspect(name, obj).error;
  return error === undefined ? undefined : `${kind} in version "${version}" cannot be handled as a ${kind}: ${error}`;
}

/**
 * Unknown fields as the apiserver names them, in document order: `spec.bogusField`,
 * `spec.template.spec.containers[0].foo`, `metadata.foo`. Duplicate fields cannot be seen once the
 * body went through JSON.parse (kubectl never sends them: it re-encodes every object).
 */
export function unknownFields(group: string, version: string, kind: string, obj: unknown): string[] {
  const name = definitionFor(group, version, kind);
  if (!name || load().ajv.validate(name, obj)) return [];
  // Rejected: the walker names the unknown fields; an empty list for a rejected body should not
  // happen (see decodeError), and then the walker's answer stands.
  return inspect(name, obj).unknown;
}

/** One strict-decoding error or `Warning:` text: `unknown field "spec.bogusField"`. */
export function unknownFieldMessage(path: string): string {
  return `unknown field ${JSON.stringify(path)}`;
}

/**
 * The 400 BadRequest message for `fieldValidation=Strict`.
 * @example strictDecodingMessage('Deployment', 'v1', ['spec.bogusField'])
 * // 'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.bogusField"'
 */
export function strictDecodingMessage(kind: string, version: string, fields: string[]): string {
  return `${kind} in version "${version}" cannot be handled as a ${kind}: strict decoding error: ${fields.map(unknownFieldMessage).join(', ')}`;
}

/** Where the walker stands: Go's error context (struct + JSON field stack) and the strict path. */
interface At {
  /** Name of the Go struct that holds the current field (`DeploymentSpec`). */
  struct: string;
  /** JSON field names from the root, without indices or map keys (`spec.template.spec.containers`). */
  field: string;
  /** Strict-decoding path with indices and map keys (`spec.template.spec.containers[0]`). */
  path: string;
  /** Schema of the Go value being filled; its Go type name appears in type errors. */
  node: SchemaNode;
}

interface WalkState {
  /** First saved type error, like decodeState.savedError: decoding goes on after it. */
  error?: string;
  unknown: string[];
  seen: Set<string>;
}

/** A custom UnmarshalJSON failed: Go returns at once, even over an earlier saved error. */
class HardDecodeError extends Error {
  override name = 'HardDecodeError';
}

/** Walks obj as the definition `name` and returns the first decode error and the unknown fields. */
function inspect(name: string, obj: unknown): { error?: string; unknown: string[] } {
  const st: WalkState = { unknown: [], seen: new Set() };
  const root = { $ref: REF_PREFIX + name };
  try {
    visit(root, obj, { struct: '', field: '', path: '', node: root }, st);
  } catch (err) {
    if (err instanceof HardDecodeError) return { error: err.message, unknown: st.unknown };
    throw err;
  }
  return { error: st.error, unknown: st.unknown };
}

function visit(node: SchemaNode, value: unknown, at: At, st: WalkState): void {
  // null decodes into every Go type without error (pointers, maps and slices become nil).
  if (value === null || value === undefined) return;
  if (node.$ref !== undefined) return visitRef(node.$ref.slice(REF_PREFIX.length), value, at, st);
  if (node['x-kubernetes-preserve-unknown-fields']) return;
  switch (node.type) {
    case 'object':
      return visitMap(node, value, at, st);
    case 'array':
      return visitArray(node, value, at, st);
    case 'string':
      if (typeof value !== 'string') return typeError(st, jsonKind(value), at);
      if (node.format === 'byte') saveError(st, base64Error(value));
      return;
    case 'integer':
      return visitInteger(node, value, at, st);
    case 'number':
      if (typeof value !== 'number') typeError(st, jsonKind(value), at);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') typeError(st, jsonKind(value), at);
      return;
    default:
      return; // no type: any JSON value (interface{})
  }
}

function visitRef(name: string, value: unknown, at: At, st: WalkState): void {
  if (name === INT_OR_STRING) return checkIntOrString(value, at);
  if (name === QUANTITY) return checkQuantity(value);
  if (name === TIME || name === MICRO_TIME) {
    // metav1.Time unmarshals via json.Unmarshal(data, &string); only the JSON type is checked.
    if (typeof value !== 'string') throw new HardDecodeError(typeErrorText(jsonKind(value), at, 'string'));
    return;
  }
  const def = load().definitions[name];
  if (!def || def['x-kubernetes-preserve-unknown-fields'] || def.type !== 'object') return visit(def ?? {}, value, at, st);
  if (!isObject(value)) return typeError(st, jsonKind(value), at);
  const struct = shortName(name);
  const properties = def.properties ?? {};
  for (const key of Object.keys(value)) {
    const path = at.path === '' ? key : `${at.path}.${key}`;
    // Own properties only: `toString` or `__proto__` are unknown fields, not Object.prototype's.
    const prop = Object.hasOwn(properties, key) ? properties[key] : undefined;
    if (prop === undefined) {
      addUnknown(st, path);
      continue;
    }
    const goField = prop['x-kubedojo-go-field'] ?? key;
    visit(prop, value[key], { struct, field: at.field === '' ? goField : `${at.field}.${goField}`, path, node: prop }, st);
  }
}

function visitMap(node: SchemaNode, value: unknown, at: At, st: WalkState): void {
  if (!isObject(value)) return typeError(st, jsonKind(value), at);
  const elem = node.additionalProperties;
  if (!elem) return;
  // Map keys extend the strict path but not Go's error context, which names the map field.
  for (const key of Object.keys(value)) visit(elem, value[key], { ...at, path: `${at.path}.${key}`, node: elem }, st);
}

function visitArray(node: SchemaNode, value: unknown, at: At, st: WalkState): void {
  if (!Array.isArray(value)) return typeError(st, jsonKind(value), at);
  const elem = node.items;
  if (!elem) return;
  for (let i = 0; i < value.length; i++) visit(elem, value[i], { ...at, path: `${at.path}[${i}]`, node: elem }, st);
}

function visitInteger(node: SchemaNode, value: unknown, at: At, st: WalkState): void {
  if (typeof value !== 'number') return typeError(st, jsonKind(value), at);
  const [min, max] = node.format === 'int64' ? [-INT64_ABS_MAX, INT64_ABS_MAX] : [INT32_MIN, INT32_MAX];
  // strconv.ParseInt rejects fractions and overflow; Go then quotes the number literal.
  if (!Number.isInteger(value) || value < min || value > max) typeError(st, `number ${value}`, at);
}

/** intstr.IntOrString.UnmarshalJSON: strings as-is, anything else through json.Unmarshal into int32. */
function checkIntOrString(value: unknown, at: At): void {
  if (typeof value === 'string') return;
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX) return;
    throw new HardDecodeError(typeErrorText(`number ${value}`, at, 'int32'));
  }
  throw new HardDecodeError(typeErrorText(jsonKind(value), at, 'int32'));
}

/** resource.Quantity.UnmarshalJSON: the raw JSON (quotes stripped) must parse as a quantity. */
function checkQuantity(value: unknown): void {
  const raw = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '{';
  const error = quantityError(raw.trim());
  if (error) throw new HardDecodeError(error);
}

/** Port of ParseQuantity's failure cases (parseQuantityString + suffix interpretation). */
function quantityError(str: string): string | undefined {
  if (str === '') return QUANTITY_FORMAT_ERROR;
  const m = QUANTITY_SHAPE.exec(str);
  if (!m) return QUANTITY_FORMAT_ERROR;
  const suffix = m[1] ?? '';
  if (QUANTITY_SUFFIXES.has(suffix)) return undefined;
  // Decimal exponent: 'e'/'E' followed by an int64 for strconv.ParseInt.
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E') && /^[+-]?[0-9]+$/.test(suffix.slice(1))) {
    return undefined;
  }
  return QUANTITY_SUFFIX_ERROR;
}

/** Port of encoding/base64 StdEncoding.Decode's error offsets: `illegal base64 data at input byte N`. */
function base64Error(s: string): string | undefined {
  const src = Buffer.from(s, 'utf8');
  const corrupt = (n: number) => `illegal base64 data at input byte ${n}`;
  const isNewline = (c: number | undefined) => c === 0x0a || c === 0x0d;
  let si = 0;
  while (si < src.length) {
    for (let j = 0; j < 4; j++) {
      if (si === src.length) return j === 0 ? undefined : corrupt(si - j); // padding is mandatory
      const c = src[si++] as number;
      if (isBase64Char(c)) continue;
      if (isNewline(c)) {
        j--;
        continue;
      }
      if (c !== 0x3d || j < 2) return corrupt(si - 1);
      if (j === 2) {
        // "==" expected; the first '=' is consumed.
        while (si < src.length && isNewline(src[si])) si++;
        if (si === src.length) return corrupt(src.length);
        if (src[si] !== 0x3d) return corrupt(si - 1);
        si++;
      }
      while (si < src.length && isNewline(src[si])) si++;
      return si < src.length ? corrupt(si) : undefined; // trailing garbage after padding
    }
  }
  return undefined;
}

function isBase64Char(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2f;
}

function typeError(st: WalkState, what: string, at: At): void {
  saveError(st, typeErrorText(what, at, goTypeOf(at.node)));
}

/** encoding/json UnmarshalTypeError.Error() with the decoder's error context applied. */
function typeErrorText(what: string, at: At, goType: string): string {
  if (at.struct === '') return `json: cannot unmarshal ${what} into Go value of type ${goType}`;
  return `json: cannot unmarshal ${what} into Go struct field ${at.struct}.${at.field} of type ${goType}`;
}

function saveError(st: WalkState, error: string | undefined): void {
  if (st.error === undefined) st.error = error;
}

function addUnknown(st: WalkState, path: string): void {
  if (st.unknown.length >= MAX_STRICT_ERRORS || st.seen.has(path)) return;
  st.seen.add(path);
  st.unknown.push(path);
}

/** The reflect.Type.String() of the Go value a schema node decodes into. */
function goTypeOf(node: SchemaNode): string {
  const named = node['x-kubedojo-go-type'];
  if (named !== undefined) return named;
  if (node.$ref !== undefined) {
    const name = node.$ref.slice(REF_PREFIX.length);
    const parts = name.split('.');
    return `${parts[parts.length - 2]}.${parts[parts.length - 1]}`;
  }
  switch (node.type) {
    case 'array':
      return `[]${node.items ? goTypeOf(node.items) : 'interface {}'}`;
    case 'object':
      return `map[string]${node.additionalProperties ? goTypeOf(node.additionalProperties) : 'interface {}'}`;
    case 'string':
      return node.format === 'byte' ? '[]uint8' : 'string';
    case 'integer':
      return node.format ?? 'int64';
    case 'number':
      return 'float64';
    case 'boolean':
      return 'bool';
    default:
      return 'interface {}';
  }
}

/** Go's wording for the JSON value kind in UnmarshalTypeError.Value. */
function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'boolean') return 'bool';
  return typeof value === 'object' ? 'object' : typeof value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function shortName(definition: string): string {
  return definition.slice(definition.lastIndexOf('.') + 1);
}
