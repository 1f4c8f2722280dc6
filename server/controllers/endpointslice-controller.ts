/**
 * The EndpointSlice controller: for each Service with a selector, discovery.k8s.io/v1 slices of at
 * most 100 endpoints (`<svc>-<random>`), one group per distinct port list, updated in place where
 * possible; a service without endpoints keeps one empty placeholder slice.
 *
 * Port of kubernetes pkg/controller/endpointslice/endpointslice_controller.go and
 * staging/src/k8s.io/endpointslice/reconciler.go (reconcileByPortMapping, finalize).
 */
import type { KubeObject } from '../../schemas/types/meta.js';
import { rfc3339 } from '../clock.js';
import type { LocalClient } from '../client/api-client.js';
import type { StartComponent } from '../cluster.js';
import { objectKey, type Informer } from '../informers/informer.js';
import {
  canonicalJSON, findPort, getPodServiceMemberships, getServicesToUpdateOnPodChange, hasSelector, HEADLESS_SERVICE_LABEL, isPodReady,
  LAST_CHANGE_TRIGGER_TIME_ANNOTATION, podIPForService, selectsPod, shouldPodBeInEndpoints, shouldSetHostname, TriggerTimeTracker,
  type Pod, type Service,
} from './endpoints-util.js';
import { runController } from './runner.js';
import { cloneJSON } from '../registry/strategy.js';
import { KUBE_CONTROLLER_MANAGER } from './field-managers.js';

/** --max-endpoints-per-slice default. */
export const MAX_ENDPOINTS_PER_SLICE = 100;
/** Who manages a slice (label `endpointslice.kubernetes.io/managed-by`). */
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';
const LABEL_MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
const LABEL_TOPOLOGY_ZONE = 'topology.kubernetes.io/zone';
const SLICES = 'endpointslices.discovery.k8s.io';
/** Retry delay when a pod's node is not known yet (the pod is left out meanwhile). */
const MISSING_NODE_RETRY_MS = 1000;

/** One endpoint of a slice. */
export interface Endpoint {
  addresses: string[];
  conditions: { ready: boolean; serving: boolean; terminating: boolean };
  hostname?: string;
  targetRef: { kind: string; namespace: string; name: string; uid: string };
  nodeName?: string;
  zone?: string;
}

/** One port of a slice (every field set, as the controller writes them). */
export interface SlicePort {
  name: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

interface Slice extends KubeObject {
  addressType?: string;
  endpoints?: Endpoint[] | null;
  ports?: SlicePort[] | null;
}

/** Starts the EndpointSlice controller (source `endpoint-slice-controller`). */
export const startEndpointSliceController: StartComponent = (ctx) => {
  const services = ctx.informers.for('services');
  const pods = ctx.informers.for('pods');
  const nodes = ctx.informers.for('nodes');
  const slices = ctx.informers.for(SLICES);
  const deps: SyncDeps = { client: ctx.client(KUBE_CONTROLLER_MANAGER), services, pods, nodes, tracker: new TriggerTimeTracker(), generateName: true };
  const { queue, stop } = runController({ name: 'endpointslice-controller', reconcile: (key) => syncService(key, deps) }, ctx.clock);
  services.on({ add: (s) => queue.add(objectKey(s)), update: (_o, s) => queue.add(objectKey(s)), delete: (s) => queue.add(objectKey(s)) });
  pods.on({
    add: (p) => getPodServiceMemberships(services, p).forEach((k) => queue.add(k)),
    update: (o, p) => getServicesToUpdateOnPodChange(services, o, p).forEach((k) => queue.add(k)),
    delete: (p) => getPodServiceMemberships(services, p).forEach((k) => queue.add(k)),
  });
  // A managed slice changed or deleted by someone else is put back.
  const onSlice = (s: Readonly<KubeObject>) => {
    const svc = s.metadata.labels?.[LABEL_SERVICE_NAME];
    if (svc && s.metadata.labels?.[LABEL_MANAGED_BY] === CONTROLLER_NAME) queue.add(`${s.metadata.namespace}/${svc}`);
  };
  slices.on({ update: (_o, s) => onSlice(s), delete: onSlice });
  // Zones come from node labels; a node appearing lets skipped pods in.
  nodes.on({ add: () => services.list().forEach((s) => hasSelector(s as Service) && queue.add(objectKey(s))) });
  return stop;
};

interface SyncDeps {
  client: LocalClient;
  services: Informer;
  pods: Informer;
  nodes: Informer;
  tracker: TriggerTimeTracker;
  generateName: boolean;
}

/** syncService: the desired endpoints of a service, reconciled against its existing slices. */
function syncService(key: string, deps: SyncDeps): { requeueAfterMs?: number } | void {
  const svc = deps.services.get(key) as Service | undefined;
  if (!svc) {
    // The garbage collector removes the slices through their owner reference.
    deps.tracker.deleteService(key);
    return;
  }
  if (svc.spec?.type === 'ExternalName' || !hasSelector(svc)) return;
  const namespace = svc.metadata.namespace ?? '';
  const pods = (deps.pods.list(namespace) as Pod[]).filter((p) => selectsPod(svc, p)).sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  const triggerTime = deps.tracker.compute(key, svc, pods);
  const { groups, missingNode } = desiredEndpoints(svc, pods, deps.nodes);
  const existing = deps.client.list(SLICES, { namespace, labelSelector: `${LABEL_SERVICE_NAME}=${svc.metadata.name},${LABEL_MANAGED_BY}=${CONTROLLER_NAME}` }) as Slice[];
  reconcile(svc, groups, existing, { client: deps.client, triggerTime });
  return missingNode ? { requeueAfterMs: MISSING_NODE_RETRY_MS } : undefined;
}

interface DesiredGroup {
  ports: SlicePort[];
  endpoints: Map<string, Endpoint>;
}

/** Desired endpoints grouped by port list (pods resolving named ports differently land apart). */
function desiredEndpoints(svc: Readonly<Service>, pods: readonly Readonly<Pod>[], nodes: Informer): { groups: Map<string, DesiredGroup>; missingNode: boolean } {
  const groups = new Map<string, DesiredGroup>();
  let missingNode = false;
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, true)) continue;
    const node = nodes.get(pod.spec?.nodeName ?? '');
    if (!node && !svc.spec?.publishNotReadyAddresses) {
      missingNode = true;
      continue;
    }
    const ip = podIPForService(svc, pod);
    if (!ip) continue;
    const ports = endpointPorts(svc, pod);
    const pk = canonicalJSON(ports);
    let g = groups.get(pk);
    if (!g) groups.set(pk, (g = { ports, endpoints: new Map() }));
    const ep = podToEndpoint(pod, node, svc, ip);
    g.endpoints.set(endpointKey(ep), ep);
  }
  return { groups, missingNode };
}

/** getEndpointPorts: every service port resolvable on the pod, with all fields set. */
function endpointPorts(svc: Readonly<Service>, pod: Readonly<Pod>): SlicePort[] {
  const out: SlicePort[] = [];
  for (const sp of svc.spec?.ports ?? []) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    out.push({ name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
  }
  return out;
}

/**
 * podToEndpoint: serving = Ready; terminating = being deleted; ready = serving and not
 * terminating (always true with publishNotReadyAddresses).
 */
function podToEndpoint(pod: Readonly<Pod>, node: Readonly<KubeObject> | undefined, svc: Readonly<Service>, ip: string): Endpoint {
  const serving = isPodReady(pod);
  const terminating = !!pod.metadata.deletionTimestamp;
  const ready = svc.spec?.publishNotReadyAddresses === true || (serving && !terminating);
  const zone = node?.metadata.labels?.[LABEL_TOPOLOGY_ZONE];
  return {
    addresses: [ip],
    conditions: { ready, serving, terminating },
    ...(shouldSetHostname(pod, svc) ? { hostname: pod.spec!.hostname! } : {}),
    targetRef: { kind: 'Pod', namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '' },
    ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    ...(zone ? { zone } : {}),
  };
}

/** The endpoint set's identity (addresses, hostname, target); other fields are compared apart. */
function endpointKey(ep: Readonly<Endpoint>): string {
  return JSON.stringify([ep.addresses, ep.hostname ?? '', ep.targetRef.namespace, ep.targetRef.name]);
}

interface Plan {
  toCreate: Slice[];
  toUpdate: Slice[];
  toDelete: Slice[];
}

/** reconcile: plans per port group, adds the placeholder when nothing would remain, then writes. */
function reconcile(svc: Readonly<Service>, groups: Map<string, DesiredGroup>, existing: Slice[], opts: { client: LocalClient; triggerTime: number }): void {
  const plan: Plan = { toCreate: [], toUpdate: [], toDelete: [] };
  const byPorts = new Map<string, Slice[]>();
  for (const s of existing) {
    // Slices of another address type or family are not ours to keep.
    if (s.addressType !== 'IPv4') {
      plan.toDelete.push(s);
      continue;
    }
    const pk = canonicalJSON(s.ports ?? []);
    byPorts.set(pk, [...(byPorts.get(pk) ?? []), s]);
  }
  for (const [pk, g] of groups) reconcileByPortMapping(svc, g, byPorts.get(pk) ?? [], plan);
  for (const [pk, slices] of byPorts) if (!groups.has(pk)) plan.toDelete.push(...slices);
  if (existing.length === plan.toDelete.length && plan.toCreate.length === 0) {
    const placeholder = newEndpointSlice(svc, []);
    const reusable = plan.toDelete.length === 1 && isPlaceholder(plan.toDelete[0]!);
    if (reusable) plan.toDelete = [];
    else plan.toCreate.push(placeholder);
  }
  finalize(svc, plan, opts);
}

function isPlaceholder(s: Readonly<Slice>): boolean {
  return (s.endpoints ?? []).length === 0 && (s.ports ?? []).length === 0 && s.addressType === 'IPv4';
}

/**
 * reconcileByPortMapping: 1. keep desired endpoints where they are (updating changed ones, dropping
 * unwanted ones); 2. top up slices that change anyway; 3. put the rest into one unchanged slice with
 * room, or into new slices.
 */
function reconcileByPortMapping(svc: Readonly<Service>, g: DesiredGroup, existing: Slice[], plan: Plan): void {
  const desired = new Map(g.endpoints);
  const unchanged: Slice[] = [];
  const updates: Slice[] = [];
  for (const slice of existing) {
    const kept: Endpoint[] = [];
    let changed = false;
    for (const ep of slice.endpoints ?? []) {
      const want = desired.get(endpointKey(ep));
      if (!want) continue;
      kept.push(want);
      if (canonicalJSON(want) !== canonicalJSON(ep)) changed = true;
      desired.delete(endpointKey(ep));
    }
    const labels = sliceLabels(svc, slice.metadata.labels);
    const labelsChanged = canonicalJSON(labels) !== canonicalJSON(slice.metadata.labels ?? {});
    if (changed || kept.length !== (slice.endpoints ?? []).length) {
      if (kept.length === 0) plan.toDelete.push(slice);
      else updates.push({ ...cloneJSON(slice), endpoints: kept, metadata: { ...cloneJSON(slice.metadata), labels } });
    } else if (labelsChanged) {
      updates.push({ ...cloneJSON(slice), metadata: { ...cloneJSON(slice.metadata), labels } });
    } else unchanged.push(slice);
  }
  const rest = [...desired.values()];
  updates.sort((a, b) => (b.endpoints ?? []).length - (a.endpoints ?? []).length);
  for (const s of updates) while (rest.length > 0 && s.endpoints!.length < MAX_ENDPOINTS_PER_SLICE) s.endpoints!.push(rest.shift()!);
  while (rest.length > 0) {
    let fill: Slice | undefined;
    if (rest.length < MAX_ENDPOINTS_PER_SLICE) fill = getSliceToFill(unchanged, rest.length);
    if (fill) {
      unchanged.splice(unchanged.indexOf(fill), 1);
      fill = cloneJSON(fill);
    } else fill = newEndpointSlice(svc, g.ports);
    fill.endpoints ??= [];
    while (rest.length > 0 && fill.endpoints.length < MAX_ENDPOINTS_PER_SLICE) fill.endpoints.push(rest.shift()!);
    if (fill.metadata.name) updates.push(fill);
    else plan.toCreate.push(fill);
  }
  plan.toUpdate.push(...updates);
}

/** getSliceToFill: the fullest unchanged slice that still has room for all remaining endpoints. */
function getSliceToFill(slices: Slice[], needed: number): Slice | undefined {
  let best: Slice | undefined;
  for (const s of slices) {
    const len = (s.endpoints ?? []).length;
    if (len + needed > MAX_ENDPOINTS_PER_SLICE) continue;
    if (!best || len > (best.endpoints ?? []).length) best = s;
  }
  return best;
}

/** setEndpointSliceLabels: the service's labels plus the controller's own. */
function sliceLabels(svc: Readonly<Service>, _current?: Record<string, string>): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(svc.metadata.labels ?? {})) {
    if (k !== LABEL_SERVICE_NAME && k !== LABEL_MANAGED_BY && k !== HEADLESS_SERVICE_LABEL) labels[k] = v;
  }
  if (!svc.spec?.clusterIP || svc.spec.clusterIP === 'None') labels[HEADLESS_SERVICE_LABEL] = '';
  labels[LABEL_SERVICE_NAME] = svc.metadata.name ?? '';
  labels[LABEL_MANAGED_BY] = CONTROLLER_NAME;
  return labels;
}

/** newEndpointSlice: `<svc>-` generated name, controller reference to the service. */
function newEndpointSlice(svc: Readonly<Service>, ports: SlicePort[]): Slice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      generateName: `${svc.metadata.name}-`,
      namespace: svc.metadata.namespace,
      labels: sliceLabels(svc),
      ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: svc.metadata.name ?? '', uid: svc.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
    },
    addressType: 'IPv4',
    endpoints: [],
    ports,
  };
}

/**
 * finalize: a slice about to be deleted is reused for a slice about to be created (an update
 * instead of a delete and a create), then everything is written with the trigger time.
 */
function finalize(svc: Readonly<Service>, plan: Plan, opts: { client: LocalClient; triggerTime: number }): void {
  const { client, triggerTime } = opts;
  while (plan.toCreate.length > 0 && plan.toDelete.length > 0) {
    const old = plan.toDelete.shift()!;
    const created = plan.toCreate.shift()!;
    plan.toUpdate.push({ ...cloneJSON(old), endpoints: created.endpoints, ports: created.ports, metadata: { ...cloneJSON(old.metadata), labels: created.metadata.labels } });
  }
  const withTrigger = (s: Slice): Slice => {
    const annotations = { ...(s.metadata.annotations ?? {}) };
    if (triggerTime) annotations[LAST_CHANGE_TRIGGER_TIME_ANNOTATION] = rfc3339(triggerTime);
    else delete annotations[LAST_CHANGE_TRIGGER_TIME_ANNOTATION];
    return { ...s, metadata: { ...s.metadata, annotations }, endpoints: nullIfEmpty(s.endpoints), ports: nullIfEmpty(s.ports) };
  };
  // The registry defaults objects in place and freezes what it stores: hand it copies.
  for (const s of plan.toCreate) client.create(SLICES, cloneJSON(withTrigger(s)));
  for (const s of plan.toUpdate) {
    const next = cloneJSON(withTrigger(s));
    client.mutate(SLICES, { namespace: svc.metadata.namespace, name: s.metadata.name ?? '' }, (cur) => ({ ...cur, metadata: { ...cur.metadata, labels: next.metadata.labels, annotations: next.metadata.annotations }, endpoints: next.endpoints, ports: next.ports }));
  }
  for (const s of plan.toDelete) client.delete(SLICES, { namespace: svc.metadata.namespace, name: s.metadata.name ?? '' });
}

/** Empty lists reach the apiserver as null (protobuf decoding), not as `[]`. */
function nullIfEmpty<T>(list: T[] | null | undefined): T[] | null {
  return list && list.length > 0 ? list : null;
}
