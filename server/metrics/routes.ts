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
import { listOptions, wantsTable, type ResourcePath } from '../api/request.js';
import type { IncludeObject } from '../api/tables/table.js';
import type { Registry } from '../registry/rest.js';
import { isKubeletReachable, nodeMetrics, podMetrics, type NodeMetrics, type PodMetrics } from './metrics-server.js';
import { metricsTable } from './table.js';

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

/** Nodes whose kubelet the scrape at `now` reaches (fresh node Lease). */
function reachableNodes(deps: MetricsRouteDeps, now: number): Set<string> {
  const info = deps.table.lookup('coordination.k8s.io', 'v1', 'leases')!;
  const leases = deps.registry.list({ info, namespace: 'kube-node-lease' }, {}).items.map((o) => o.object as { metadata: { name?: string }; spec?: { renewTime?: string } });
  return new Set(leases.filter((l) => isKubeletReachable(l, now)).map((l) => l.metadata.name ?? ''));
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
  const reachable = reachableNodes(deps, now);
  for (const node of nodes.filter((n) => reachable.has(n.metadata?.name ?? ''))) {
    const m = nodeMetrics(node, byNode.get(node.metadata?.name ?? '') ?? [], now);
    if (m) out.push(m);
  }
  return out.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
}

/** How the answer is rendered: plain JSON, or a Table with the given row objects (`kubectl get`). */
type Render = { table: false } | { table: true; include: IncludeObject };

function send(reply: FastifyReply, body: unknown): FastifyReply {
  return reply.code(200).type('application/json').send(JSON.stringify(body));
}

function sendList(reply: FastifyReply, r: Render, kind: 'PodMetrics' | 'NodeMetrics', items: Array<PodMetrics | NodeMetrics>): FastifyReply {
  if (r.table) return send(reply, metricsTable(items, kind, r.include));
  return send(reply, { kind: `${kind}List`, apiVersion: API_VERSION, metadata: {}, items });
}

function sendOne(reply: FastifyReply, r: Render, kind: 'PodMetrics' | 'NodeMetrics', m: PodMetrics | NodeMetrics): FastifyReply {
  if (r.table) return send(reply, metricsTable([m], kind, r.include));
  return send(reply, { kind, apiVersion: API_VERSION, ...m });
}

function servePods(deps: MetricsRouteDeps, p: ResourcePath, q: Query, reply: FastifyReply, r: Render): FastifyReply {
  const now = deps.clock.now();
  if (p.name === undefined) {
    const reachable = reachableNodes(deps, now);
    const pods = listPods(deps, p.namespace, q).filter((pod) => reachable.has(pod.spec?.nodeName ?? ''));
    const items = pods.flatMap((pod) => podMetrics(pod, now) ?? []).sort(byNamespaceAndName);
    return sendList(reply, r, 'PodMetrics', items);
  }
  const pod = deps.registry.list({ info: coreInfo(deps.table, 'pods'), namespace: p.namespace }, { fieldSelector: `metadata.name=${p.name}` }).items[0]?.object as Pod | undefined;
  if (!pod) throw notFound({ group: '', resource: 'pods', name: p.name });
  const m = reachableNodes(deps, now).has(pod.spec?.nodeName ?? '') ? podMetrics(pod, now) : undefined;
  if (!m) throw notFound({ group: METRICS_GROUP, resource: 'podmetrics', name: `${p.namespace}/${p.name}` });
  return sendOne(reply, r, 'PodMetrics', m);
}

function serveNodes(deps: MetricsRouteDeps, p: ResourcePath, q: Query, reply: FastifyReply, r: Render): FastifyReply {
  const now = deps.clock.now();
  const info = coreInfo(deps.table, 'nodes');
  if (p.name === undefined) {
    const { labelSelector, fieldSelector } = listOptions(q);
    const opts = { ...(labelSelector ? { labelSelector } : {}), ...(fieldSelector ? { fieldSelector } : {}) };
    const nodes = deps.registry.list({ info, namespace: '' }, opts).items.map((o) => o.object as Node);
    return sendList(reply, r, 'NodeMetrics', nodeMetricsOf(deps, nodes, now));
  }
  const node = deps.registry.list({ info, namespace: '' }, { fieldSelector: `metadata.name=${p.name}` }).items[0]?.object as Node | undefined;
  // The node lister's NotFound names the resource in the singular.
  if (!node) throw notFound({ group: '', resource: 'node', name: p.name });
  const m = nodeMetricsOf(deps, [node], now)[0];
  if (!m) throw notFound({ group: METRICS_GROUP, resource: 'nodemetrics', name: p.name });
  return sendOne(reply, r, 'NodeMetrics', m);
}

/** GET on /apis/metrics.k8s.io/v1beta1/{nodes,pods,namespaces/NS/pods}[/NAME]. */
export function metricsRoutes(deps: MetricsRouteDeps, p: ResourcePath, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (req.method !== 'GET' || p.subresource) throw methodNotAllowed();
  const q = req.query as Query;
  const include = (Array.isArray(q.includeObject) ? q.includeObject[0] : q.includeObject) ?? 'Metadata';
  const r: Render = wantsTable(req) ? { table: true, include: include === 'None' || include === 'Object' ? include : 'Metadata' } : { table: false };
  return p.info.plural === 'nodes' ? serveNodes(deps, p, q, reply, r) : servePods(deps, p, q, reply, r);
}
