import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { apiVersionOf, type ResourceTable } from '../../../schemas/index.js';
import type { KubeObject } from '../../../schemas/types/meta.js';
import type { Clock } from '../../clock.js';
import { toEventsV1 } from '../../registry/event-conversion.js';
import type { Registry, Scope, WriteResult } from '../../registry/rest.js';
import type { StoredObject } from '../../storage/store.js';
import type { Hub } from '../../watch/hub.js';
import { badRequest, methodNotAllowed } from '../errors.js';
import { decodeRequestBody, deleteOptions, listOptions, parseResourcePath, wantsTable, writeOptions, type ResourcePath } from '../request.js';
import { toTable, type IncludeObject } from '../tables/table.js';
import { patchObject } from './patch.js';
import { scaleRoutes } from './scale.js';
import { tokenRequest } from './token.js';
import { binding } from './binding.js';
import { eviction } from './eviction.js';
import { review } from './reviews.js';
import { serveWatch } from './watch.js';
import { podLogs } from './logs.js';
import { METRICS_GROUP, metricsRoutes } from '../../metrics/routes.js';
import { podStreamWithoutUpgrade } from './exec.js';
import type { ContainerLogStore } from '../../kubelet/container-logs.js';
import type { Pod } from 'kubernetes-types/core/v1.js';

export interface ResourceRouteDeps {
  table: ResourceTable;
  registry: Registry;
  hub: Hub;
  clock: Clock;
  /** Signs service account tokens (TokenRequest). */
  signingKey: string;
  /** Closers of the open watch streams, ended before the server closes. */
  watches?: Set<() => void>;
  /** Container logs of the fake kubelets (pods/log). */
  logs?: ContainerLogStore;
}

type Query = Record<string, string | string[] | undefined>;

const COMMA = Buffer.from(',');
const TAIL = Buffer.from(']}');

/** The storage-shaped object as the addressed version shows it (events.k8s.io converts). */
export function present(p: { info: { group: string; kind: string } }, obj: KubeObject): KubeObject {
  return p.info.group === 'events.k8s.io' ? toEventsV1(obj) : obj;
}

function includeObjectOf(q: Query): IncludeObject {
  const v = (Array.isArray(q.includeObject) ? q.includeObject[0] : q.includeObject) ?? 'Metadata';
  if (v !== 'None' && v !== 'Metadata' && v !== 'Object') throw badRequest(`includeObject: Unsupported value: ${JSON.stringify(v)}: supported values: "Metadata", "None", "Object"`);
  return v;
}

/** The API verb of a request on a resource (not a subresource), for the resource's verb list. */
function verbOf(req: FastifyRequest, p: ResourcePath): string {
  const collection = p.name === undefined;
  const q = req.query as Query;
  switch (req.method) {
    case 'GET': return collection ? (q.watch === 'true' || q.watch === '1' ? 'watch' : 'list') : 'get';
    case 'POST': return 'create';
    case 'PUT': return 'update';
    case 'PATCH': return 'patch';
    case 'DELETE': return collection ? 'deletecollection' : 'delete';
    default: return req.method.toLowerCase();
  }
}

/** Since v1.33 (KEP-4974) every request on core/v1 Endpoints answers with this warning. */
const ENDPOINTS_DEPRECATION = 'v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice';

/**
 * Adds Warning headers on the raw response, so they also reach hijacked replies (lists, watches)
 * and error answers, and add to the ones already set.
 */
function warn(reply: FastifyReply, warnings: string[]): void {
  if (warnings.length === 0) return;
  const prior = reply.raw.getHeader('Warning');
  const before = prior === undefined ? [] : Array.isArray(prior) ? prior : [String(prior)];
  reply.raw.setHeader('Warning', [...before, ...warnings.map((w) => `299 - ${JSON.stringify(w)}`)]);
}

/** Registers the collection and item routes for every served resource. */
export async function resourceRoutes(app: FastifyInstance, deps: ResourceRouteDeps): Promise<void> {
  const watches = deps.watches ?? new Set<() => void>();
  const withWatches = { ...deps, watches };
  // Open watches would keep close() waiting forever; end them first, as the apiserver does on shutdown.
  app.addHook('preClose', async () => {
    for (const close of [...watches]) close();
  });
  const handler = (req: FastifyRequest, reply: FastifyReply) => handle(withWatches, req, reply);
  for (const prefix of ['/api/v1/*', '/apis/:group/:version/*']) {
    app.route({ method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], url: prefix, handler });
  }
}

async function handle(deps: ResourceRouteDeps, req: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  const p = parseResourcePath(deps.table, req.url);
  if (p.info.group === '' && p.info.kind === 'Endpoints') warn(reply, [ENDPOINTS_DEPRECATION]);
  if (!p.subresource && !p.info.verbs.includes(verbOf(req, p))) throw methodNotAllowed();
  if (p.info.group.endsWith('.k8s.io') && p.info.kind.endsWith('Review')) return review(p, req, reply);
  if (p.info.group === METRICS_GROUP) return metricsRoutes(deps, p, req, reply);
  if (p.subresource === 'scale') return scaleRoutes(deps, p, req, reply);
  if (p.subresource === 'token') return tokenRequest(deps, p, req, reply, deps.signingKey);
  if (p.subresource === 'binding' || (p.info.kind === 'Binding' && p.name === undefined)) return binding(deps, p, req, reply);
  if (p.subresource === 'eviction' && p.info.kind === 'Pod') return eviction(deps, p, req, reply);
  if (p.subresource === 'log' && req.method === 'GET' && p.name !== undefined && deps.logs) {
    const getPod = (namespace: string, name: string) => deps.registry.get({ info: p.info, namespace, name }).object as Pod;
    return podLogs({ getPod, logs: deps.logs, clock: deps.clock }, { namespace: p.namespace, name: p.name }, req, reply);
  }
  if ((p.subresource === 'exec' || p.subresource === 'attach') && p.name !== undefined) return podStreamWithoutUpgrade(deps, req.url);
  if (p.subresource && p.subresource !== 'status') throw methodNotAllowed();
  const q = req.query as Query;
  const scope: Scope = p.name === undefined ? { info: p.info, namespace: p.namespace } : { info: p.info, namespace: p.namespace, name: p.name };
  if (p.name === undefined) return collection(deps, p, scope, req, reply, q);
  switch (req.method) {
    case 'GET':
      return sendObject(deps, p, req, reply, deps.registry.get(scope));
    case 'PUT':
      return sendWrite(p, reply, deps.registry.update(scope, decodeRequestBody(req), writeOptions(q, req.headers['user-agent']), p.subresource === 'status' ? 'status' : 'main'));
    case 'PATCH':
      return sendWrite(p, reply, patchObject(deps.registry, scope, req, writeOptions(q, req.headers['user-agent']), p.subresource === 'status' ? 'status' : 'main'));
    case 'DELETE': {
      if (p.subresource) throw methodNotAllowed();
      const res = deps.registry.delete(scope, deleteOptions(q, decodeRequestBody(req)));
      return reply.code(200).type('application/json').send(JSON.stringify(present(p, res.object)));
    }
    default:
      throw methodNotAllowed();
  }
}

async function collection(deps: ResourceRouteDeps, p: ResourcePath, scope: Scope, req: FastifyRequest, reply: FastifyReply, q: Query): Promise<unknown> {
  if (req.method === 'GET') {
    const w = Array.isArray(q.watch) ? q.watch[0] : q.watch;
    if (w === 'true' || w === '1') return serveWatch(deps, p, req, reply);
    return sendList(deps, p, req, reply, q);
  }
  // Namespaced objects are created in a namespace, never through the all-namespaces path.
  if (req.method === 'POST' && (!scope.info.namespaced || scope.namespace)) {
    return sendWrite(p, reply, deps.registry.create(scope, decodeRequestBody(req), writeOptions(q, req.headers['user-agent'])));
  }
  if (req.method === 'DELETE') {
    const deleted = deps.registry.deleteCollection(scope, listOptions(q), deleteOptions(q, decodeRequestBody(req)));
    const body = { kind: `${p.info.kind}List`, apiVersion: apiVersionOf(p.info), metadata: { resourceVersion: String(deps.registry.deps.store.revision) }, items: deleted.map((o) => present(p, o)) };
    return reply.type('application/json').send(JSON.stringify(body));
  }
  throw methodNotAllowed();
}

function sendWrite(p: ResourcePath, reply: FastifyReply, res: WriteResult): FastifyReply {
  warn(reply, res.warnings);
  const shown = present(p, res.object);
  return reply.code(res.created ? 201 : 200).type('application/json').send(shown === res.object && res.raw ? res.raw : JSON.stringify(shown));
}

function sendObject(deps: ResourceRouteDeps, p: ResourcePath, req: FastifyRequest, reply: FastifyReply, o: StoredObject): FastifyReply {
  reply.type('application/json');
  // The status subresource prints as its object does (StatusREST.ConvertToTable delegates to the store).
  if (wantsTable(req) && (!p.subresource || p.subresource === 'status')) {
    const table = toTable([present(p, o.object as KubeObject)], tableOptions(deps, p, req.query as Query, String(o.modRevision)));
    return reply.send(JSON.stringify(table));
  }
  return reply.send(p.info.group === 'events.k8s.io' ? JSON.stringify(present(p, o.object as KubeObject)) : o.raw);
}

function tableOptions(deps: ResourceRouteDeps, p: ResourcePath, q: Query, resourceVersion: string) {
  return { group: p.info.group, plural: p.info.plural, includeObject: includeObjectOf(q), now: deps.clock.now(), resourceVersion };
}

function sendList(deps: ResourceRouteDeps, p: ResourcePath, req: FastifyRequest, reply: FastifyReply, q: Query): FastifyReply {
  const list = deps.registry.list({ info: p.info, namespace: p.namespace }, listOptions(q));
  reply.type('application/json');
  if (wantsTable(req)) {
    const opts = { ...tableOptions(deps, p, q, list.resourceVersion), ...(list.continue ? { continue: list.continue, remainingItemCount: list.remainingItemCount } : {}) };
    return reply.send(JSON.stringify(toTable(list.items.map((o) => present(p, o.object as KubeObject)), opts)));
  }
  const meta: Record<string, unknown> = { resourceVersion: list.resourceVersion };
  if (list.continue) {
    meta.continue = list.continue;
    meta.remainingItemCount = list.remainingItemCount;
  }
  const head = Buffer.from(`{"kind":"${p.info.kind}List","apiVersion":"${apiVersionOf(p.info)}","metadata":${JSON.stringify(meta)},"items":[`);
  // Stored objects are already serialised: a list is their concatenation, with no re-encoding.
  const items = p.info.group === 'events.k8s.io' ? list.items.map((o) => Buffer.from(JSON.stringify(present(p, o.object as KubeObject)))) : list.items.map((o) => o.raw);
  // The parts go to the socket as they are (one writev): no 1 MB concatenation per list.
  let length = head.length + TAIL.length + Math.max(0, items.length - 1);
  for (const b of items) length += b.length;
  const res = reply.raw;
  reply.hijack();
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': length });
  res.cork();
  res.write(head);
  items.forEach((b, i) => {
    if (i > 0) res.write(COMMA);
    res.write(b);
  });
  res.end(TAIL);
  return reply;
}
