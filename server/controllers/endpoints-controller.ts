/**
 * The Endpoints controller: one core/v1 Endpoints object per Service with a selector, listing the
 * matching pods' addresses (ready ones in `addresses`, the others in `notReadyAddresses`) and the
 * ports resolved from each service port's targetPort. Also keeps the apiserver's own `kubernetes`
 * Endpoints and EndpointSlice, which kube-apiserver (not a controller) maintains upstream.
 *
 * Port of kubernetes pkg/controller/endpoint/endpoints_controller.go, pkg/api/v1/endpoints/util.go
 * (RepackSubsets) and pkg/controlplane/reconcilers/endpointsadapter.go.
 */
import { createHash } from 'node:crypto';
import type { KubeObject } from '../../schemas/types/meta.js';
import { rfc3339 } from '../clock.js';
import type { LocalClient } from '../client/api-client.js';
import type { ClusterContext, StartComponent } from '../cluster.js';
import { objectKey, type Informer } from '../informers/informer.js';
import {
  canonicalJSON, findPort, getPodServiceMemberships, getServicesToUpdateOnPodChange, hasSelector, HEADLESS_SERVICE_LABEL, isPodReady,
  LAST_CHANGE_TRIGGER_TIME_ANNOTATION, podIPForService, selectsPod, shouldPodBeInEndpoints, shouldSetHostname, TriggerTimeTracker,
  type Pod, type Service, type ServicePort,
} from './endpoints-util.js';
import { runController } from './runner.js';
import { KUBE_CONTROLLER_MANAGER } from './field-managers.js';

/** At most this many addresses are stored in one Endpoints object (maxCapacity). */
const MAX_CAPACITY_ADDRESSES = 1000;
/** `endpoints.kubernetes.io/over-capacity`, set to `truncated` when addresses were dropped. */
const OVER_CAPACITY_ANNOTATION = 'endpoints.kubernetes.io/over-capacity';
/** The apiserver's own service and the port it listens on. */
const MASTER_SERVICE = { namespace: 'default', name: 'kubernetes' };
const APISERVER_PORT = 6443;

/** One address of a subset. */
export interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef?: { kind: string; namespace?: string; name: string; uid?: string };
}

/** One port of a subset. */
export interface EndpointPort {
  name?: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

/** One subset: addresses that all serve the same ports. */
export interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: EndpointPort[];
}

/**
 * Starts the Endpoints controller (source `endpoint-controller`) and the apiserver's reconciler of
 * the `kubernetes` service endpoints.
 */
export const startEndpointsController: StartComponent = (ctx) => {
  const services = ctx.informers.for('services');
  const pods = ctx.informers.for('pods');
  const endpoints = ctx.informers.for('endpoints');
  const client = ctx.client(KUBE_CONTROLLER_MANAGER);
  const recorder = ctx.recorder({ component: 'endpoint-controller' });
  const tracker = new TriggerTimeTracker();
  const reconcile = (key: string): void => {
    if (key === MASTER_KEY) return reconcileMasterEndpoints(ctx, ctx.client('kube-apiserver'));
    syncService(key, { client, services, pods, tracker, onError: (svc, created, err) => {
      const [reason, message] = created
        ? ['FailedToCreateEndpoint', `Failed to create endpoint for service ${key}: ${err}`]
        : ['FailedToUpdateEndpoint', `Failed to update endpoint ${key}: ${err}`];
      recorder.event(svc, 'Warning', reason, message);
    } });
  };
  const { queue, stop } = runController({ name: 'endpoint-controller', reconcile }, ctx.clock);
  const enqueueMaster = (o: Readonly<KubeObject>) => {
    if (objectKey(o) === MASTER_KEY) queue.add(MASTER_KEY);
  };
  services.on({ add: (s) => queue.add(objectKey(s)), update: (_o, s) => queue.add(objectKey(s)), delete: (s) => queue.add(objectKey(s)) });
  pods.on({
    add: (p) => getPodServiceMemberships(services, p).forEach((k) => queue.add(k)),
    update: (o, p) => getServicesToUpdateOnPodChange(services, o, p).forEach((k) => queue.add(k)),
    delete: (p) => getPodServiceMemberships(services, p).forEach((k) => queue.add(k)),
  });
  // Endpoints deleted by hand come back; leftovers of deleted services are removed.
  endpoints.on({ add: (e) => queue.add(objectKey(e)), update: (_o, e) => enqueueMaster(e), delete: (e) => queue.add(objectKey(e)) });
  ctx.informers.for('endpointslices.discovery.k8s.io').on({ update: (_o, e) => enqueueMaster(e), delete: enqueueMaster });
  queue.add(MASTER_KEY);
  return stop;
};

const MASTER_KEY = `${MASTER_SERVICE.namespace}/${MASTER_SERVICE.name}`;

interface SyncDeps {
  client: LocalClient;
  services: Informer;
  pods: Informer;
  tracker: TriggerTimeTracker;
  onError(svc: Readonly<KubeObject>, created: boolean, err: unknown): void;
}

/** syncService: computes the service's subsets and creates, updates or deletes its Endpoints. */
function syncService(key: string, deps: SyncDeps): void {
  const [namespace = '', name = ''] = key.split('/');
  const svc = deps.services.get(key) as Service | undefined;
  if (!svc) {
    deps.client.delete('endpoints', { namespace, name });
    deps.tracker.deleteService(key);
    return;
  }
  // ExternalName services and selectorless ones (endpoints written by hand) are not ours.
  if (svc.spec?.type === 'ExternalName' || !hasSelector(svc)) return;
  const pods = (deps.pods.list(namespace) as Pod[]).filter((p) => selectsPod(svc, p)).sort(byName);
  const triggerTime = deps.tracker.compute(key, svc, pods);
  const subsets = repackSubsets(computeSubsets(svc, pods));
  const current = deps.client.get('endpoints', { namespace, name });
  const labels = { ...(svc.metadata.labels ?? {}) };
  if (current && upToDate(current, subsets, labels)) return;
  const desired = desiredEndpoints(svc, current, subsets, triggerTime);
  try {
    if (current) deps.client.mutate('endpoints', { namespace, name }, (cur) => withSubsets({ ...cur, metadata: { ...cur.metadata, labels: desired.metadata.labels, annotations: desired.metadata.annotations } }, subsets));
    else deps.client.create('endpoints', desired);
  } catch (err) {
    deps.onError(svc, !current, err instanceof Error ? err.message : String(err));
    throw err;
  }
}

function byName(a: Readonly<KubeObject>, b: Readonly<KubeObject>): number {
  return (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
}

/** One single-address subset per pod and resolvable port, as syncService builds them before repacking. */
function computeSubsets(svc: Readonly<Service>, pods: readonly Readonly<Pod>[]): EndpointSubset[] {
  const tolerateUnready = svc.spec?.publishNotReadyAddresses === true;
  const subsets: EndpointSubset[] = [];
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, tolerateUnready)) continue;
    const ip = podIPForService(svc, pod);
    if (!ip) continue;
    const addr: EndpointAddress = {
      ip,
      ...(shouldSetHostname(pod, svc) ? { hostname: pod.spec!.hostname! } : {}),
      nodeName: pod.spec?.nodeName ?? '',
      targetRef: { kind: 'Pod', namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '' },
    };
    const ready = tolerateUnready || isPodReady(pod);
    const ports = svc.spec?.ports ?? [];
    // A headless service may have no ports at all.
    if (ports.length === 0) {
      if (svc.spec?.clusterIP === 'None') subsets.push(ready ? { addresses: [addr], ports: [] } : { notReadyAddresses: [addr], ports: [] });
      continue;
    }
    for (const sp of ports) {
      const port = findPort(pod, sp);
      if (port === undefined) continue;
      const epp = endpointPort(sp, port);
      subsets.push(ready ? { addresses: [addr], ports: [epp] } : { notReadyAddresses: [addr], ports: [epp] });
    }
  }
  return subsets;
}

function endpointPort(sp: Readonly<ServicePort>, port: number): EndpointPort {
  return { ...(sp.name ? { name: sp.name } : {}), port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) };
}

/**
 * RepackSubsets: regroups single-address subsets into the canonical layout, one subset per set of
 * addresses sharing the same ports; an address not ready on any port is not ready on all of them.
 * Subsets without ports vanish here, so (as upstream) a headless service without ports gets an
 * Endpoints object without subsets.
 */
export function repackSubsets(subsets: readonly EndpointSubset[]): EndpointSubset[] {
  const addrs = new Map<string, EndpointAddress>();
  const portAddrs = new Map<string, { port: EndpointPort; ready: Map<string, boolean> }>();
  const visit = (addr: EndpointAddress, port: EndpointPort, ready: boolean) => {
    const ak = `${addr.ip}\u0000${addr.targetRef?.uid ?? ''}`;
    if (!addrs.has(ak)) addrs.set(ak, addr);
    const pk = JSON.stringify([port.name ?? '', port.port, port.protocol, port.appProtocol ?? null]);
    let entry = portAddrs.get(pk);
    if (!entry) portAddrs.set(pk, (entry = { port, ready: new Map() }));
    if (entry.ready.get(ak) !== false) entry.ready.set(ak, ready);
  };
  for (const ss of subsets) {
    for (const port of ss.ports ?? []) {
      for (const a of ss.addresses ?? []) visit(a, port, true);
      for (const a of ss.notReadyAddresses ?? []) visit(a, port, false);
    }
  }
  const groups = new Map<string, { ready: Map<string, boolean>; ports: EndpointPort[] }>();
  for (const { port, ready } of portAddrs.values()) {
    const gk = JSON.stringify([...ready.entries()].sort());
    const g = groups.get(gk);
    if (g) g.ports.push(port);
    else groups.set(gk, { ready, ports: [port] });
  }
  const out: EndpointSubset[] = [];
  for (const { ready, ports } of groups.values()) {
    const readyAddrs = [...ready].filter(([, r]) => r).map(([k]) => addrs.get(k)!).sort(lessAddress);
    const notReady = [...ready].filter(([, r]) => !r).map(([k]) => addrs.get(k)!).sort(lessAddress);
    out.push({ ...(readyAddrs.length ? { addresses: readyAddrs } : {}), ...(notReady.length ? { notReadyAddresses: notReady } : {}), ports: ports.sort(byPortHash) });
  }
  // Upstream orders subsets by an md5 of their Go dump; a JSON digest keeps the order stable.
  return out.sort((a, b) => digest(JSON.stringify(a)).localeCompare(digest(JSON.stringify(b))));
}

/** LessEndpointAddress: by IP bytes, then by target UID. */
function lessAddress(a: EndpointAddress, b: EndpointAddress): number {
  if (a.ip !== b.ip) return a.ip < b.ip ? -1 : 1;
  const ua = a.targetRef?.uid ?? '';
  const ub = b.targetRef?.uid ?? '';
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

function digest(s: string): string {
  return createHash('md5').update(s).digest('hex');
}

/**
 * portsByHash: upstream sorts a subset's ports by the md5 of spew's `%#v` dump of v1.EndpointPort;
 * the dump is rebuilt here field by field so multi-port services list ports in the same order.
 */
function byPortHash(a: EndpointPort, b: EndpointPort): number {
  const dump = (p: EndpointPort) =>
    `(v1.EndpointPort){Name:(string)${p.name ?? ''} Port:(int32)${p.port} Protocol:(v1.Protocol)${p.protocol} AppProtocol:(*string)${p.appProtocol ?? '<nil>'}}`;
  return digest(dump(a)).localeCompare(digest(dump(b)));
}

function upToDate(current: Readonly<KubeObject>, subsets: EndpointSubset[], labels: Record<string, string>): boolean {
  const { [HEADLESS_SERVICE_LABEL]: _h, ...currentLabels } = current.metadata.labels ?? {};
  const count = subsets.reduce((n, s) => n + (s.addresses?.length ?? 0) + (s.notReadyAddresses?.length ?? 0), 0);
  const capacityOk = count <= MAX_CAPACITY_ADDRESSES && !(current.metadata.annotations ?? {})[OVER_CAPACITY_ANNOTATION];
  return capacityOk && sameJSON(current.subsets ?? [], subsets) && sameJSON(currentLabels, labels);
}

function sameJSON(a: unknown, b: unknown): boolean {
  return canonicalJSON(a) === canonicalJSON(b);
}

/** The Endpoints object to write: the service's labels (+ headless), trigger time and capacity annotations. */
function desiredEndpoints(svc: Readonly<Service>, current: Readonly<KubeObject> | undefined, subsets: EndpointSubset[], triggerTime: number): KubeObject {
  const annotations = { ...(current?.metadata.annotations ?? {}) };
  if (triggerTime) annotations[LAST_CHANGE_TRIGGER_TIME_ANNOTATION] = rfc3339(triggerTime);
  else delete annotations[LAST_CHANGE_TRIGGER_TIME_ANNOTATION];
  if (truncateEndpoints(subsets)) annotations[OVER_CAPACITY_ANNOTATION] = 'truncated';
  else delete annotations[OVER_CAPACITY_ANNOTATION];
  const labels = { ...(svc.metadata.labels ?? {}) };
  const headless = !svc.spec?.clusterIP || svc.spec.clusterIP === 'None';
  if (headless) labels[HEADLESS_SERVICE_LABEL] = '';
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: svc.metadata.name, namespace: svc.metadata.namespace, labels, annotations },
    ...(subsets.length > 0 ? { subsets } : {}),
  };
}

/** Sets subsets, leaving the field out when empty (omitempty upstream). */
function withSubsets(obj: KubeObject, subsets: EndpointSubset[]): KubeObject {
  const { subsets: _old, ...rest } = obj;
  return subsets.length > 0 ? { ...rest, subsets } : rest as KubeObject;
}

/**
 * truncateEndpoints: beyond 1000 addresses, keeps ready addresses first and shares the room among
 * subsets in proportion to their size (rounded up, the last subset gets what is left).
 */
function truncateEndpoints(subsets: EndpointSubset[]): boolean {
  const totalReady = subsets.reduce((n, s) => n + (s.addresses?.length ?? 0), 0);
  const totalNotReady = subsets.reduce((n, s) => n + (s.notReadyAddresses?.length ?? 0), 0);
  if (totalReady + totalNotReady <= MAX_CAPACITY_ADDRESSES) return false;
  const truncateReady = totalReady > MAX_CAPACITY_ADDRESSES;
  const max = truncateReady ? MAX_CAPACITY_ADDRESSES : MAX_CAPACITY_ADDRESSES - totalReady;
  const numTotal = truncateReady ? totalReady : totalNotReady;
  let canBeAdded = max;
  for (const s of subsets) {
    const inSubset = truncateReady ? (s.addresses?.length ?? 0) : (s.notReadyAddresses?.length ?? 0);
    const toBeAdded = Math.min(Math.ceil((inSubset / numTotal) * max), canBeAdded);
    if (truncateReady) {
      s.addresses = s.addresses?.slice(0, toBeAdded);
      delete s.notReadyAddresses;
      canBeAdded -= s.addresses?.length ?? 0;
    } else {
      s.notReadyAddresses = s.notReadyAddresses?.slice(0, toBeAdded);
      canBeAdded -= s.notReadyAddresses?.length ?? 0;
    }
  }
  return true;
}

/**
 * The apiserver's endpoint reconciler: the `kubernetes` service points at the control-plane
 * nodes' addresses on 6443, as an Endpoints object (label skip-mirror) and an EndpointSlice named
 * `kubernetes` whose endpoints carry only `ready: true`.
 */
function reconcileMasterEndpoints(ctx: ClusterContext, client: LocalClient): void {
  const key = MASTER_SERVICE;
  if (!client.get('services', key)) return;
  const ips = ctx.config.nodes.filter((n) => n.controlPlane).map((n) => n.address).sort();
  const ports = [{ name: 'https', port: APISERVER_PORT, protocol: 'TCP' }];
  const subsets = [{ addresses: ips.map((ip) => ({ ip })), ports }];
  const labels = { 'endpointslice.kubernetes.io/skip-mirror': 'true' };
  const ep = client.get('endpoints', key);
  if (!ep) client.create('endpoints', { apiVersion: 'v1', kind: 'Endpoints', metadata: { ...key, labels }, subsets });
  else if (!sameJSON(ep.subsets, subsets) || !sameJSON(ep.metadata.labels, labels)) {
    client.mutate('endpoints', key, (cur) => ({ ...cur, metadata: { ...cur.metadata, labels }, subsets }));
  }
  const endpoints = ips.map((ip) => ({ addresses: [ip], conditions: { ready: true } }));
  const sliceLabels = { 'kubernetes.io/service-name': key.name };
  const slice = client.get('endpointslices.discovery.k8s.io', key);
  const body = { addressType: 'IPv4', endpoints, ports };
  if (!slice) client.create('endpointslices.discovery.k8s.io', { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { ...key, labels: sliceLabels }, ...body });
  else if (!sameJSON(slice.endpoints, endpoints) || !sameJSON(slice.ports, ports) || !sameJSON(slice.metadata.labels, sliceLabels)) {
    client.mutate('endpointslices.discovery.k8s.io', key, (cur) => ({ ...cur, metadata: { ...cur.metadata, labels: sliceLabels }, ...body }));
  }
}
