import type { KubeObject } from '../../schemas/types/meta.js';
import { rfc3339 } from '../clock.js';
import { badRequest, conflict, notFound } from '../api/errors.js';
import { ConflictError } from '../storage/errors.js';
import type { Registry } from './rest.js';

interface PodCondition { type: string; status: string; lastProbeTime?: string | null; lastTransitionTime?: string }

/**
 * Port of the apiserver's BindingREST (assignPod): sets spec.nodeName and the PodScheduled
 * condition in one write. It is not a pod update, so pod update validation (which forbids
 * changing nodeName) does not apply; only an unassigned, live pod can be bound.
 */
export function bindPod(registry: Registry, namespace: string, binding: KubeObject): void {
  const podName = binding.metadata.name ?? '';
  const target = binding.target as { kind?: string; name?: string } | undefined;
  if (!podName) throw badRequest('name: Required value: name is required');
  if (!target?.name) throw badRequest('target.name: Required value: target name is required');
  if (target.kind && target.kind !== 'Node') throw badRequest(`target.kind: Unsupported value: "${target.kind}": supported values: "Node"`);
  const ref = { resource: 'pods', namespace, name: podName };
  const current = registry.deps.store.get(ref);
  if (!current) throw notFound({ group: '', resource: 'pods', name: podName });
  const cur = current.object;
  const bindingRef = { group: '', resource: 'pods/binding', name: podName };
  if (cur.metadata.deletionTimestamp) throw conflict(bindingRef, `pod ${podName} is being deleted, cannot be assigned to a host`);
  const curSpec = (cur.spec ?? {}) as { nodeName?: string };
  if (curSpec.nodeName) throw conflict(bindingRef, `pod ${podName} is already assigned to node "${curSpec.nodeName}"`);
  // The stored pod is frozen: the new one shares everything the binding leaves as it was.
  const curStatus = (cur.status ?? {}) as { conditions?: PodCondition[] };
  const scheduled: PodCondition = { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(registry.deps.clock.now()) };
  const pod: KubeObject = {
    ...cur,
    spec: { ...curSpec, nodeName: target.name },
    status: { ...curStatus, conditions: [...(curStatus.conditions ?? []).filter((c) => c.type !== 'PodScheduled'), scheduled] },
  };
  try {
    registry.deps.store.update(ref, pod, current.modRevision);
  } catch (e) {
    if (e instanceof ConflictError) throw conflict({ group: '', resource: 'pods', name: podName });
    throw e;
  }
}
