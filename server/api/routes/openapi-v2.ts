/**
 * `GET /openapi/v2`: the swagger 2.0 document of every built-in kind, as JSON or in gnostic's
 * OpenAPIv2 protobuf encoding.
 *
 * kubectl fetches it (protobuf only) whenever it validates client-side, which it does for a
 * `kind: List` (`apply -f list.yaml`, `edit a b`): k8s.io/client-go discovery.OpenAPISchema
 * decodes an openapi_v2.Document, kube-openapi's pkg/util/proto turns `definitions` into models
 * and k8s.io/kubectl pkg/util/openapi finds each kind by its `x-kubernetes-group-version-kind`.
 * The definitions are the v2 ones the v3 route also serves (schemas/generated/definitions.json).
 *
 * Ported behaviour: k8s.io/kube-openapi pkg/handler/handler.go (content types, ETag, 304).
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { stringify } from 'yaml';
import { openapiV2Type } from '../../../schemas/proto/openapi-v2.js';
import { loadDefinitions } from '../../validation/schema.js';

type Schema = Record<string, unknown>;
type PbMessage = Record<string, unknown>;

/**
 * The content type kube-openapi answers protobuf requests with. kubectl asks for the `@v1.0`
 * spelling, but `@` is no token character and Go's mime.ParseMediaType in client-go rejects a
 * response typed so ("mime: unexpected content after media subtype"): the handler answers with
 * the dotted form.
 */
export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

/** Keywords of a schema that OpenAPI v2 (and gnostic's Schema message) has no field for. */
const DROPPED = new Set(['anyOf', 'oneOf']);

/**
 * One schema node of definitions.json in swagger 2.0 form: no `x-kubedojo-*` keys (they serve
 * our decode errors only), no anyOf/oneOf, and IntOrString and Quantity written as the apiserver
 * publishes them in v2 (`type: string`, format `int-or-string` for the former), so kube-openapi
 * parses them as primitives.
 */
export function toSwaggerSchema(node: Schema): Schema {
  const out: Schema = {};
  for (const [k, v] of Object.entries(node)) {
    if (k.startsWith('x-kubedojo-') || DROPPED.has(k)) continue;
    if (k === 'x-kubernetes-int-or-string' && node.type === undefined) {
      out.type = 'string';
      out.format = 'int-or-string';
      continue;
    }
    if (k === 'properties' && v && typeof v === 'object') {
      // Property names are data, not keywords: a property may be called `anyOf` (JSONSchemaProps).
      out.properties = Object.fromEntries(Object.entries(v as Record<string, Schema>).map(([name, s]) => [name, toSwaggerSchema(s)]));
    } else if ((k === 'items' || k === 'additionalProperties') && v && typeof v === 'object') {
      out[k] = toSwaggerSchema(v as Schema);
    } else out[k] = v;
  }
  // A oneOf of primitives (Quantity: string or number) is published as a plain string.
  const variants = (node.oneOf ?? node.anyOf) as Schema[] | undefined;
  if (out.type === undefined && variants?.some((s) => s.type === 'string') && !node['x-kubernetes-int-or-string']) out.type = 'string';
  return out;
}

/** The swagger 2.0 document: definitions sorted by name, as the apiserver's JSON encoder writes its map. */
export function swaggerDocument(defs: Record<string, Schema>): Schema {
  const definitions: Record<string, Schema> = {};
  for (const name of Object.keys(defs).sort()) definitions[name] = toSwaggerSchema(defs[name]!);
  return { swagger: '2.0', info: { title: 'Kubernetes', version: 'v1.35.2' }, paths: {}, definitions };
}

/** A vendor extension or example value: gnostic's Any carrying YAML, as the apiserver writes them. */
const yamlAny = (value: unknown): PbMessage => ({ yaml: stringify(value) });

/** One swagger schema as gnostic's Schema message (openapi_v2.Schema). */
function schemaMessage(s: Schema): PbMessage {
  const m: PbMessage = {};
  for (const [k, v] of Object.entries(s)) {
    switch (k) {
      case '$ref': m.ref = v; break;
      case 'format': case 'title': case 'description': case 'pattern': m[k] = v; break;
      case 'required': m.required = v; break;
      case 'enum': m.enum = (v as unknown[]).map(yamlAny); break;
      case 'default': case 'example': m[k] = yamlAny(v); break;
      case 'type': m.type = { value: [v] }; break;
      case 'items': m.items = { schema: [schemaMessage(v as Schema)] }; break;
      case 'allOf': m.allOf = (v as Schema[]).map(schemaMessage); break;
      case 'additionalProperties':
        m.additionalProperties = typeof v === 'boolean' ? { boolean: v } : { schema: schemaMessage(v as Schema) };
        break;
      case 'properties':
        m.properties = { additionalProperties: Object.entries(v as Record<string, Schema>).map(([name, p]) => ({ name, value: schemaMessage(p) })) };
        break;
      default:
        if (k.startsWith('x-')) ((m.vendorExtension ??= []) as PbMessage[]).push({ name: k, value: yamlAny(v) });
    }
  }
  return m;
}

/** Encodes the swagger document as gnostic's openapi_v2.Document (plain protobuf, no `k8s\0` envelope). */
export function encodeSwaggerProtobuf(doc: Schema): Buffer {
  const info = doc.info as Schema;
  const defs = doc.definitions as Record<string, Schema>;
  const message = {
    swagger: doc.swagger,
    info: { title: info.title, version: info.version },
    paths: {},
    definitions: { additionalProperties: Object.entries(defs).map(([name, s]) => ({ name, value: schemaMessage(s) })) },
  };
  const type = openapiV2Type('Document');
  return Buffer.from(type.encode(type.fromObject(message)).finish());
}

interface Encoded {
  body: Buffer;
  etag: string;
}

// kube-openapi's handler tags each encoding with the upper-case hex SHA-512 of its bytes.
const etagOf = (body: Buffer): string => `"${createHash('sha512').update(body).digest('hex').toUpperCase()}"`;

// kubectl asks for protobuf only; anything else (curl, a browser) gets JSON, kube-openapi's default.
const wantsProtobuf = (req: FastifyRequest): boolean => (req.headers.accept ?? '').includes('protobuf');

/** Registers `/openapi/v2`; both encodings are built together at the first request and cached. */
export async function openapiV2Routes(app: FastifyInstance): Promise<void> {
  let cached: { json: Encoded; proto: Encoded } | undefined;
  const encoded = (): { json: Encoded; proto: Encoded } => {
    if (!cached) {
      const doc = swaggerDocument(loadDefinitions() as unknown as Record<string, Schema>);
      const json = Buffer.from(JSON.stringify(doc));
      const proto = encodeSwaggerProtobuf(doc);
      cached = { json: { body: json, etag: etagOf(json) }, proto: { body: proto, etag: etagOf(proto) } };
    }
    return cached;
  };
  app.get('/openapi/v2', async (req: FastifyRequest, reply: FastifyReply) => {
    const { body, etag } = wantsProtobuf(req) ? encoded().proto : encoded().json;
    reply.header('Etag', etag).header('Vary', 'Accept');
    if (req.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.type(wantsProtobuf(req) ? OPENAPI_V2_PROTOBUF : 'application/json').send(body);
  });
}
