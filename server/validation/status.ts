/**
 * Validation of status-subresource writes: the status strategies' ValidateUpdate
 * (ValidateDeploymentStatusUpdate, ValidateReplicaSetStatusUpdate, ValidatePodStatusUpdate, …).
 * They check metadata and the new status only. The spec is the stored one, already validated
 * when it was written, so it is not validated again.
 */
import type { KubeObject } from '../../schemas/types/meta.js';
import { forbidden, invalid, type FieldError } from './field-errors.js';
import { asArr, asObj, asStr, validateNonnegative, validateObjectMetaUpdate, type Obj } from './metadata.js';
import { nameIsDNSSubdomain } from './names.js';

type StatusCheck = (status: Obj, old: Obj, oldObj: Obj) => FieldError[];

const NOT_ABOVE_REPLICAS = 'cannot be greater than status.replicas';

/** Every named counter that is set must be ≥ 0 (ValidateNonnegativeField), at status.<name>. */
function nonnegative(status: Obj, names: readonly string[]): FieldError[] {
  return names.flatMap((n) => validateNonnegative(status[n], `status.${n}`));
}

/** Each counter must not exceed the one it is bounded by; an absent counter is Go's zero. */
function notAbove(status: Obj, pairs: ReadonlyArray<readonly [string, string, string]>): FieldError[] {
  const errs: FieldError[] = [];
  for (const [field, bound, msg] of pairs) {
    if (num(status[field]) > num(status[bound])) errs.push(invalid(`status.${field}`, num(status[field]), msg));
  }
  return errs;
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : 0;
}

/** collisionCount may only grow (apivalidation.IsDecremented); a cleared count shows as 0. */
function collisionCountNotDecremented(status: Obj, old: Obj): FieldError[] {
  const now = status.collisionCount;
  const before = old.collisionCount;
  const decremented = typeof before === 'number' && (typeof now !== 'number' || now < before);
  return decremented ? [invalid('status.collisionCount', typeof now === 'number' ? now : 0, 'cannot be decremented')] : [];
}

// Ready and available replicas of a Deployment or ReplicaSet: within replicas, available within ready.
const READY_AND_AVAILABLE = [
  ['readyReplicas', 'replicas', NOT_ABOVE_REPLICAS],
  ['availableReplicas', 'replicas', NOT_ABOVE_REPLICAS],
  ['availableReplicas', 'readyReplicas', 'cannot be greater than readyReplicas'],
] as const;

const STATUS_CHECKS: Record<string, StatusCheck> = {
  'apps/Deployment': (s, old) => [
    ...nonnegative(s, ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas', 'collisionCount']),
    ...notAbove(s, [['updatedReplicas', 'replicas', NOT_ABOVE_REPLICAS], ...READY_AND_AVAILABLE]),
    ...collisionCountNotDecremented(s, old),
  ],
  'apps/ReplicaSet': (s) => [
    ...nonnegative(s, ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration']),
    ...notAbove(s, [['fullyLabeledReplicas', 'replicas', NOT_ABOVE_REPLICAS], ...READY_AND_AVAILABLE]),
  ],
  'apps/StatefulSet': (s, old) => [
    ...nonnegative(s, ['replicas', 'readyReplicas', 'currentReplicas', 'updatedReplicas', 'observedGeneration', 'collisionCount']),
    ...notAbove(s, [
      ['readyReplicas', 'replicas', NOT_ABOVE_REPLICAS],
      ['currentReplicas', 'replicas', NOT_ABOVE_REPLICAS],
      ['updatedReplicas', 'replicas', NOT_ABOVE_REPLICAS],
    ]),
    ...collisionCountNotDecremented(s, old),
  ],
  'apps/DaemonSet': (s, old) => [
    ...nonnegative(s, ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady', 'observedGeneration', 'updatedNumberScheduled', 'numberAvailable', 'numberUnavailable', 'collisionCount']),
    ...collisionCountNotDecremented(s, old),
  ],
  '/Pod': (s, old, oldPod) => validatePodStatus(s, old, asObj(oldPod.spec)),
};

/**
 * ValidatePodStatusUpdate's status part: the nominated node's name and container state
 * transitions. (Its nodeName check cannot fail here: the status strategy keeps the stored spec.)
 */
function validatePodStatus(status: Obj, old: Obj, oldSpec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const nominated = asStr(status.nominatedNodeName);
  if (nominated && nominated !== asStr(old.nominatedNodeName)) {
    for (const msg of nameIsDNSSubdomain(nominated, false)) errs.push(invalid('status.nominatedNodeName', nominated, msg));
  }
  const restartPolicy = asStr(oldSpec.restartPolicy);
  errs.push(...containerStateTransitions(asArr(status.containerStatuses), asArr(old.containerStatuses), 'status.containerStatuses', restartPolicy, () => false));
  // A sidecar (an init container that restarts Always) may leave the terminated state.
  const sidecars = new Set(asArr(oldSpec.initContainers).map(asObj).filter((c) => c.restartPolicy === 'Always').map((c) => asStr(c.name)));
  errs.push(...containerStateTransitions(asArr(status.initContainerStatuses), asArr(old.initContainerStatuses), 'status.initContainerStatuses', restartPolicy, (name) => sidecars.has(name)));
  return errs;
}

/**
 * ValidateContainerStateTransition: unless the pod restarts its containers, a terminated container
 * stays terminated (a failed one may come back under OnFailure).
 */
function containerStateTransitions(statuses: unknown[], oldStatuses: unknown[], field: string, restartPolicy: string, restartable: (name: string) => boolean): FieldError[] {
  if (restartPolicy === 'Always') return [];
  const errs: FieldError[] = [];
  oldStatuses.map(asObj).forEach((before, i) => {
    const terminated = asObj(before.state).terminated;
    if (terminated === undefined || terminated === null || restartable(asStr(before.name))) return;
    if (num(asObj(terminated).exitCode) !== 0 && restartPolicy === 'OnFailure') return;
    for (const now of statuses.map(asObj)) {
      const state = asObj(now.state).terminated;
      if (asStr(now.name) === asStr(before.name) && (state === undefined || state === null)) errs.push(forbidden(`${field}[${i}].state`, 'may not be transitioned to non-terminated state'));
    }
  });
  return errs;
}

/** Semantic validation of a write to a status subresource, after the status strategy kept the rest. */
export function validateStatusUpdate(group: string, kind: string, obj: KubeObject, old: KubeObject): FieldError[] {
  const errs = validateObjectMetaUpdate(obj.metadata, old.metadata);
  const check = STATUS_CHECKS[`${group}/${kind}`];
  return check ? [...errs, ...check(asObj(obj.status), asObj(old.status), old as Obj)] : errs;
}
