/**
 * Picks the describer of a kind (kubectl pkg/describe/describe.go describerMap, then the generic
 * describer) and runs it for one object.
 */
import type { ApiResource } from '../kube/discovery.js';
import { resourcePath } from '../kube/discovery.js';
import { describeLimitRange, describeNamespace, describeNode, describeQuota } from './cluster.js';
import { apiPath, listAll, searchEvents, type DescribeContext } from './fetch.js';
import { describeBinding, describeGeneric, describeHpa, describeIngress, describePriorityClass, describeRole, describeStorageClass } from './other.js';
import { describePod } from './pod.js';
import {
  describeConfigMap, describeEndpoints, describeEndpointSlice, describePdb, describePv, describePvc, describeSecret, describeService, describeServiceAccount,
} from './services.js';
import { describeCronJob, describeDaemonSet, describeDeployment, describeJob, describeReplicaSet, describeStatefulSet } from './workloads.js';
import { tabbed } from './writer.js';
import { describeEvents } from './format.js';

type Describer = (ctx: DescribeContext, obj: any) => Promise<string> | string;

/** Describers by `group/Kind`, and the version each one reads (the typed client's). */
const DESCRIBERS: Record<string, [string, Describer]> = {
  '/Pod': ['v1', (ctx, pod) => searchEvents(ctx, podRef(pod)).then((events) => describePod(pod, events))],
  '/Secret': ['v1', (_ctx, s) => describeSecret(s)],
  '/Service': ['v1', describeService],
  '/ServiceAccount': ['v1', describeServiceAccount],
  '/Node': ['v1', describeNode],
  '/LimitRange': ['v1', (_ctx, o) => describeLimitRange(o)],
  '/ResourceQuota': ['v1', (_ctx, o) => describeQuota(o)],
  '/PersistentVolume': ['v1', describePv],
  '/PersistentVolumeClaim': ['v1', describePvc],
  '/Namespace': ['v1', describeNamespace],
  '/Endpoints': ['v1', describeEndpoints],
  '/ConfigMap': ['v1', describeConfigMap],
  'discovery.k8s.io/EndpointSlice': ['discovery.k8s.io/v1', describeEndpointSlice],
  'autoscaling/HorizontalPodAutoscaler': ['autoscaling/v2', describeHpa],
  'networking.k8s.io/Ingress': ['networking.k8s.io/v1', describeIngress],
  'batch/Job': ['batch/v1', describeJob],
  'batch/CronJob': ['batch/v1', describeCronJob],
  'apps/StatefulSet': ['apps/v1', describeStatefulSet],
  'apps/Deployment': ['apps/v1', describeDeployment],
  'apps/DaemonSet': ['apps/v1', describeDaemonSet],
  'apps/ReplicaSet': ['apps/v1', describeReplicaSet],
  'storage.k8s.io/StorageClass': ['storage.k8s.io/v1', describeStorageClass],
  'policy/PodDisruptionBudget': ['policy/v1', describePdb],
  'scheduling.k8s.io/PriorityClass': ['scheduling.k8s.io/v1', describePriorityClass],
  'rbac.authorization.k8s.io/Role': ['rbac.authorization.k8s.io/v1', (_ctx, o) => describeRole(o)],
  'rbac.authorization.k8s.io/ClusterRole': ['rbac.authorization.k8s.io/v1', (_ctx, o) => describeRole(o)],
  'rbac.authorization.k8s.io/RoleBinding': ['rbac.authorization.k8s.io/v1', (_ctx, o) => describeBinding(o)],
  'rbac.authorization.k8s.io/ClusterRoleBinding': ['rbac.authorization.k8s.io/v1', (_ctx, o) => describeBinding(o)],
};

/** A pod's events are searched without the kind, and a mirror pod's by its config uid. */
function podRef(pod: any) {
  const mirror = pod.metadata?.annotations?.['kubernetes.io/config.mirror'];
  return { name: pod.metadata.name, namespace: pod.metadata.namespace, uid: mirror ?? pod.metadata.uid };
}

/**
 * Describes one object of a resource: reads it with the describer's version and renders it.
 * A pod that is gone but still has events prints those events (PodDescriber).
 */
export async function describeObject(ctx: DescribeContext, resource: ApiResource, namespace: string, name: string): Promise<string> {
  const entry = DESCRIBERS[`${resource.group}/${resource.kind}`];
  const ns = resource.namespaced ? namespace : undefined;
  if (!entry) {
    const obj = await ctx.client.getJson(resourcePath(resource, ns, name));
    return describeGeneric(ctx, obj);
  }
  const [groupVersion, describer] = entry;
  let obj: any;
  try {
    obj = await ctx.client.getJson(apiPath(groupVersion, resource.resource, ns, name));
  } catch (err) {
    if (resource.kind === 'Pod' && ctx.showEvents) {
      const events = await listAll(ctx, apiPath('v1', 'events', namespace), { fieldSelector: `involvedObject.name=${name},involvedObject.namespace=${namespace}` }).catch(() => []);
      if (events.length > 0) {
        return tabbed((w) => {
          w.write(0, `Pod '${name}': error '${(err as Error).message}', but found events.\n`);
          describeEvents(events, w);
        });
      }
    }
    throw err;
  }
  return describer(ctx, obj);
}
