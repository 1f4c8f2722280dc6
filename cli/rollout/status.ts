/**
 * `kubectl rollout status` (kubectl pkg/cmd/rollout/rollout_status.go and the status viewers of
 * pkg/polymorphichelpers/rollout_status.go): list-then-watch the object and print the viewer's
 * line on every ADDED or MODIFIED event until it reports done.
 */
import type { KubeClient } from '../kube/client.js';
import { groupKind } from './history.js';
import { pathOf, type Info } from './targets.js';
import { untilWithSync } from './watch.js';

/** A viewer's verdict on one state of the object. */
export interface Status {
  text: string;
  done: boolean;
}

/** The strategy error both the DaemonSet and the StatefulSet viewer give (naming RollingUpdate). */
const ROLLING_ONLY = 'rollout status is only available for RollingUpdate strategy type';

/** DeploymentStatusViewer.Status. */
export function deploymentStatus(d: any, revision: number): Status {
  const name = d.metadata.name;
  if (revision > 0) {
    const current = Number(d.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? NaN);
    if (Number.isNaN(current)) throw new Error(`cannot get the revision of deployment "${name}": strconv.ParseInt: parsing "": invalid syntax`);
    if (current !== revision) throw new Error(`desired revision (${revision}) is different from the running revision (${current})`);
  }
  const s = d.status ?? {};
  if ((d.metadata.generation ?? 0) > (s.observedGeneration ?? 0)) return { text: 'Waiting for deployment spec update to be observed...', done: false };
  const progressing = (s.conditions ?? []).find((c: any) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') throw new Error(`deployment "${name}" exceeded its progress deadline`);
  const want = d.spec?.replicas;
  const updated = s.updatedReplicas ?? 0;
  const prefix = `Waiting for deployment "${name}" rollout to finish: `;
  if (want !== undefined && updated < want) return { text: `${prefix}${updated} out of ${want} new replicas have been updated...`, done: false };
  if ((s.replicas ?? 0) > updated) return { text: `${prefix}${(s.replicas ?? 0) - updated} old replicas are pending termination...`, done: false };
  if ((s.availableReplicas ?? 0) < updated) return { text: `${prefix}${s.availableReplicas ?? 0} of ${updated} updated replicas are available...`, done: false };
  return { text: `deployment "${name}" successfully rolled out`, done: true };
}

/** DaemonSetStatusViewer.Status. */
export function daemonSetStatus(ds: any): Status {
  if (ds.spec?.updateStrategy?.type !== 'RollingUpdate') throw new Error(ROLLING_ONLY);
  const s = ds.status ?? {};
  if ((ds.metadata.generation ?? 0) > (s.observedGeneration ?? 0)) return { text: 'Waiting for daemon set spec update to be observed...', done: false };
  const name = ds.metadata.name;
  const desired = s.desiredNumberScheduled ?? 0;
  if ((s.updatedNumberScheduled ?? 0) < desired) {
    return { text: `Waiting for daemon set "${name}" rollout to finish: ${s.updatedNumberScheduled ?? 0} out of ${desired} new pods have been updated...`, done: false };
  }
  if ((s.numberAvailable ?? 0) < desired) return { text: `Waiting for daemon set "${name}" rollout to finish: ${s.numberAvailable ?? 0} of ${desired} updated pods are available...`, done: false };
  return { text: `daemon set "${name}" successfully rolled out`, done: true };
}

/** StatefulSetStatusViewer.Status. */
export function statefulSetStatus(sts: any): Status {
  const strategy = sts.spec?.updateStrategy;
  if (strategy?.type !== 'RollingUpdate') throw new Error(ROLLING_ONLY);
  const s = sts.status ?? {};
  if (!s.observedGeneration || (sts.metadata.generation ?? 0) > s.observedGeneration) return { text: 'Waiting for statefulset spec update to be observed...', done: false };
  const want = sts.spec?.replicas;
  if (want !== undefined && (s.readyReplicas ?? 0) < want) return { text: `Waiting for ${want - (s.readyReplicas ?? 0)} pods to be ready...`, done: false };
  const updated = s.updatedReplicas ?? 0;
  if (strategy.rollingUpdate) {
    const partition = strategy.rollingUpdate.partition;
    if (want !== undefined && partition !== undefined && updated < want - partition) {
      return { text: `Waiting for partitioned roll out to finish: ${updated} out of ${want - partition} new pods have been updated...`, done: false };
    }
    return { text: `partitioned roll out complete: ${updated} new pods have been updated...`, done: true };
  }
  if (s.updateRevision !== s.currentRevision) return { text: `waiting for statefulset rolling update to complete ${updated} pods at revision ${s.updateRevision}...`, done: false };
  return { text: `statefulset rolling update complete ${s.currentReplicas ?? 0} pods at revision ${s.currentRevision}...`, done: true };
}

/** The viewer for the object's kind; kubectl's error for kinds without one. */
export function statusViewer(info: Info): (obj: any, revision: number) => Status {
  const gk = groupKind(info);
  if (gk === 'Deployment.apps') return deploymentStatus;
  if (gk === 'DaemonSet.apps') return daemonSetStatus;
  if (gk === 'StatefulSet.apps') return statefulSetStatus;
  throw new Error(`no status viewer has been implemented for ${gk}`);
}

/** Watches one object until its rollout is done (or once with `watch` false), printing each line. */
export async function watchStatus(client: KubeClient, info: Info, opts: { revision: number; watch: boolean; timeoutMs: number }): Promise<void> {
  const viewer = statusViewer(info);
  const query = new URLSearchParams({ fieldSelector: `metadata.name=${info.obj.metadata.name}` });
  await untilWithSync(
    client,
    await pathOf(info),
    query,
    (e) => {
      if (e.type === 'DELETED') throw new Error('object has been deleted');
      const { text, done } = viewer(e.object, opts.revision);
      process.stdout.write(`${text}\n`);
      return done || !opts.watch;
    },
    opts.timeoutMs,
  );
}
