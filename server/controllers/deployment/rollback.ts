// Port of kubernetes pkg/controller/deployment/rollback.go: the deprecated server-side rollback
// driven by the `deprecated.deployment.rollback.to` annotation. kubectl rolls back client-side, so
// this only runs for clients that still set the annotation.
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { KubeObject } from '../../../schemas/types/meta.js';
import { updateDeployment, type DeploymentControllerContext } from './controller-context.js';
import { getAllReplicaSetsAndSyncRevision, ROLLBACK_TO_ANNOTATION } from './sync.js';
import { DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY, equalIgnoreHash, revision, skipCopyAnnotation } from './util.js';
import { cloneJSON } from '../../registry/strategy.js';

/** Event reason: the rollback template was applied. */
export const ROLLBACK_DONE = 'DeploymentRollback';
/** Event reason: no RS has the requested revision. */
export const ROLLBACK_REVISION_NOT_FOUND = 'DeploymentRollbackRevisionNotFound';
/** Event reason: the requested revision has the current template. */
export const ROLLBACK_TEMPLATE_UNCHANGED = 'DeploymentRollbackTemplateUnchanged';

/** getRollbackTo: the requested revision, or undefined when the annotation is absent or invalid. */
export function getRollbackTo(d: Deployment): number | undefined {
  const v = d.metadata?.annotations?.[ROLLBACK_TO_ANNOTATION];
  return v !== undefined && /^[+-]?\d+$/.test(v) ? Number(v) : undefined;
}

/** lastRevision: the second-highest revision among the RSs (0 when there is none). */
export function lastRevision(allRSs: readonly ReplicaSet[]): number {
  let max = 0;
  let secMax = 0;
  for (const rs of allRSs) {
    const v = revision(rs);
    if (Number.isNaN(v)) continue;
    if (v >= max) [secMax, max] = [max, v];
    else if (v > secMax) secMax = v;
  }
  return secMax;
}

/**
 * rollback copies the template of the RS with the requested revision (0: the previous one) into the
 * deployment, with that RS's annotations, then clears the annotation; misses are reported as
 * Warning events and the request is dropped.
 */
export function rollback(dc: DeploymentControllerContext, d: Deployment, rsList: ReplicaSet[]): void {
  const { newRS, oldRSs } = getAllReplicaSetsAndSyncRevision(dc, d, rsList, true);
  const allRSs = newRS ? [...oldRSs, newRS] : oldRSs;
  let to = getRollbackTo(d) ?? 0;
  if (to === 0) {
    to = lastRevision(allRSs);
    if (to === 0) return giveUp(dc, d, 'Unable to find last revision.');
  }
  const target = allRSs.find((rs) => revision(rs) === to);
  if (!target) return giveUp(dc, d, 'Unable to find the revision to rollback to.');
  const name = d.metadata?.name ?? '';
  if (equalIgnoreHash(d.spec?.template ?? {}, target.spec?.template ?? {})) {
    dc.recorder.event(d as unknown as KubeObject, 'Warning', ROLLBACK_TEMPLATE_UNCHANGED, `The rollback revision contains the same template as current deployment "${name}"`);
    return updateDeploymentAndClearRollbackTo(dc, d);
  }
  setFromReplicaSetTemplate(d, target);
  updateDeploymentAndClearRollbackTo(dc, d);
  dc.recorder.event(d as unknown as KubeObject, 'Normal', ROLLBACK_DONE, `Rolled back deployment "${name}" to revision ${to}`);
}

function giveUp(dc: DeploymentControllerContext, d: Deployment, message: string): void {
  dc.recorder.event(d as unknown as KubeObject, 'Warning', ROLLBACK_REVISION_NOT_FOUND, message);
  updateDeploymentAndClearRollbackTo(dc, d);
}

/** The RS's template without the hash label, and its annotations, become the deployment's. */
function setFromReplicaSetTemplate(d: Deployment, rs: ReplicaSet): void {
  const template = cloneJSON(rs.spec?.template ?? {});
  const labels = { ...(template.metadata?.labels ?? {}) };
  delete labels[DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY];
  template.metadata = { ...template.metadata, labels };
  d.spec = { ...d.spec!, template };
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(d.metadata?.annotations ?? {})) if (skipCopyAnnotation(k)) annotations[k] = v;
  for (const [k, v] of Object.entries(rs.metadata?.annotations ?? {})) if (!skipCopyAnnotation(k)) annotations[k] = v;
  d.metadata = { ...d.metadata, annotations };
}

function updateDeploymentAndClearRollbackTo(dc: DeploymentControllerContext, d: Deployment): void {
  const annotations = { ...(d.metadata?.annotations ?? {}) };
  delete annotations[ROLLBACK_TO_ANNOTATION];
  d.metadata = { ...d.metadata, annotations };
  updateDeployment(dc, d);
}
