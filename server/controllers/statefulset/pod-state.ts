// Pod state predicates the workload controllers share: ports of kubernetes pkg/api/v1/pod/util.go
// (IsPodReady, IsPodAvailable) and the small helpers of pkg/controller/statefulset/stateful_set_utils.go.
// Readiness and availability are controller-utils.ts's; these wrappers take untyped objects.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../schemas/types/meta.js';
import { getControllerOf, isPodAvailable as podAvailable, isPodReady as podReady } from '../controller-utils.js';

/** The pod's phase, "" when the API has not set one. */
export function podPhase(pod: Readonly<KubeObject>): string {
  return (pod.status as { phase?: string } | undefined)?.phase ?? '';
}

/** IsPodReady: the Ready condition is True. */
export function isPodReady(pod: Readonly<KubeObject>): boolean {
  return podReady(pod as unknown as Pod);
}

/** IsPodAvailable: Ready, and Ready for at least minReadySeconds by `nowMs`. */
export function isPodAvailable(pod: Readonly<KubeObject>, minReadySeconds: number, nowMs: number): boolean {
  return podAvailable(pod as unknown as Pod, minReadySeconds, nowMs);
}

/** The pod has a deletionTimestamp. */
export function isTerminating(pod: Readonly<KubeObject>): boolean {
  return pod.metadata.deletionTimestamp !== undefined;
}

/** The pod's node: spec.nodeName. */
export function podNodeName(pod: Readonly<KubeObject>): string {
  return (pod.spec as Pod['spec'])?.nodeName ?? '';
}

/** Oldest first by creationTimestamp, name breaking ties. */
export function compareByCreation(a: Readonly<KubeObject>, b: Readonly<KubeObject>): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  const na = a.metadata.name ?? '';
  const nb = b.metadata.name ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/** Whether the pod's controller owner reference points at `uid`. */
export function isControlledBy(obj: Readonly<KubeObject>, uid: string | undefined): boolean {
  return uid !== undefined && getControllerOf(obj)?.uid === uid;
}
