// Builders shared by the deployment util tests, modelled on upstream's generateDeployment/generateRS.
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';

/** A defaulted-looking RollingUpdate deployment running one container named and imaged `image`. */
export function generateDeployment(image: string): Deployment {
  const labels = { name: image };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: image, namespace: 'default', uid: `uid-${image}`, annotations: {} },
    spec: {
      replicas: 1,
      selector: { matchLabels: { ...labels } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { labels: { ...labels } },
        spec: {
          containers: [{ name: image, image, imagePullPolicy: 'Always', terminationMessagePath: '/dev/termination-log' }],
          dnsPolicy: 'ClusterFirst',
          restartPolicy: 'Always',
          terminationGracePeriodSeconds: 30,
          securityContext: {},
        },
      },
    },
  };
}

/** An RS carrying a deep copy of the deployment's template, 0 replicas, created at `created`. */
export function generateRS(d: Deployment, name: string, created = '2026-01-01T00:00:00Z'): ReplicaSet {
  const template = structuredClone(d.spec?.template) as PodTemplateSpec;
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, creationTimestamp: created, labels: { ...template.metadata?.labels } },
    spec: { replicas: 0, selector: { matchLabels: { ...template.metadata?.labels } }, template },
  };
}

/** A deployment with the given replicas and RollingUpdate fenceposts (IntOrString values). */
export function rollingDeployment(replicas: number, maxSurge: number | string, maxUnavailable: number | string): Deployment {
  const d = generateDeployment('nginx');
  d.spec = { ...d.spec!, replicas, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge, maxUnavailable } } };
  return d;
}

/** An RS with just the counts the replica helpers look at. */
export function countedRS(name: string, spec: number, status: { replicas?: number; readyReplicas?: number; availableReplicas?: number } = {}): ReplicaSet {
  return { metadata: { name }, spec: { replicas: spec, selector: {} }, status: { replicas: 0, ...status } };
}
