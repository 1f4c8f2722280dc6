/**
 * What one pod charges against a ResourceQuota: the pods evaluator of kubernetes
 * pkg/quota/v1/evaluator/core/pods.go (QuotaV1Pod, podComputeUsageHelper, podMatchesScopeFunc) with
 * the effective requests and limits of component-helpers/resource (PodRequests, PodLimits).
 */
import type { KubeObject } from '../../schemas/types/meta.js';
import { parseQuantity, type Quantity } from '../validation/pod-fields.js';

type ResourceList = Record<string, string>;

interface Container {
  name?: string;
  restartPolicy?: string;
  resources?: { requests?: ResourceList; limits?: ResourceList };
}

/** The pod fields the evaluator reads. */
export interface Pod extends KubeObject {
  spec?: { containers?: Container[]; initContainers?: Container[]; overhead?: ResourceList; activeDeadlineSeconds?: number };
  status?: { phase?: string; qosClass?: string };
}

type Totals = Map<string, Quantity>;

function addInto(into: Totals, list: ResourceList | undefined): void {
  for (const [name, v] of Object.entries(list ?? {})) {
    const q = parseQuantity(v);
    if (!q) continue;
    const cur = into.get(name);
    into.set(name, cur ? { nano: cur.nano + q.nano, format: cur.format } : q);
  }
}

/**
 * Effective pod requests or limits: the sum over app containers and sidecars, raised to any
 * regular init container's value (plus the sidecars started before it), plus pod overhead.
 */
export function effectiveResources(pod: Readonly<Pod>, which: 'requests' | 'limits'): Totals {
  const total: Totals = new Map();
  for (const c of pod.spec?.containers ?? []) addInto(total, c.resources?.[which]);
  const sidecars: Totals = new Map();
  const initMax: Totals = new Map();
  for (const init of pod.spec?.initContainers ?? []) {
    let during: Totals;
    if (init.restartPolicy === 'Always') {
      addInto(total, init.resources?.[which]);
      addInto(sidecars, init.resources?.[which]);
      during = sidecars;
    } else {
      during = new Map(sidecars);
      addInto(during, init.resources?.[which]);
    }
    maxInto(initMax, during);
  }
  maxInto(total, initMax);
  if (which === 'requests') addInto(total, pod.spec?.overhead);
  return total;
}

function maxInto(into: Totals, other: Totals): void {
  for (const [name, q] of other) {
    const cur = into.get(name);
    if (!cur || q.nano > cur.nano) into.set(name, cur ? { nano: q.nano, format: cur.format } : q);
  }
}

/** QuotaV1Pod: terminal pods and pods past their deletion grace period are not charged. */
export function isChargedPod(pod: Readonly<Pod>, nowMs: number): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  const { deletionTimestamp, deletionGracePeriodSeconds } = pod.metadata;
  if (deletionTimestamp && deletionGracePeriodSeconds !== undefined && deletionGracePeriodSeconds !== null) {
    return nowMs <= Date.parse(deletionTimestamp) + deletionGracePeriodSeconds * 1000;
  }
  return true;
}

function matchesScope(pod: Readonly<Pod>, scope: string): boolean {
  const terminating = pod.spec?.activeDeadlineSeconds !== undefined && pod.spec.activeDeadlineSeconds >= 0;
  const bestEffort = pod.status?.qosClass === 'BestEffort';
  switch (scope) {
    case 'Terminating': return terminating;
    case 'NotTerminating': return !terminating;
    case 'BestEffort': return bestEffort;
    case 'NotBestEffort': return !bestEffort;
    default: return true; // PriorityClass and CrossNamespacePodAffinity scopes are not modelled
  }
}

/** Hands each quota resource the pod charges to `add` (podComputeUsageHelper). */
export function podUsage(pod: Readonly<Pod>, scopes: readonly string[], nowMs: number, add: (name: string, q: Quantity) => void): void {
  if (!isChargedPod(pod, nowMs) || !scopes.every((s) => matchesScope(pod, s))) return;
  const one: Quantity = { nano: 1_000_000_000n, format: 'DecimalSI' };
  add('pods', one);
  add('count/pods', one);
  for (const [name, q] of effectiveResources(pod, 'requests')) {
    if (name === 'cpu' || name === 'memory' || name === 'ephemeral-storage') add(name, q);
    add(`requests.${name}`, q);
  }
  for (const [name, q] of effectiveResources(pod, 'limits')) add(`limits.${name}`, q);
}
