import type { KubeObject } from '../../../schemas/types/meta.js';
import { rfc3339 } from '../../../server/clock.js';
import type { TestCluster } from '../../support/cluster.js';

/** Creates a Node object (no kubelet runs in these tests). */
export function createNode(c: TestCluster, name: string, labels: Record<string, string> = {}): void {
  c.client.create('nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } } });
}

/** Options of a test pod. */
export interface PodOptions {
  node?: string;
  ip?: string;
  ready?: boolean;
  ports?: Array<{ name?: string; containerPort: number; protocol?: string }>;
  ownerReferences?: KubeObject['metadata']['ownerReferences'];
  namespace?: string;
}

/** Creates a bound pod and writes a Running status with the given readiness and IP. */
export function createPod(c: TestCluster, name: string, labels: Record<string, string>, opts: PodOptions = {}): KubeObject {
  const namespace = opts.namespace ?? 'default';
  c.client.create('pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels, ...(opts.ownerReferences ? { ownerReferences: opts.ownerReferences } : {}) },
    spec: { nodeName: opts.node ?? 'node01', containers: [{ name: 'app', image: 'nginx', ports: opts.ports ?? [{ containerPort: 80 }] }] },
  });
  return setPodStatus(c, name, { ready: opts.ready ?? true, ip: opts.ip, namespace });
}

/** Writes the pod's status: Running with a podIP, Ready True or False. */
export function setPodStatus(c: TestCluster, name: string, opts: { ready: boolean; ip?: string; namespace?: string }): KubeObject {
  const now = rfc3339(c.clock.now());
  return c.client.mutate('pods', { namespace: opts.namespace ?? 'default', name }, (cur) => {
    const prev = (cur.status as { podIP?: string } | undefined)?.podIP;
    const ip = opts.ip ?? prev ?? '10.244.1.10';
    const status = opts.ready ? 'True' : 'False';
    return {
      ...cur,
      status: {
        phase: 'Running',
        podIP: ip,
        podIPs: [{ ip }],
        conditions: [
          { type: 'Ready', status, lastProbeTime: null, lastTransitionTime: now },
          { type: 'ContainersReady', status, lastProbeTime: null, lastTransitionTime: now },
        ],
      },
    };
  }, { status: true });
}

/** Creates a ClusterIP service selecting `selector`. */
export function createService(c: TestCluster, name: string, selector: Record<string, string>, ports: Array<Record<string, unknown>>, extra: Record<string, unknown> = {}): KubeObject {
  return c.client.create('services', { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default', labels: { app: name } }, spec: { selector, ports, ...extra } });
}
