/**
 * The metrics.k8s.io/v1beta1 API (what metrics-server serves behind its APIService): list and get of
 * `nodes` (NodeMetrics) and `pods` (PodMetrics), computed from the stored pods and nodes at the
 * current virtual time. Port of the request handling of kubernetes-sigs/metrics-server
 * pkg/api/pod.go and pkg/api/node.go: items sorted by namespace and name, objects without metrics
 * left out of lists, a NotFound of the metrics resource for a single object without metrics.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { ResourceTable } from '../../schemas/index.js';
import type { Clock } from '../clock.js';
import { methodNotAllowed, notFound } from '../api/errors.js';
import { listOptions, type ResourcePath } from '../api/request.js';
import type { Registry } from '../registry/rest.js';
import { nodeMetrics, podMetrics, type NodeMetrics, type PodMetrics } from './metrics-server.js';

/** The group metrics-server registers. */
export const METRICS_GROUP = 'metrics.k8s.io';
const API_VERSION = 'metrics.k8s.io/v1beta1';

/** What the metrics routes read. */
export interface MetricsRouteDeps {
  table: ResourceTable;
  registry: Registry;
  clock: Clock;
}

type Query = Record<string, string | string[] | undefined>;

function coreInfo(table: ResourceTable, plural: 'pods' | 'nodes') {
  return table.lookup('', 'v1', plural)!;
}

function listPods(deps: MetricsRouteDeps, namespace: string, q: Query = {}): Pod[] {
  const { labelSelector, fieldSelector } = listOptions(q);
  const opts = { ...(labelSelector ? { labelSelector } : {}), ...(fieldSelector ? { fieldSelector } : {}) };
  return deps.registry.list({ info: coreInfo(deps.table, 'pods'), namespace }, opts).items.map((o) => o.object as Pod);
}

function byNamespaceAndName(a: PodMetrics, b: PodMetrics): number {
  const ka = `${a.metadata.namespace}/${a.metadata.name}`;
  const kb = `${b.metadata.namespace}/${b.metadata.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function nodeMetricsOf(deps: MetricsRouteDeps, nodes: Node[], now: number): NodeMetrics[] {
  const byNode = new Map<string, Pod[]>();
  for (const pod of listPods(deps, '')) {
    const n = pod.spec?.nodeName;
    if (n) byNode.set(n, [...(byNode.get(n) ?? []), pod]);
  }
  const out: NodeMetrics[] = [];
  for (const node of nodes) {
    const m = nodeMetrics(node, byNode.get(node.metadata?.name ?? '') ?? [], now);
    if (m) out.push(m);
  }
  return out.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
}

function send(reply: FastifyReply, body: unknown): FastifyReply {
  return reply.code(200).type('application/json').send(JSON.stringify(body));
}

function servePods(deps: MetricsRouteDeps, p: ResourcePath, q: Query, reply: FastifyReply): FastifyReply {
  const now = deps.clock.now();
  if (p.name === undefined) {
    const items = listPods(deps, p.namespace, q).flatMap((pod) => podMetrics(pod, now) ?? []).sort(byNamespaceAndName);
    return send(reply, { kind: 'PodMetricsList', apiVersion: API_VERSION, metadata: {}, items });
  }
  const pod = deps.registry.list({ info: coreInfo(deps.table, 'pods'), namespace: p.namespace }, { fieldSelector: `metadata.name=${p.name}` }).items[0]?.object as Pod | undefined;
  if (!pod) throw notFound({ group: '', resource: 'pods', name: p.name });
  const m = podMetrics(pod, now);
  if (!m) throw notFound({ group: METRICS_GROUP, resource: 'podmetrics', name: `${p.namespace}/${p.name}` });
  return send(reply, { kind: 'PodMetrics', apiVersion: API_VERSION, ...m });
}

function serveNodes(deps: MetricsRouteDeps, p: ResourcePath, q: Query, reply: FastifyReply): FastifyReply {
  const now = deps.clock.now();
  const info = coreInfo(deps.table, 'nodes');
  if (p.name === undefined) {
    const { labelSelector, fieldSelector } = listOptions(q);
    const opts = { ...(labelSelector ? { labelSelector } : {}), ...(fieldSelector ? { fieldSelector } : {}) };
    const nodes = deps.registry.list({ info, namespace: '' }, opts).items.map((o) => o.object as Node);
    return send(reply, { kind: 'NodeMetricsList', apiVersion: API_VERSION, metadata: {}, items: nodeMetricsOf(deps, nodes, now) });
  }
  const node = deps.registry.list({ info, namespace: '' }, { fieldSelector: `metadata.name=${p.name}` }).items[0]?.object as Node | undefined;
  // The node lister's NotFound names the resource in the singular.
  if (!node) throw notFound({ group: '', resource: 'node', name: p.name });
  const m = nodeMetricsOf(deps, [node], now)[0];
  if (!m) throw notFound({ group: METRICS_GROUP, resource: 'nodemetrics', name: p.name });
  return send(reply, { kind: 'NodeMetrics', apiVersion: API_VERSION, ...m });
}

/** GET on /apis/metrics.k8s.io/v1beta1/{nodes,pods,namespaces/NS/pods}[/NAME]. */
export function metricsRoutes(deps: MetricsRouteDeps, p: ResourcePath, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (req.method !== 'GET' || p.subresource) throw methodNotAllowed();
  const q = req.query as Query;
  return p.info.plural === 'nodes' ? serveNodes(deps, p, q, reply) : servePods(deps, p, q, reply);
}
