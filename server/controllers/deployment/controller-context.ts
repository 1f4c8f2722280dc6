// What the free functions of the deployment controller (sync.ts, rolling.ts, recreate.ts,
// progress.ts, rollback.ts) share, and the writes they make. Writes carry the resourceVersion the
// sync read, so a decision taken on a stale cache fails with a conflict and is retried, exactly as
// client-go's Update does upstream.
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { KubeObject } from '../../../schemas/types/meta.js';
import { cloneForWrite, cloneJSON } from '../../registry/strategy.js';
import type { LocalClient } from '../../client/api-client.js';
import type { Clock } from '../../clock.js';
import type { Informer } from '../../informers/informer.js';
import type { EventRecorder } from '../events.js';

/** The deployment controller's collaborators, handed to every step of a sync. */
export interface DeploymentControllerContext {
  client: LocalClient;
  rsInformer: Informer;
  podInformer: Informer;
  clock: Clock;
  recorder: EventRecorder;
  /** Queues the deployment again after `ms` of virtual time (enqueueAfter). */
  enqueueAfter(d: Deployment, ms: number): void;
  /** Queues the deployment again after its back-off delay (enqueueRateLimited). */
  enqueueRateLimited(d: Deployment): void;
}

const DEPLOYMENTS = 'deployments.apps';
const REPLICASETS = 'replicasets.apps';

function keyOf(obj: { metadata?: { namespace?: string; name?: string } }): { namespace: string; name: string } {
  return { namespace: obj.metadata?.namespace ?? '', name: obj.metadata?.name ?? '' };
}

/** Update of a ReplicaSet (spec, annotations) from the copy the sync changed; returns the stored RS. */
export function updateReplicaSet(dc: DeploymentControllerContext, rs: ReplicaSet): ReplicaSet {
  const body = cloneForWrite(rs as unknown as KubeObject);
  return dc.client.mutate(REPLICASETS, keyOf(rs), () => body) as unknown as ReplicaSet;
}

/** Creates a ReplicaSet; returns the stored RS. */
export function createReplicaSet(dc: DeploymentControllerContext, rs: ReplicaSet): ReplicaSet {
  return dc.client.create(REPLICASETS, cloneJSON(rs) as unknown as KubeObject) as unknown as ReplicaSet;
}

/** Deletes a ReplicaSet (Background propagation, as client-go's default for apps/v1). */
export function deleteReplicaSet(dc: DeploymentControllerContext, rs: ReplicaSet): void {
  dc.client.delete(REPLICASETS, keyOf(rs));
}

/** Update of the deployment's main resource (spec, annotations); `d` takes the new resourceVersion. */
export function updateDeployment(dc: DeploymentControllerContext, d: Deployment): void {
  const body = cloneForWrite(d as unknown as KubeObject);
  const stored = dc.client.mutate(DEPLOYMENTS, keyOf(d), () => body);
  d.metadata = { ...d.metadata, resourceVersion: stored.metadata.resourceVersion, generation: stored.metadata.generation };
}

/**
 * UpdateStatus of the deployment. Like upstream's deployment status strategy, this also persists
 * annotation changes (the revision annotation) without bumping the generation.
 */
export function updateDeploymentStatus(dc: DeploymentControllerContext, d: Deployment): void {
  // The status strategy takes only status and annotations from the body, which storage then
  // freezes: those are copied, the rest (the whole template) is lent.
  const annotations = d.metadata?.annotations;
  const body = { ...d, metadata: { ...d.metadata, ...(annotations ? { annotations: { ...annotations } } : {}) }, status: cloneJSON(d.status) } as unknown as KubeObject;
  const next = dc.client.mutate(DEPLOYMENTS, keyOf(d), () => body, { status: true, pure: true });
  d.metadata = { ...d.metadata, resourceVersion: next.metadata.resourceVersion };
}
