// Taint helpers of the node lifecycle controller. Port of the taint maps and the NoSchedule pass in
// kubernetes pkg/controller/nodelifecycle/node_lifecycle_controller.go (doNoScheduleTaintingPass)
// and of SwapNodeControllerTaint in pkg/controller/util/node/controller_utils.go.
import type { Node, Taint } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../schemas/types/meta.js';

/** Ready=False: NoSchedule at once, NoExecute (with timeAdded) through the tainting pass. */
export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
/** Ready=Unknown (the kubelet went silent): NoSchedule and NoExecute like not-ready. */
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
/** spec.unschedulable (kubectl cordon). */
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

/** Which condition status maps to which NoSchedule taint (nodeConditionToTaintKeyStatusMap). */
const CONDITION_TAINTS: Record<string, Record<string, string>> = {
  Ready: { False: TAINT_NOT_READY, Unknown: TAINT_UNREACHABLE },
  MemoryPressure: { True: 'node.kubernetes.io/memory-pressure' },
  DiskPressure: { True: 'node.kubernetes.io/disk-pressure' },
  NetworkUnavailable: { True: 'node.kubernetes.io/network-unavailable' },
  PIDPressure: { True: 'node.kubernetes.io/pid-pressure' },
};

/** Taint keys the NoSchedule pass owns: the condition taints and the cordon taint. */
const MANAGED_NO_SCHEDULE_KEYS = new Set([...Object.values(CONDITION_TAINTS).flatMap((m) => Object.values(m)), TAINT_UNSCHEDULABLE]);

function taintsOf(node: Readonly<KubeObject>): Taint[] {
  return ((node.spec as Node['spec'])?.taints ?? []) as Taint[];
}

function sameTaint(a: Taint, b: Taint): boolean {
  return a.key === b.key && a.effect === b.effect;
}

/**
 * The NoSchedule taints to add and remove so the node's managed NoSchedule taints match its
 * conditions and spec.unschedulable. Empty lists when nothing needs to change.
 */
export function noScheduleTaintDiff(node: Readonly<KubeObject>): { add: Taint[]; del: Taint[] } {
  const wanted: Taint[] = [];
  for (const c of (node.status as Node['status'])?.conditions ?? []) {
    const key = CONDITION_TAINTS[c.type]?.[c.status];
    if (key) wanted.push({ key, effect: 'NoSchedule' });
  }
  if ((node.spec as Node['spec'])?.unschedulable) wanted.push({ key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule' });
  const current = taintsOf(node).filter((t) => t.effect === 'NoSchedule' && MANAGED_NO_SCHEDULE_KEYS.has(t.key));
  return {
    add: wanted.filter((w) => !current.some((c) => sameTaint(c, w))),
    del: current.filter((c) => !wanted.some((w) => sameTaint(c, w))),
  };
}

/** Whether the node carries a taint with this key and effect. */
export function hasTaint(node: Readonly<KubeObject>, key: string, effect: string): boolean {
  return taintsOf(node).some((t) => t.key === key && t.effect === effect);
}

/**
 * SwapNodeControllerTaint on a node copy: removes `del`, then adds or updates `add` (an existing
 * taint with the same key and effect is replaced in place, a new one appended). Returns whether
 * anything changed.
 */
export function swapTaints(node: KubeObject, add: Taint[], del: Taint[]): boolean {
  const spec = (node.spec ?? {}) as { taints?: Taint[] };
  node.spec = spec;
  const before = JSON.stringify(spec.taints ?? []);
  let taints = (spec.taints ?? []).filter((t) => !del.some((d) => sameTaint(t, d)));
  for (const a of add) {
    const i = taints.findIndex((t) => sameTaint(t, a));
    if (i >= 0) {
      // An existing taint keeps its timeAdded; only its value may change.
      if ((taints[i]!.value ?? '') !== (a.value ?? '')) taints[i] = a;
    } else {
      taints = [...taints, a];
    }
  }
  if (taints.length > 0) spec.taints = taints;
  else delete spec.taints;
  return JSON.stringify(spec.taints ?? []) !== before;
}
