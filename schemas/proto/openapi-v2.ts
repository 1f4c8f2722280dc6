import protobuf from 'protobufjs';
import type { ProtoMessages } from './field-table.js';

/**
 * Field tables for the part of gnostic's OpenAPI v2 protobuf model (package `openapi.v2`,
 * github.com/google/gnostic-models openapiv2/OpenAPIv2.proto) that `/openapi/v2` writes: the
 * document, its info, paths and definitions, and the JSON-schema messages of a definition.
 *
 * Written by us from the published field numbers; the type grammar is field-table.ts's
 * (`[]` repeated, any other word a message of this table). Parameters, responses and security
 * messages are left out: the daemon publishes no operations in v2 (kube-openapi's
 * pkg/util/proto and kubectl's validation read `definitions` only).
 */
export const openapiV2Messages: ProtoMessages = {
  Document: {
    1: ['swagger', 'string'], 2: ['info', 'Info'], 3: ['host', 'string'], 4: ['basePath', 'string'],
    5: ['schemes', '[]string'], 6: ['consumes', '[]string'], 7: ['produces', '[]string'],
    8: ['paths', 'Paths'], 9: ['definitions', 'Definitions'], 16: ['vendorExtension', '[]NamedAny'],
  },
  Info: {
    1: ['title', 'string'], 2: ['version', 'string'], 3: ['description', 'string'],
    4: ['termsOfService', 'string'], 7: ['vendorExtension', '[]NamedAny'],
  },
  Paths: { 1: ['vendorExtension', '[]NamedAny'], 2: ['path', '[]NamedPathItem'] },
  // Only `$ref` of a path item: operations are not published (see above).
  NamedPathItem: { 1: ['name', 'string'], 2: ['value', 'PathItem'] },
  PathItem: { 1: ['ref', 'string'], 10: ['vendorExtension', '[]NamedAny'] },
  Definitions: { 1: ['additionalProperties', '[]NamedSchema'] },
  NamedSchema: { 1: ['name', 'string'], 2: ['value', 'Schema'] },
  Schema: {
    1: ['ref', 'string'], 2: ['format', 'string'], 3: ['title', 'string'], 4: ['description', 'string'],
    5: ['default', 'Any'], 6: ['multipleOf', 'double'], 7: ['maximum', 'double'], 8: ['exclusiveMaximum', 'bool'],
    9: ['minimum', 'double'], 10: ['exclusiveMinimum', 'bool'], 11: ['maxLength', 'int64'], 12: ['minLength', 'int64'],
    13: ['pattern', 'string'], 14: ['maxItems', 'int64'], 15: ['minItems', 'int64'], 16: ['uniqueItems', 'bool'],
    17: ['maxProperties', 'int64'], 18: ['minProperties', 'int64'], 19: ['required', '[]string'], 20: ['enum', '[]Any'],
    21: ['additionalProperties', 'AdditionalPropertiesItem'], 22: ['type', 'TypeItem'], 23: ['items', 'ItemsItem'],
    24: ['allOf', '[]Schema'], 25: ['properties', 'Properties'], 26: ['discriminator', 'string'],
    27: ['readOnly', 'bool'], 30: ['example', 'Any'], 31: ['vendorExtension', '[]NamedAny'],
  },
  // A oneof in gnostic (schema or boolean); at most one of the two is set.
  AdditionalPropertiesItem: { 1: ['schema', 'Schema'], 2: ['boolean', 'bool'] },
  TypeItem: { 1: ['value', '[]string'] },
  ItemsItem: { 1: ['schema', '[]Schema'] },
  Properties: { 1: ['additionalProperties', '[]NamedSchema'] },
  NamedAny: { 1: ['name', 'string'], 2: ['value', 'Any'] },
  // gnostic's Any: a google.protobuf.Any or, as the apiserver writes vendor extensions, YAML text.
  Any: { 1: ['value', 'ProtobufAny'], 2: ['yaml', 'string'] },
  ProtobufAny: { 1: ['typeUrl', 'string'], 2: ['value', 'bytes'] },
};

const SCALARS = new Set(['string', 'int32', 'int64', 'bool', 'bytes', 'double']);
let root: protobuf.Root | undefined;

/**
 * The protobufjs types of {@link openapiV2Messages}, built at first use.
 * @example openapiV2Type('Document').encode(doc).finish()
 */
export function openapiV2Type(name: string): protobuf.Type {
  if (!root) {
    root = new protobuf.Root();
    for (const [messageName, fields] of Object.entries(openapiV2Messages)) {
      const type = new protobuf.Type(messageName);
      for (const [id, [fieldName, spec]] of Object.entries(fields)) {
        const repeated = spec.startsWith('[]');
        const t = repeated ? spec.slice(2) : spec;
        if (!SCALARS.has(t) && !openapiV2Messages[t]) throw new Error(`openapi-v2 table: ${messageName}.${fieldName} names unknown type ${t}`);
        type.add(new protobuf.Field(fieldName, Number(id), t, repeated ? 'repeated' : 'optional'));
      }
      root.add(type);
    }
    root.resolveAll();
  }
  return root.lookupType(name);
}
