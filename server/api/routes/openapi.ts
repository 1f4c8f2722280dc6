import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { apiVersionOf, type ResourceInfo, type ResourceTable } from '../../../schemas/index.js';
import { definitionFor, loadDefinitions } from '../../validation/schema.js';
import { notFoundPath } from '../errors.js';

type Schema = Record<string, unknown>;

const QUERY = (name: string, description: string) => ({ name, in: 'query', description, schema: { type: 'string', uniqueItems: true } });
const WRITE_PARAMS = [
  QUERY('dryRun', 'When present, indicates that modifications should not be persisted. Valid value: All.'),
  QUERY('fieldManager', 'A name associated with the actor or entity that is making these changes.'),
  QUERY('fieldValidation', 'How the server treats unknown or duplicate fields: Ignore, Warn (default) or Strict.'),
];
const PATCH_PARAMS = [...WRITE_PARAMS, { name: 'force', in: 'query', description: 'Force is going to "force" Apply requests.', schema: { type: 'boolean', uniqueItems: true } }];
/** Patch types announced per operation. Strategic merge is left out until the server applies it with OpenAPI metadata. */
const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml'];

/** Rewrites `#/definitions/X` refs to OpenAPI v3's `#/components/schemas/X` and collects the names. */
function collect(defs: Record<string, Schema>, roots: string[]): Record<string, Schema> {
  const out: Record<string, Schema> = {};
  const queue = [...roots];
  const rewrite = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (!node || typeof node !== 'object') return node;
    const o: Schema = {};
    let ref: string | undefined;
    for (const [k, v] of Object.entries(node as Schema)) {
      // Go type names serve our decode errors only; they are not part of the published schema.
      if (k.startsWith('x-kubedojo-')) continue;
      if (k === '$ref' && typeof v === 'string') ref = v.replace('#/definitions/', '');
      else o[k] = rewrite(v);
    }
    if (ref === undefined) return o;
    queue.push(ref);
    // OpenAPI 3.0 ignores siblings of $ref, so the field's own description sits beside an allOf, as the apiserver publishes it.
    return { ...o, allOf: [{ $ref: `#/components/schemas/${ref}` }] };
  };
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (out[name] || !defs[name]) continue;
    out[name] = rewrite(defs[name]) as Schema;
  }
  return out;
}

function operations(r: ResourceInfo, schemaName: string | undefined): Record<string, Schema> {
  const gvk = { group: r.group, version: r.version, kind: r.kind };
  const body = schemaName ? { content: { 'application/json': { schema: { $ref: `#/components/schemas/${schemaName}` } } } } : {};
  const op = (action: string, extra: Schema = {}): Schema => ({ operationId: `${action}${r.kind}`, 'x-kubernetes-action': action, 'x-kubernetes-group-version-kind': gvk, responses: { '200': { description: 'OK' } }, ...extra });
  const prefix = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  const collection = r.namespaced ? `${prefix}/namespaces/{namespace}/${r.plural}` : `${prefix}/${r.plural}`;
  const item = `${collection}/{name}`;
  const has = (verb: string): boolean => r.verbs.includes(verb);
  const only = (ops: Record<string, Schema | false>): Schema => Object.fromEntries(Object.entries(ops).filter(([, v]) => v !== false));
  const paths: Record<string, Schema> = {};
  paths[collection] = only({ get: has('list') && op('list'), post: has('create') && op('post', { parameters: WRITE_PARAMS, requestBody: body }) });
  if (has('get')) {
    paths[item] = only({
      get: op('get'),
      put: has('update') && op('put', { parameters: WRITE_PARAMS, requestBody: body }),
      patch: has('patch') && op('patch', { parameters: PATCH_PARAMS, requestBody: { content: Object.fromEntries(PATCH_TYPES.map((t) => [t, { schema: { type: 'object' } }])) } }),
      delete: has('delete') && op('delete'),
    });
  }
  if (r.namespaced && has('list')) paths[`${prefix}/${r.plural}`] = { get: op('list') };
  return paths;
}

/** Builds the OpenAPI v3 document of one group-version from the resource table and the generated schemas. */
export function groupVersionDocument(table: ResourceTable, defs: Record<string, Schema>, group: string, version: string): Schema {
  const resources = table.resources.filter((r) => r.group === group && r.version === version);
  const paths: Record<string, Schema> = {};
  const roots: string[] = [];
  for (const r of resources) {
    const name = definitionFor(r.group, r.version, r.kind);
    if (name) roots.push(name);
    Object.assign(paths, operations(r, name));
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.35.2' }, paths, components: { schemas: collect(defs, roots) } };
}

/** `/openapi/v3` (index) and `/openapi/v3/<gv>` documents, built once and served with stable hashes. */
export async function openapiRoutes(app: FastifyInstance, opts: { table: ResourceTable }): Promise<void> {
  const docs = new Map<string, { text: string; hash: string }>();
  let defs: Record<string, Schema> | undefined;
  const gvs = [...new Set(opts.table.resources.map((r) => apiVersionOf(r)))];
  const keyOf = (gv: string): string => (gv.includes('/') ? `apis/${gv}` : `api/${gv}`);
  const doc = (gv: string): { text: string; hash: string } => {
    let d = docs.get(gv);
    if (!d) {
      defs ??= loadDefinitions() as unknown as Record<string, Schema>;
      const [group, version] = gv.includes('/') ? gv.split('/') : ['', gv];
      const text = JSON.stringify(groupVersionDocument(opts.table, defs, group!, version!));
      d = { text, hash: createHash('sha512').update(text).digest('hex').slice(0, 128).toUpperCase() };
      docs.set(gv, d);
    }
    return d;
  };
  app.get('/openapi/v3', async (_req, reply) => {
    const paths = Object.fromEntries(gvs.map((gv) => [keyOf(gv), { serverRelativeURL: `/openapi/v3/${keyOf(gv)}?hash=${doc(gv).hash}` }]));
    return reply.type('application/json').send(JSON.stringify({ paths }));
  });
  app.get('/openapi/v3/*', async (req, reply) => {
    const key = (req.params as { '*': string })['*'];
    const gv = gvs.find((g) => keyOf(g) === key);
    if (!gv) throw notFoundPath();
    const d = doc(gv);
    if ((req.query as { hash?: string }).hash === d.hash) reply.header('Cache-Control', 'public, immutable');
    reply.header('Etag', `"${d.hash}"`);
    return reply.type('application/json').send(d.text);
  });
}
