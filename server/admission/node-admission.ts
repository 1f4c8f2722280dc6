// Port of the TaintNodesByCondition admission plugin (kubernetes
// plugin/pkg/admission/nodetaint/admission.go).
import type { KubeObject } from '../../schemas/types/meta.js';

/** The taint every new node starts with until the node controller sees it Ready. */
export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';

interface Taint { key: string; value?: string; effect: string }

/**
 * TaintNodesByCondition: a node is created with `node.kubernetes.io/not-ready:NoSchedule`, so no
 * pod lands on it before its kubelet reported Ready and the node controller lifted the taint.
 */
export function admitNodeCreate(node: KubeObject): void {
  const spec = (node.spec ?? {}) as { taints?: Taint[] };
  node.spec = spec;
  const taints = spec.taints ?? [];
  if (taints.some((t) => t.key === TAINT_NODE_NOT_READY && t.effect === 'NoSchedule')) return;
  spec.taints = [...taints, { key: TAINT_NODE_NOT_READY, effect: 'NoSchedule' }];
}
