// Port of kubernetes pkg/controller/statefulset/stateful_set_control.go (getStatefulSetRevisions,
// truncateHistory) and stateful_set_utils.go (newRevision, ApplyRevision).
import type { StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../schemas/types/meta.js';
import type { LocalClient } from '../../client/api-client.js';
import {
  CONTROLLER_REVISIONS,
  controllerRef,
  createControllerRevision,
  equalRevision,
  findEqualRevisions,
  nextRevision,
  templateFromRevision,
  templatePatch,
  type ControllerRevision,
} from '../history.js';
import { getPodRevision } from './pod-control.js';
import { cloneJSON } from '../../registry/strategy.js';

/** The set's current and update revisions, and the collision count naming them needed. */
export interface SetRevisions {
  current: ControllerRevision;
  update: ControllerRevision;
  collisionCount: number;
}

/**
 * newRevision: an unsaved revision of the set's template with the template's labels and the set's
 * own annotations (`rollout history` reads kubernetes.io/change-cause from there).
 */
function newRevision(set: StatefulSet, revision: number): ControllerRevision {
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      namespace: set.metadata?.namespace ?? '',
      labels: { ...(set.spec?.template.metadata?.labels ?? {}) },
      ...(set.metadata?.annotations ? { annotations: { ...set.metadata.annotations } } : {}),
      ownerReferences: [controllerRef(set as unknown as KubeObject)],
    },
    data: templatePatch(set.spec?.template),
    revision,
  };
}

/**
 * getStatefulSetRevisions: the update revision is the latest revision when it equals the set's
 * template; an older equal revision is reused with the next revision number (a rollback); else
 * a new revision is created. The current revision is status.currentRevision, or the update one.
 */
export function getStatefulSetRevisions(client: LocalClient, set: StatefulSet, revisions: ControllerRevision[]): SetRevisions {
  let collisionCount = set.status?.collisionCount ?? 0;
  const candidate = newRevision(set, nextRevision(revisions));
  const equal = findEqualRevisions(revisions, candidate);
  const latest = revisions[revisions.length - 1];
  let update: ControllerRevision;
  if (equal.length > 0 && latest && equalRevision(latest, equal[equal.length - 1]!)) {
    update = latest;
  } else if (equal.length > 0) {
    const reuse = equal[equal.length - 1]!;
    update = client.mutate(CONTROLLER_REVISIONS, { namespace: reuse.metadata.namespace ?? '', name: reuse.metadata.name ?? '' }, (o) => ({ ...o, revision: candidate.revision })) as ControllerRevision;
  } else {
    ({ revision: update, collisionCount } = createControllerRevision(client, set as unknown as KubeObject, candidate, collisionCount));
  }
  const current = revisions.find((r) => r.metadata.name === set.status?.currentRevision) ?? update;
  return { current, update, collisionCount };
}

/** ApplyRevision: the set as it was at a revision (its template restored). */
export function applyRevision(set: StatefulSet, revision: ControllerRevision): StatefulSet {
  const clone = cloneJSON(set);
  clone.spec!.template = templateFromRevision(revision) as PodTemplateSpec;
  return clone;
}

/**
 * truncateHistory: deletes the oldest revisions beyond revisionHistoryLimit, never the current or
 * update revision nor one a pod still runs.
 */
export function truncateHistory(client: LocalClient, set: StatefulSet, pods: readonly Readonly<KubeObject>[], revisions: readonly ControllerRevision[], live: SetRevisions): void {
  const keep = new Set([live.current.metadata.name, live.update.metadata.name, ...pods.map(getPodRevision)]);
  const history = revisions.filter((r) => !keep.has(r.metadata.name));
  const limit = set.spec?.revisionHistoryLimit ?? 10;
  for (const r of history.slice(0, Math.max(0, history.length - limit))) {
    client.delete(CONTROLLER_REVISIONS, { namespace: r.metadata.namespace ?? '', name: r.metadata.name ?? '' });
  }
}
