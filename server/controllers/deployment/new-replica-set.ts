// Port of kubernetes pkg/controller/deployment/sync.go (getNewReplicaSet): finding, annotating and
// creating the deployment's new ReplicaSet.
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { KubeObject } from '../../../schemas/types/meta.js';
import { cloneForWrite, cloneJSON } from '../../registry/strategy.js';
import { StatusError } from '../../api/errors.js';
import { getControllerOf, newControllerRef } from '../controller-utils.js';
import { FAILED_RS_CREATE_REASON, FOUND_NEW_RS_REASON, getDeploymentCondition, hasProgressDeadline, NEW_REPLICA_SET_REASON, newDeploymentCondition, setDeploymentCondition } from './conditions.js';
import { createReplicaSet, updateDeploymentStatus, updateReplicaSet, type DeploymentControllerContext } from './controller-context.js';
import { newRSNewReplicas } from './replicas.js';
import { computeHash, DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY, equalIgnoreHash, findNewReplicaSet, maxRevision, REVISION_ANNOTATION, setDeploymentRevision, setNewReplicaSetAnnotations } from './util.js';

/** apiVersion and kind of the owner reference RSs carry. */
export const DEPLOYMENT_API_VERSION = 'apps/v1';
/** Kind of the owner reference RSs carry. */
export const DEPLOYMENT_KIND = 'Deployment';

/**
 * getNewReplicaSet returns the deployment's new RS. An existing one gets the deployment's
 * annotations, the next revision and minReadySeconds (if that changes it, the updated RS is
 * returned and the deployment is left for the next sync); otherwise the deployment's revision and
 * a FoundNewReplicaSet condition are synced. Without one, and when allowed, it is created.
 */
export function getNewReplicaSet(dc: DeploymentControllerContext, d: Deployment, rsList: ReplicaSet[], oldRSs: ReplicaSet[], createIfNotExisted: boolean): ReplicaSet | undefined {
  const existing = findNewReplicaSet(d, rsList);
  const newRevision = String(maxRevision(oldRSs) + 1);
  if (existing) return syncExistingNewReplicaSet(dc, d, existing, newRevision);
  if (!createIfNotExisted) return undefined;
  return createNewReplicaSet(dc, d, oldRSs, newRevision);
}

function syncExistingNewReplicaSet(dc: DeploymentControllerContext, d: Deployment, existing: ReplicaSet, newRevision: string): ReplicaSet {
  const minReadySeconds = d.spec?.minReadySeconds ?? 0;
  // Upstream deep-copies the RS on every sync; almost every sync leaves it as it is, and callers
  // copy before they change it, so the annotations are set on a copy of them alone first.
  const annotations = { ...existing.metadata?.annotations };
  if (setNewReplicaSetAnnotations(d, { ...existing, metadata: { ...existing.metadata, annotations } }, { newRevision, exists: true }) || (existing.spec?.minReadySeconds ?? 0) !== minReadySeconds) {
    const rsCopy = cloneForWrite(existing as unknown as KubeObject) as unknown as ReplicaSet;
    rsCopy.metadata!.annotations = annotations;
    if (minReadySeconds) rsCopy.spec!.minReadySeconds = minReadySeconds;
    else delete rsCopy.spec!.minReadySeconds;
    return updateReplicaSet(dc, rsCopy);
  }
  let needsUpdate = setDeploymentRevision(d, existing.metadata?.annotations?.[REVISION_ANNOTATION] ?? '');
  if (hasProgressDeadline(d) && !getDeploymentCondition(d.status, 'Progressing')) {
    d.status ??= {};
    const msg = `Found new replica set "${existing.metadata?.name ?? ''}"`;
    setDeploymentCondition(d.status, newDeploymentCondition('Progressing', 'True', FOUND_NEW_RS_REASON, msg, dc.clock.now()));
    needsUpdate = true;
  }
  if (needsUpdate) updateDeploymentStatus(dc, d);
  return existing;
}

/** The RS a deployment would create now: `<d>-<hash>`, hash label on labels, selector and template. */
export function buildNewReplicaSet(d: Deployment, oldRSs: readonly ReplicaSet[], newRevision: string): ReplicaSet {
  const template = cloneJSON(d.spec?.template ?? {});
  const hash = computeHash(template, d.status?.collisionCount);
  const labels = { ...(template.metadata?.labels ?? {}), [DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY]: hash };
  template.metadata = { ...template.metadata, labels };
  const selector = cloneJSON(d.spec?.selector ?? {});
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY]: hash };
  const minReadySeconds = d.spec?.minReadySeconds ?? 0;
  const rs: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata?.name ?? ''}-${hash}`,
      namespace: d.metadata?.namespace ?? '',
      ownerReferences: [newControllerRef(d, DEPLOYMENT_API_VERSION, DEPLOYMENT_KIND)],
      labels: { ...labels },
    },
    spec: { replicas: 0, ...(minReadySeconds ? { minReadySeconds } : {}), selector, template },
  };
  rs.spec!.replicas = newRSNewReplicas(d, [...oldRSs, rs], rs);
  setNewReplicaSetAnnotations(d, rs, { newRevision, exists: false });
  return rs;
}

function createNewReplicaSet(dc: DeploymentControllerContext, d: Deployment, oldRSs: ReplicaSet[], newRevision: string): ReplicaSet | undefined {
  const newRS = buildNewReplicaSet(d, oldRSs, newRevision);
  const name = newRS.metadata?.name ?? '';
  let created: ReplicaSet;
  let alreadyExists = false;
  try {
    created = createReplicaSet(dc, newRS);
  } catch (e) {
    if (!(e instanceof StatusError)) throw e;
    if (e.reason === 'AlreadyExists') {
      alreadyExists = true;
      created = adoptOrCollide(dc, d, newRS, e);
    } else if (e.details?.causes?.some((c) => c.reason === 'NamespaceTerminating')) {
      throw e;
    } else {
      reportCreateError(dc, d, name, e);
      throw e;
    }
  }
  const replicas = newRS.spec?.replicas ?? 0;
  if (!alreadyExists && replicas > 0) dc.recorder.event(d as unknown as KubeObject, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata?.name ?? ''} from 0 to ${replicas}`);
  let needsUpdate = setDeploymentRevision(d, newRevision);
  if (!alreadyExists && hasProgressDeadline(d)) {
    d.status ??= {};
    const msg = `Created new replica set "${created.metadata?.name ?? ''}"`;
    setDeploymentCondition(d.status, newDeploymentCondition('Progressing', 'True', NEW_REPLICA_SET_REASON, msg, dc.clock.now()));
    needsUpdate = true;
  }
  if (needsUpdate) updateDeploymentStatus(dc, d);
  return created;
}

/**
 * An RS with the new RS's name exists: ours with the same template is the new RS (a slow cache);
 * anything else is a hash collision, so collisionCount is bumped and the create error returned.
 */
function adoptOrCollide(dc: DeploymentControllerContext, d: Deployment, newRS: ReplicaSet, err: StatusError): ReplicaSet {
  const found = dc.client.get('replicasets.apps', { namespace: newRS.metadata?.namespace ?? '', name: newRS.metadata?.name ?? '' }) as unknown as ReplicaSet | undefined;
  if (!found) throw err;
  const ref = getControllerOf(found as unknown as KubeObject);
  if (ref?.uid === d.metadata?.uid && equalIgnoreHash(d.spec?.template ?? {}, found.spec?.template ?? {})) return found;
  d.status ??= {};
  d.status.collisionCount = (d.status.collisionCount ?? 0) + 1;
  try {
    updateDeploymentStatus(dc, d);
  } catch {
    // The create error below requeues the deployment either way.
  }
  throw err;
}

function reportCreateError(dc: DeploymentControllerContext, d: Deployment, name: string, e: StatusError): void {
  const msg = `Failed to create new replica set "${name}": ${e.message}`;
  if (hasProgressDeadline(d)) {
    d.status ??= {};
    setDeploymentCondition(d.status, newDeploymentCondition('Progressing', 'False', FAILED_RS_CREATE_REASON, msg, dc.clock.now()));
    try {
      updateDeploymentStatus(dc, d);
    } catch {
      // The create failure is the bigger problem to report; the status write is best effort.
    }
  }
  dc.recorder.event(d as unknown as KubeObject, 'Warning', FAILED_RS_CREATE_REASON, msg);
}
