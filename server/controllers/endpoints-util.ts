/**
 * Pod and Service helpers shared by the Endpoints and EndpointSlice controllers. Ports of
 * kubernetes staging/src/k8s.io/endpointslice/util (controller_utils.go, trigger_time_tracker.go)
 * and pkg/api/v1/pod (FindPort, IsPodReady).
 */
import type { Pod as CorePod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../schemas/types/meta.js';
import { isPodReady as podReady } from './controller-utils.js';
import type { Informer } from '../informers/informer.js';
import { objectKey } from '../informers/informer.js';

/** `endpoints.kubernetes.io/last-change-trigger-time` on Endpoints and EndpointSlices. */
export const LAST_CHANGE_TRIGGER_TIME_ANNOTATION = 'endpoints.kubernetes.io/last-change-trigger-time';
/** `service.kubernetes.io/headless`, set on the endpoints of a service without a cluster IP. */
export const HEADLESS_SERVICE_LABEL = 'service.kubernetes.io/headless';

/** The parts of a container port the controllers read. */
export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol?: string;
}

/** The parts of a Pod the endpoints controllers read. */
export interface Pod extends KubeObject {
  spec?: {
    nodeName?: string;
    hostname?: string;
    subdomain?: string;
    containers?: Array<{ name: string; ports?: ContainerPort[] }>;
    initContainers?: Array<{ name: string; restartPolicy?: string; ports?: ContainerPort[] }>;
  };
  status?: {
    phase?: string;
    podIP?: string;
    podIPs?: Array<{ ip: string }>;
    conditions?: Array<{ type: string; status: string; lastTransitionTime?: string; reason?: string; message?: string }>;
  };
}

/** One port of a Service. */
export interface ServicePort {
  name?: string;
  port: number;
  protocol?: string;
  targetPort?: number | string;
  appProtocol?: string;
}

/** The parts of a Service the endpoints controllers read. */
export interface Service extends KubeObject {
  spec?: {
    type?: string;
    selector?: Record<string, string> | null;
    clusterIP?: string;
    ipFamilies?: string[];
    ports?: ServicePort[];
    publishNotReadyAddresses?: boolean;
  };
}

/** podutil.IsPodReady: the Ready condition is True. */
export function isPodReady(pod: Readonly<Pod>): boolean {
  return podReady(pod as unknown as CorePod);
}

/** podutil.IsPodTerminal: phase Succeeded or Failed. */
export function isPodTerminal(pod: Readonly<Pod>): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** The pod's IPs (status.podIPs, or status.podIP for writers that only set that). */
export function podIPs(pod: Readonly<Pod>): string[] {
  const ips = (pod.status?.podIPs ?? []).map((p) => p.ip).filter((ip) => ip);
  if (ips.length > 0) return ips;
  return pod.status?.podIP ? [pod.status.podIP] : [];
}

/**
 * ShouldPodBeInEndpoints: terminal pods and pods without an IP never are; terminating pods only
 * when `includeTerminating` (publishNotReadyAddresses for Endpoints, always for slices).
 */
export function shouldPodBeInEndpoints(pod: Readonly<Pod>, includeTerminating: boolean): boolean {
  if (isPodTerminal(pod)) return false;
  if (podIPs(pod).length === 0) return false;
  return includeTerminating || !pod.metadata.deletionTimestamp;
}

/** ShouldSetHostname: the pod names this service as its subdomain (DNS for StatefulSet pods). */
export function shouldSetHostname(pod: Readonly<Pod>, svc: Readonly<Service>): boolean {
  return !!pod.spec?.hostname && pod.spec.subdomain === svc.metadata.name && svc.metadata.namespace === pod.metadata.namespace;
}

/** The IP of the service's primary family, as podToEndpointAddressForService picks it. */
export function podIPForService(svc: Readonly<Service>, pod: Readonly<Pod>): string | undefined {
  const ipv6 = (svc.spec?.ipFamilies?.[0] ?? 'IPv4') === 'IPv6';
  return podIPs(pod).find((ip) => ip.includes(':') === ipv6);
}

/**
 * podutil.FindPort: a numeric targetPort is used as is; a named one is looked up in the pod's
 * container ports (then in sidecar init containers) with the service port's protocol.
 */
export function findPort(pod: Readonly<Pod>, svcPort: Readonly<ServicePort>): number | undefined {
  const target = svcPort.targetPort ?? svcPort.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const protocol = svcPort.protocol ?? 'TCP';
  const match = (ports: ContainerPort[] | undefined) => ports?.find((p) => p.name === target && (p.protocol ?? 'TCP') === protocol);
  for (const c of pod.spec?.containers ?? []) {
    const p = match(c.ports);
    if (p) return p.containerPort;
  }
  for (const c of pod.spec?.initContainers ?? []) {
    if (c.restartPolicy !== 'Always') continue;
    const p = match(c.ports);
    if (p) return p.containerPort;
  }
  return undefined;
}

/** A service selects pods only with a non-empty selector (an empty one arrives as nil upstream). */
export function hasSelector(svc: Readonly<Service>): boolean {
  return Object.keys(svc.spec?.selector ?? {}).length > 0;
}

/** Whether the service's selector matches the pod's labels. */
export function selectsPod(svc: Readonly<Service>, pod: Readonly<KubeObject>): boolean {
  const labels = pod.metadata.labels ?? {};
  return Object.entries(svc.spec?.selector ?? {}).every(([k, v]) => labels[k] === v);
}

/** GetPodServiceMemberships: keys of the services in the pod's namespace that select it. */
export function getPodServiceMemberships(services: Informer, pod: Readonly<KubeObject>): Set<string> {
  const out = new Set<string>();
  for (const svc of services.list(pod.metadata.namespace ?? '') as Service[]) {
    if (hasSelector(svc) && selectsPod(svc, pod)) out.add(objectKey(svc));
  }
  return out;
}

/**
 * podEndpointsChanged: whether an update can change the pod's endpoint (deletion, readiness, IPs)
 * and whether it can change which services select it (labels, hostname, subdomain).
 */
function podEndpointsChanged(old: Readonly<Pod>, cur: Readonly<Pod>): { podChanged: boolean; labelsChanged: boolean } {
  // Every pod write passes here twice (Endpoints and EndpointSlices): what a write left alone is
  // the stored object it had, compared by identity before by value.
  const labelsChanged = (old.metadata.labels !== cur.metadata.labels && JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(cur.metadata.labels ?? {}))
    || old.spec?.hostname !== cur.spec?.hostname || old.spec?.subdomain !== cur.spec?.subdomain;
  const podChanged = old.metadata.deletionTimestamp !== cur.metadata.deletionTimestamp
    || isPodReady(old) !== isPodReady(cur)
    || ((old.status?.podIPs !== cur.status?.podIPs || old.status?.podIP !== cur.status?.podIP) && podIPs(old).join(',') !== podIPs(cur).join(','));
  return { podChanged, labelsChanged };
}

/**
 * GetServicesToUpdateOnPodChange: services to resync after a pod update. With new labels, the old
 * and new memberships are unioned when the endpoint itself changed, else only their difference.
 */
export function getServicesToUpdateOnPodChange(services: Informer, old: Readonly<Pod>, cur: Readonly<Pod>): Set<string> {
  if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return new Set();
  const { podChanged, labelsChanged } = podEndpointsChanged(old, cur);
  if (!podChanged && !labelsChanged) return new Set();
  const now = getPodServiceMemberships(services, cur);
  if (!labelsChanged) return now;
  const before = getPodServiceMemberships(services, old);
  const out = new Set<string>();
  for (const k of now) if (podChanged || !before.has(k)) out.add(k);
  for (const k of before) if (podChanged || !now.has(k)) out.add(k);
  return out;
}

function parseTime(s: string | undefined): number {
  return s ? Date.parse(s) : 0;
}

interface ServiceState {
  lastPodTriggerTimes: Map<string, number>;
  lastServiceTriggerTime: number;
}

/**
 * TriggerTimeTracker: the earliest change (a pod's Ready transition, or the service's creation)
 * not yet reflected in the service's endpoints, for the last-change-trigger-time annotation.
 * 0 means no new trigger, and the annotation is cleared.
 */
export class TriggerTimeTracker {
  private readonly states = new Map<string, ServiceState>();

  /** ComputeEndpointLastChangeTriggerTime; updates the state even when the sync turns out a no-op. */
  compute(key: string, svc: Readonly<Service>, pods: readonly Readonly<Pod>[]): number {
    const state = this.states.get(key);
    let min = 0;
    const podTimes = new Map<string, number>();
    for (const pod of pods) {
      const t = parseTime(pod.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime);
      if (!t) continue;
      const name = pod.metadata.name ?? '';
      podTimes.set(name, t);
      if (t > (state?.lastPodTriggerTimes.get(name) ?? 0)) min = min === 0 ? t : Math.min(min, t);
    }
    const svcTime = parseTime(svc.metadata.creationTimestamp);
    if (svcTime > (state?.lastServiceTriggerTime ?? 0)) min = min === 0 ? svcTime : Math.min(min, svcTime);
    this.states.set(key, { lastPodTriggerTimes: podTimes, lastServiceTriggerTime: svcTime });
    // A service seen for the first time counts from its creation.
    return state ? min : svcTime;
  }

  /** Forgets a deleted service. */
  deleteService(key: string): void {
    this.states.delete(key);
  }
}

/** JSON with object keys sorted: compares API objects whatever order their fields were stored in. */
export function canonicalJSON(v: unknown): string {
  return JSON.stringify(v, (_k, val: unknown) =>
    val && typeof val === 'object' && !Array.isArray(val) ? Object.fromEntries(Object.entries(val).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : val);
}
