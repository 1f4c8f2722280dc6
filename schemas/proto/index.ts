import type { ProtoMessages } from './field-table.js';
import { appsMessages } from './apps.js';
import { authnMessages } from './authn.js';
import { authzMessages } from './authz.js';
import { autoscalingMessages } from './autoscaling.js';
import { batchMessages } from './batch.js';
import { coreMiscMessages } from './core-misc.js';
import { corePodMessages } from './core-pod.js';
import { coreVolumeMessages } from './core-volume.js';
import { metaMessages } from './meta.js';
import { networkingMessages } from './networking.js';
import { policyMessages } from './policy.js';
import { rbacMessages } from './rbac.js';
import { schedulingMessages } from './scheduling.js';

export type { ProtoField, ProtoFields, ProtoMessages } from './field-table.js';

/** Every message table of this folder in one namespace; a name defined twice fails at load. */
export const protoMessages: ProtoMessages = mergeTables([
  metaMessages, corePodMessages, coreVolumeMessages, coreMiscMessages, appsMessages, batchMessages,
  rbacMessages, networkingMessages, policyMessages, autoscalingMessages, authnMessages, authzMessages,
  schedulingMessages,
]);

/** Top-level message for each `apiVersion/kind` that kubectl, helm or client-go may send as protobuf. */
export const KIND_MESSAGES: Readonly<Record<string, string>> = {
  'v1/Namespace': 'Namespace',
  'v1/Service': 'Service',
  'v1/ConfigMap': 'ConfigMap',
  'v1/Secret': 'Secret',
  'v1/ServiceAccount': 'ServiceAccount',
  'v1/ResourceQuota': 'ResourceQuota',
  'v1/Pod': 'Pod',
  'v1/Event': 'Event',
  'v1/PersistentVolume': 'PersistentVolume',
  'v1/PersistentVolumeClaim': 'PersistentVolumeClaim',
  'apps/v1/Deployment': 'Deployment',
  'apps/v1/ReplicaSet': 'ReplicaSet',
  'apps/v1/DaemonSet': 'DaemonSet',
  'batch/v1/Job': 'Job',
  'batch/v1/CronJob': 'CronJob',
  'rbac.authorization.k8s.io/v1/Role': 'Role',
  'rbac.authorization.k8s.io/v1/ClusterRole': 'ClusterRole',
  'rbac.authorization.k8s.io/v1/RoleBinding': 'RoleBinding',
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': 'ClusterRoleBinding',
  'networking.k8s.io/v1/Ingress': 'Ingress',
  'policy/v1/PodDisruptionBudget': 'PodDisruptionBudget',
  'policy/v1/Eviction': 'Eviction',
  'autoscaling/v2/HorizontalPodAutoscaler': 'HorizontalPodAutoscaler',
  'authentication.k8s.io/v1/TokenRequest': 'TokenRequest',
  'authentication.k8s.io/v1/SelfSubjectReview': 'SelfSubjectReview',
  'authentication.k8s.io/v1/TokenReview': 'TokenReview',
  'authorization.k8s.io/v1/SelfSubjectAccessReview': 'SelfSubjectAccessReview',
  'authorization.k8s.io/v1/SelfSubjectRulesReview': 'SelfSubjectRulesReview',
  'authorization.k8s.io/v1/SubjectAccessReview': 'SubjectAccessReview',
  'authorization.k8s.io/v1/LocalSubjectAccessReview': 'LocalSubjectAccessReview',
  'scheduling.k8s.io/v1/PriorityClass': 'PriorityClass',
};

/**
 * The message that decodes a body of this apiVersion and kind, or undefined when no table covers it.
 * @example messageForKind('apps/v1', 'Deployment') // 'Deployment'
 */
export function messageForKind(apiVersion: string, kind: string): string | undefined {
  // DeleteOptions is registered in every group-version; drain sends it as "v1", others as their own group.
  if (kind === 'DeleteOptions') return 'DeleteOptions';
  return KIND_MESSAGES[`${apiVersion}/${kind}`];
}

function mergeTables(tables: ProtoMessages[]): ProtoMessages {
  const merged: Record<string, ProtoMessages[string]> = {};
  for (const table of tables) {
    for (const [name, fields] of Object.entries(table)) {
      if (merged[name]) throw new Error(`Cannot merge protobuf tables as message '${name}' is defined twice`);
      merged[name] = fields;
    }
  }
  return merged;
}
