// Port of kubernetes pkg/controller/deployment/deployment_controller.go: informer handlers, the
// syncDeployment dispatcher, ReplicaSet adoption and the pod map.
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../schemas/types/meta.js';
import { cloneForWrite } from '../../registry/strategy.js';
import type { ClusterContext, StartComponent } from '../../cluster.js';
import type { LocalClient } from '../../client/api-client.js';
import { BY_CONTROLLER_UID, BY_NAMESPACE, ORPHANS_BY_NAMESPACE } from '../../informers/factory.js';
import { objectKey, type Informer } from '../../informers/informer.js';
import { selectorFromLabelSelector } from '../../registry/selectors.js';
import { claimObjects, getControllerOf, newControllerRef } from '../controller-utils.js';
import { KUBE_CONTROLLER_MANAGER } from '../field-managers.js';
import { runController, type RunningController } from '../runner.js';
import { updateDeploymentStatus, type DeploymentControllerContext } from './controller-context.js';
import { DEPLOYMENT_API_VERSION, DEPLOYMENT_KIND } from './new-replica-set.js';
import { rolloutRecreate, type PodMap } from './recreate.js';
import { getRollbackTo, rollback } from './rollback.js';
import { rolloutRolling } from './rolling.js';
import { checkPausedConditions, isScalingEvent, sync, syncStatusOnly } from './sync.js';

const WORKERS = 1;

/** Starts the Deployment controller (deployment-controller) on the shared informers. */
export const startDeploymentController: StartComponent = (ctx) => new DeploymentController(ctx).start();

/**
 * Rolls Deployments out through ReplicaSets: adopts matching RSs, creates the new RS for the
 * current template, scales new and old RSs by the strategy, and maintains status and conditions.
 */
export class DeploymentController {
  private readonly client: LocalClient;
  private readonly dInformer: Informer;
  private readonly dc: DeploymentControllerContext;
  private running: RunningController | undefined;

  constructor(ctx: ClusterContext) {
    this.client = ctx.client(KUBE_CONTROLLER_MANAGER);
    this.dInformer = ctx.informers.for('deployments.apps');
    this.dc = {
      client: this.client,
      rsInformer: ctx.informers.for('replicasets.apps'),
      podInformer: ctx.informers.for('pods'),
      clock: ctx.clock,
      recorder: ctx.recorder({ component: 'deployment-controller' }),
      enqueueAfter: (d, ms) => this.running?.queue.addAfter(objectKey(d as unknown as KubeObject), ms),
      enqueueRateLimited: (d) => this.running?.queue.addRateLimited(objectKey(d as unknown as KubeObject)),
    };
  }

  /** Registers the handlers and starts the worker; returns stop. */
  start(): () => void {
    this.running = runController({ name: 'deployment-controller', reconcile: (key) => this.syncDeployment(key) }, this.dc.clock, { workers: WORKERS });
    this.dInformer.on({ add: (d) => this.enqueue(d), update: (_o, d) => this.enqueue(d), delete: (d) => this.enqueue(d) });
    this.dc.rsInformer.on({ add: (rs) => this.addReplicaSet(rs), update: (o, rs) => this.updateReplicaSet(o, rs), delete: (rs) => this.deleteReplicaSet(rs) });
    this.dc.podInformer.on({ delete: (p) => this.deletePod(p) });
    return () => this.running?.stop();
  }

  private enqueue(d: Readonly<KubeObject>): void {
    this.running?.queue.add(objectKey(d));
  }

  private resolveControllerRef(namespace: string, ref: { kind: string; name: string; uid: string } | undefined): Readonly<KubeObject> | undefined {
    if (!ref || ref.kind !== DEPLOYMENT_KIND) return undefined;
    const d = this.dInformer.get(`${namespace}/${ref.name}`);
    return d?.metadata.uid === ref.uid ? d : undefined;
  }

  /** Deployments whose (non-empty) selector matches an orphan RS (getDeploymentsForReplicaSet). */
  private getDeploymentsForReplicaSet(rs: Readonly<KubeObject>): Readonly<KubeObject>[] {
    return this.dInformer.byIndex(BY_NAMESPACE, rs.metadata.namespace ?? '').filter((d) => {
      const sel = selectorFromLabelSelector((d as unknown as Deployment).spec?.selector ?? {});
      return !sel.empty && sel.matches(rs);
    });
  }

  private addReplicaSet(rs: Readonly<KubeObject>): void {
    if (rs.metadata.deletionTimestamp) return this.deleteReplicaSet(rs);
    const ref = getControllerOf(rs);
    if (ref) {
      const d = this.resolveControllerRef(rs.metadata.namespace ?? '', ref);
      if (d) this.enqueue(d);
      return;
    }
    for (const d of this.getDeploymentsForReplicaSet(rs)) this.enqueue(d);
  }

  private updateReplicaSet(old: Readonly<KubeObject>, cur: Readonly<KubeObject>): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    const curRef = getControllerOf(cur);
    const oldRef = getControllerOf(old);
    const refChanged = JSON.stringify(curRef) !== JSON.stringify(oldRef);
    if (refChanged && oldRef) {
      const d = this.resolveControllerRef(old.metadata.namespace ?? '', oldRef);
      if (d) this.enqueue(d);
    }
    if (curRef) {
      const d = this.resolveControllerRef(cur.metadata.namespace ?? '', curRef);
      if (d) this.enqueue(d);
      return;
    }
    const labelChanged = JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(cur.metadata.labels ?? {});
    if (labelChanged || refChanged) for (const d of this.getDeploymentsForReplicaSet(cur)) this.enqueue(d);
  }

  private deleteReplicaSet(rs: Readonly<KubeObject>): void {
    const d = this.resolveControllerRef(rs.metadata.namespace ?? '', getControllerOf(rs));
    if (d) this.enqueue(d);
  }

  /** A Recreate deployment waits for its old pods to go: sync it when the last one went. */
  private deletePod(pod: Readonly<KubeObject>): void {
    const rs = this.dc.rsInformer.get(`${pod.metadata.namespace ?? ''}/${getControllerOf(pod)?.name ?? ''}`);
    if (!rs || rs.metadata.uid !== getControllerOf(pod)?.uid) return;
    const d = this.resolveControllerRef(rs.metadata.namespace ?? '', getControllerOf(rs));
    if (!d || (d as unknown as Deployment).spec?.strategy?.type !== 'Recreate') return;
    const dep = d as unknown as Deployment;
    const rsList = this.dc.rsInformer.byIndex(BY_NAMESPACE, d.metadata.namespace ?? '').filter((r) => getControllerOf(r)?.uid === d.metadata.uid) as unknown as ReplicaSet[];
    let numPods = 0;
    for (const pods of this.getPodMapForDeployment(dep, rsList).values()) numPods += pods.length;
    if (numPods === 0) this.enqueue(d);
  }

  /**
   * syncDeployment, in upstream order: gone → nothing; empty selector → warning; claim RSs;
   * deleting → status only; paused conditions; paused → sync; legacy rollback; scaling event →
   * sync; otherwise the strategy's rollout.
   */
  syncDeployment(key: string): void {
    const cached = this.dInformer.get(key);
    if (!cached) return;
    // The sync only reads the template (a new RS gets its own copy): the stored, frozen one lets
    // each comparison with an RS's template use the canonical text kept for it, and is not copied.
    const spec = (cached as unknown as Deployment).spec;
    const template = spec?.template;
    const d = cloneForWrite((template ? { ...cached, spec: { ...spec, template: undefined } } : cached) as KubeObject) as unknown as Deployment;
    if (d.spec && template) d.spec.template = template;
    if (this.selectsEverything(d)) return;
    const rsList = this.getReplicaSetsForDeployment(d);
    if (d.metadata?.deletionTimestamp) return syncStatusOnly(this.dc, d, rsList);
    checkPausedConditions(this.dc, d);
    if (d.spec?.paused) return sync(this.dc, d, rsList);
    if (getRollbackTo(d) !== undefined) return rollback(this.dc, d, rsList);
    if (isScalingEvent(this.dc, d, rsList)) return sync(this.dc, d, rsList);
    // Only Recreate reads the pod map; upstream builds it first, but building it is O(pods).
    if (d.spec?.strategy?.type === 'Recreate') return rolloutRecreate(this.dc, d, rsList, this.getPodMapForDeployment(d, rsList));
    if (d.spec?.strategy?.type === 'RollingUpdate') return rolloutRolling(this.dc, d, rsList);
    throw new Error(`unexpected deployment strategy type: ${String(d.spec?.strategy?.type)}`);
  }

  /** An empty selector would select every pod: warn and only observe the generation. */
  private selectsEverything(d: Deployment): boolean {
    const sel = d.spec?.selector ?? {};
    if (Object.keys(sel.matchLabels ?? {}).length > 0 || (sel.matchExpressions ?? []).length > 0) return false;
    this.dc.recorder.event(d as unknown as KubeObject, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
    if ((d.status?.observedGeneration ?? 0) < (d.metadata?.generation ?? 0)) {
      d.status = { ...d.status, observedGeneration: d.metadata?.generation ?? 0 };
      updateDeploymentStatus(this.dc, d);
    }
    return true;
  }

  /** The RSs the deployment owns after adopting matching orphans and releasing strays. */
  private getReplicaSetsForDeployment(d: Deployment): ReplicaSet[] {
    const owner = d as unknown as KubeObject;
    const selector = selectorFromLabelSelector(d.spec?.selector ?? {});
    // RSs owned by another controller are never claimed: this deployment's own plus the orphans give
    // upstream's result without its scan of every RS in the namespace.
    const all = [...this.dc.rsInformer.byIndex(BY_CONTROLLER_UID, d.metadata?.uid ?? ''), ...this.dc.rsInformer.byIndex(ORPHANS_BY_NAMESPACE, d.metadata?.namespace ?? '')];
    return claimObjects(all, {
      client: this.client,
      resource: 'replicasets.apps',
      controller: owner,
      controllerRef: newControllerRef(d, DEPLOYMENT_API_VERSION, DEPLOYMENT_KIND),
      matches: selector.matches,
      canAdopt: () => {
        const fresh = this.client.get('deployments.apps', { namespace: d.metadata?.namespace ?? '', name: d.metadata?.name ?? '' });
        return fresh?.metadata.uid === d.metadata?.uid && !fresh?.metadata.deletionTimestamp;
      },
    }) as unknown as ReplicaSet[];
  }

  /** The deployment's pods grouped by the uid of their controlling RS (only RSs in rsList). */
  private getPodMapForDeployment(d: Deployment, rsList: readonly ReplicaSet[]): PodMap {
    const selector = selectorFromLabelSelector(d.spec?.selector ?? {});
    const map: PodMap = new Map();
    for (const rs of rsList) {
      const uid = rs.metadata?.uid ?? '';
      map.set(uid, this.dc.podInformer.byIndex(BY_CONTROLLER_UID, uid).filter((pod) => selector.matches(pod)) as Pod[]);
    }
    return map;
  }
}
