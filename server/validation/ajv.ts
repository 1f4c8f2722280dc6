// Ajv schemas built from schemas/generated/definitions.json that accept exactly what the decode
// walker in schema.ts accepts. Ajv decides whether a body decodes (one compiled function per root
// kind, far cheaper than walking); the walker only runs on rejected bodies to word the error like
// Go's JSON decoder, which Ajv's error lists cannot do.
//
// The validators are compiled at build time: scripts/gen-validators.mjs hands ajvSchema() to Ajv
// and writes its standalone code to schemas/generated/validators.cjs, which needs no Ajv at run
// time. Compiled in the daemon, the first kind cost about 0.2 s (Ajv's set-up and the shared
// definitions it reaches) and each later one 2-25 ms, paid inside the first request of the kind.
//
// Every rule below mirrors a branch of the walker, not the OpenAPI meaning of the definitions:
// `required` is ignored (Go's decoder does not check it), `null` is accepted everywhere, the
// custom unmarshalers (IntOrString, Quantity, Time) get their own schemas, and formats become
// ranges and patterns because the walker, not RFC 3339 or Ajv's format list, is the reference.
import type { AnySchema } from 'ajv';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { SchemaNode } from './schema.js';

/** How $ref values in definitions.json start. */
export const REF_PREFIX = '#/definitions/';
/** intstr.IntOrString: a JSON string or an int32. */
export const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
/** resource.Quantity: a JSON number, or a string ParseQuantity accepts. */
export const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
/** metav1.Time: any JSON string (the RFC 3339 parse happens later, not at decode time). */
export const TIME = 'io.k8s.apimachinery.pkg.apis.meta.v1.Time';
/** metav1.MicroTime: decoded like Time. */
export const MICRO_TIME = 'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime';
/** Smallest int32, for int32 fields and IntOrString. */
export const INT32_MIN = -2147483648;
/** Largest int32. */
export const INT32_MAX = 2147483647;
/** Largest int64 (as a double it is 2^63, which the walker accepts too). */
export const INT64_ABS_MAX = 9223372036854775807;

// The walker trims the raw value, then needs a non-empty match of QUANTITY_SHAPE whose suffix is
// a known one or an `e`/`E` exponent. Because the number part holds no letters, that is the same
// as this single expression. `\s` is exactly the set String.prototype.trim removes. `(?=\S)` after
// the leading blanks keeps the match linear: without it a long run of blanks before bad input
// makes the two `\s*` trade characters, which is quadratic.
const QUANTITY_PATTERN = String.raw`^\s*(?=\S)[+-]?[0-9]*(?:\.[0-9]*)?(?:[numkMGTPE]|[KMGTPE]i|[eE][+-]?[0-9]+)?\s*$`;

// StdEncoding with mandatory padding, skipping \r and \n anywhere (Go's decoder drops them), like
// the walker's base64Error. Each newline run belongs to exactly one quantifier (after `^` or after
// a character or `=`), so a failing match backtracks in linear time even on megabyte-long values.
const B64 = '[A-Za-z0-9+/][\\r\\n]*';
const BASE64_PATTERN = `^[\\r\\n]*(?:(?:${B64}){4})*(?:(?:${B64}){2}=[\\r\\n]*=[\\r\\n]*|(?:${B64}){3}=[\\r\\n]*)?$`;

// One $id for the shared schema so every root kind's compiled code reuses the same definitions.
const SCHEMA_ID = 'kubedojo:definitions';

/**
 * Ajv's options for the build: `allErrors: false` stops at the first failure (the walker words the
 * error anyway); `validateFormats: false` because formats are expressed as ranges and patterns
 * instead; `strict: false` allows multi-type `type` arrays and the bare $ref roots.
 */
export const AJV_OPTIONS = { strict: false, allErrors: false, validateFormats: false, validateSchema: false } as const;

/** A compiled validator: true when the value decodes; `errors` then tells Ajv's reason. */
export type Validator = ((value: unknown) => boolean) & { errors?: unknown };

/** JSON-schema types plus null: Go decodes null into every field without error. */
function orNull(...types: string[]): string[] {
  return [...types, 'null'];
}

/** The root definitions that get a compiled validator: the kinds, which are what bodies decode as. */
export function validatedRoots(definitions: Record<string, SchemaNode>): string[] {
  return Object.keys(definitions).filter((name) => definitions[name]!['x-kubernetes-group-version-kind'] !== undefined);
}

/** Every definition converted for Ajv, as one schema whose root kinds are reached through rootRef(name). */
export function ajvSchema(definitions: Record<string, SchemaNode>): { schema: AnySchema; rootRef(name: string): string } {
  const converter = new SchemaConverter(definitions);
  const converted: Record<string, AnySchema> = {};
  for (const [name, def] of Object.entries(definitions)) converted[name] = converter.definitionSchema(name, def);
  return { schema: { $id: SCHEMA_ID, definitions: converted }, rootRef: (name) => `${SCHEMA_ID}${REF_PREFIX}${name}` };
}

/** The compiled validators of the root kinds, loaded from the build's module on first use. */
export class AjvValidators {
  private compiled: Record<string, Validator> | undefined;
  private loadCount = 0;

  /** `file` is the module gen-validators.mjs wrote; nothing is read yet. */
  constructor(
    private readonly definitions: Record<string, SchemaNode>,
    private readonly file: string,
  ) {}

  /** How many times the compiled module was loaded (once per instance, on the first validation). */
  get loads(): number {
    return this.loadCount;
  }

  /** True when obj decodes as the definition `name` with no type error and no unknown field. */
  validate(name: string, obj: unknown): boolean {
    // The walker treats a missing definition as "any JSON value".
    if (!Object.hasOwn(this.definitions, name)) return true;
    return this.validatorFor(name)(obj);
  }

  /** The compiled validator of one root definition. */
  validatorFor(name: string): Validator {
    const validate = this.module()[name];
    if (validate === undefined) throw new Error(`${this.file} holds no validator for ${name}: only kinds are compiled`);
    return validate;
  }

  private module(): Record<string, Validator> {
    if (this.compiled) return this.compiled;
    if (!existsSync(this.file)) throw new Error(`Cannot load ${this.file} as it does not exist: run 'npm run build'`);
    this.compiled = createRequire(import.meta.url)(this.file) as Record<string, Validator>;
    this.loadCount++;
    return this.compiled;
  }
}

/** Converts definitions.json's nodes into Ajv schemas that follow the walker's rules. */
class SchemaConverter {
  constructor(private readonly definitions: Record<string, SchemaNode>) {}

  /** One definition as the walker's visitRef treats it. */
  definitionSchema(name: string, def: SchemaNode): AnySchema {
    switch (name) {
      case INT_OR_STRING:
        // minimum/maximum only apply to numbers, so strings pass unchanged.
        return { type: orNull('integer', 'string'), minimum: INT32_MIN, maximum: INT32_MAX };
      case QUANTITY:
        // Every JSON number prints as a valid quantity; strings must parse; bool/object/array fail.
        return { type: orNull('number', 'string'), pattern: QUANTITY_PATTERN };
      case TIME:
      case MICRO_TIME:
        return { type: orNull('string') };
    }
    if (def['x-kubernetes-preserve-unknown-fields'] || def.type !== 'object') return this.nodeSchema(def);
    // A Go struct: known fields only, matched case-sensitively (Ajv checks own properties).
    const properties: Record<string, AnySchema> = {};
    for (const [field, prop] of Object.entries(def.properties ?? {})) properties[field] = this.nodeSchema(prop);
    return { type: orNull('object'), properties, additionalProperties: false };
  }

  /** One field's schema as the walker's visit treats it (inline nodes are never structs). */
  private nodeSchema(node: SchemaNode): AnySchema {
    if (node.$ref !== undefined) {
      // A dangling reference is "any" to the walker; Ajv would refuse to compile it.
      return Object.hasOwn(this.definitions, node.$ref.slice(REF_PREFIX.length)) ? { $ref: node.$ref } : true;
    }
    if (node['x-kubernetes-preserve-unknown-fields']) return true;
    switch (node.type) {
      case 'object':
        // A map: any keys; values checked when the element schema is known.
        return node.additionalProperties
          ? { type: orNull('object'), additionalProperties: this.nodeSchema(node.additionalProperties) }
          : { type: orNull('object') };
      case 'array':
        return node.items ? { type: orNull('array'), items: this.nodeSchema(node.items) } : { type: orNull('array') };
      case 'string':
        return node.format === 'byte' ? { type: orNull('string'), pattern: BASE64_PATTERN } : { type: orNull('string') };
      case 'integer':
        // The walker checks int64 only for format int64; any other integer is an int32.
        return node.format === 'int64'
          ? { type: orNull('integer'), minimum: -INT64_ABS_MAX, maximum: INT64_ABS_MAX }
          : { type: orNull('integer'), minimum: INT32_MIN, maximum: INT32_MAX };
      case 'number':
        return { type: orNull('number') };
      case 'boolean':
        return { type: orNull('boolean') };
      default:
        return true; // no type: interface{}, any JSON value
    }
  }
}
